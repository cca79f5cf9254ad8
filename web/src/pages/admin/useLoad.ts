import { type QueryKey, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';

export type Load<T> = { kind: 'loading' } | { kind: 'ready'; value: T } | { kind: 'failed'; error: unknown };

/**
 * `load`'s result through the query cache, under `key` (which names everything `load` depends on);
 * `reload()` fetches it again, and what was shown stays until the new value comes.
 */
export function useLoad<T>(key: QueryKey, load: () => Promise<T>): [Load<T>, () => void] {
  const query = useQuery({ queryKey: key, queryFn: load });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  if (query.isError) return [{ kind: 'failed', error: query.error }, reload];
  if (query.isSuccess) return [{ kind: 'ready', value: query.data }, reload];
  return [{ kind: 'loading' }, reload];
}
