import { useCallback, useEffect, useState } from 'react';

export type Load<T> = { kind: 'loading' } | { kind: 'ready'; value: T } | { kind: 'failed'; error: unknown };

/** Run `load` on mount and whenever `reload()` is called; the latest call wins. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[] = []): [Load<T>, () => void] {
  const [state, setState] = useState<Load<T>>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint: the caller lists what `load` depends on
  const run = useCallback(load, deps);
  useEffect(() => {
    let current = true;
    setState({ kind: 'loading' });
    run().then(
      (value) => current && setState({ kind: 'ready', value }),
      (error: unknown) => current && setState({ kind: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [run, attempt]);
  return [state, () => setAttempt((n) => n + 1)];
}
