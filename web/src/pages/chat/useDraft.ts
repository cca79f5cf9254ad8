import { useEffect, useState } from 'react';

const PREFIX = 'ariane.chat.draft:';

function read(key: string): string {
  return sessionStorage.getItem(PREFIX + key) ?? '';
}

/**
 * The composer's text, kept per page in this tab's sessionStorage. When the session cannot be
 * renewed, signing in again leaves the page and comes back to it: what the user was typing (or
 * had sent when the request was refused) is there again. Sent messages leave no draft.
 */
export function useDraft(key: string): [string, (update: string | ((current: string) => string)) => void] {
  const [draft, setDraft] = useState(() => ({ key, text: read(key) }));
  // Another page (conversation) in the same composer: its own draft.
  const current = draft.key === key ? draft : { key, text: read(key) };
  if (current !== draft) setDraft(current);

  useEffect(() => {
    if (current.text) sessionStorage.setItem(PREFIX + current.key, current.text);
    else sessionStorage.removeItem(PREFIX + current.key);
  }, [current.key, current.text]);

  const setText = (update: string | ((text: string) => string)) =>
    setDraft((previous) => ({
      key: previous.key,
      text: typeof update === 'function' ? update(previous.text) : update,
    }));
  return [current.text, setText];
}
