/**
 * The held tool calls of a stored conversation, by the run that was held. Live runs get theirs from
 * their `confirmation_required` event; this restores the cards (and their decisions) on reload.
 */
import { useEffect, useState } from 'react';
import { type Confirmation, listThreadConfirmations } from './api';

export function useThreadConfirmations(threadId: string, refresh: unknown, enabled: boolean): Map<string, Confirmation> {
  const [byRun, setByRun] = useState<Map<string, Confirmation>>(new Map());
  useEffect(() => {
    if (!enabled) return undefined;
    let current = true;
    listThreadConfirmations(threadId)
      .then((confirmations) => {
        if (current) setByRun(new Map(confirmations.map((confirmation) => [confirmation.run_id, confirmation])));
      })
      .catch(() => undefined); // the cards are an extra: the conversation shows without them
    return () => {
      current = false;
    };
  }, [threadId, refresh, enabled]);
  return byRun;
}
