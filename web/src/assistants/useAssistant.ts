import { useEffect, useState } from 'react';
import { SignInRequired } from '../api/client';
import { getAssistant } from './api';
import type { Assistant } from './types';

export type AssistantState = { assistant: Assistant | null; error: unknown };

/** The assistant `id` names (none: nothing to load), or the error that kept it from loading. */
export function useAssistant(id: string | null | undefined): AssistantState {
  const [state, setState] = useState<AssistantState>({ assistant: null, error: null });
  useEffect(() => {
    if (!id) {
      setState({ assistant: null, error: null });
      return;
    }
    let current = true;
    getAssistant(id).then(
      (assistant) => current && setState({ assistant, error: null }),
      (error: unknown) => current && !(error instanceof SignInRequired) && setState({ assistant: null, error }),
    );
    return () => {
      current = false;
    };
  }, [id]);
  return state;
}
