import { useCallback, useEffect, useState } from 'react';
import { SignInRequired } from '../../api/client';
import { createThread, deleteThread, listThreads, renameThread } from '../../chat/api';
import type { Thread } from '../../chat/types';

export interface Threads {
  items: Thread[] | null;
  error: unknown;
  clearError: () => void;
  refresh: () => void;
  create: (title?: string, assistantId?: string | null) => Promise<Thread | null>;
  rename: (id: string, title: string) => Promise<boolean>;
  remove: (id: string) => Promise<boolean>;
}

/** The user's conversations, most recent first, and what can be done to them. */
export function useThreads(): Threads {
  const [items, setItems] = useState<Thread[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    listThreads().then(
      (threads) => current && setItems(threads),
      (failure: unknown) => current && !(failure instanceof SignInRequired) && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [version]);

  const attempt = useCallback(async <T,>(action: () => Promise<T>): Promise<T | null> => {
    try {
      const result = await action();
      setError(null);
      return result;
    } catch (failure) {
      if (!(failure instanceof SignInRequired)) setError(failure);
      return null;
    }
  }, []);

  return {
    items,
    error,
    clearError: useCallback(() => setError(null), []),
    refresh: useCallback(() => setVersion((v) => v + 1), []),
    create: useCallback(
      async (title?: string, assistantId?: string | null) => {
        const thread = await attempt(() => createThread(title, undefined, assistantId));
        if (thread) setItems((current) => [thread, ...(current ?? []).filter((t) => t.id !== thread.id)]);
        return thread;
      },
      [attempt],
    ),
    rename: useCallback(
      async (id: string, title: string) => {
        const renamed = await attempt(() => renameThread(id, title));
        if (renamed) setItems((current) => (current ?? []).map((t) => (t.id === id ? renamed : t)));
        return renamed !== null;
      },
      [attempt],
    ),
    remove: useCallback(
      async (id: string) => {
        const done = (await attempt(async () => (await deleteThread(id), true))) !== null;
        if (done) setItems((current) => (current ?? []).filter((t) => t.id !== id));
        return done;
      },
      [attempt],
    ),
  };
}
