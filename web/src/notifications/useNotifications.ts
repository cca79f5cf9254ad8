import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { getNotifications, markJobsSeen } from './api';

/** How often the app bar's badges are refreshed while the app is open (and on focus, by the cache). */
export const NOTIFICATIONS_REFRESH_MS = 20_000;
export const NOTIFICATIONS_KEY = ['notifications'] as const;

/** The badge counts and their items, shared by the app bar and the toasts through the query cache. */
export function useNotifications() {
  return useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: () => getNotifications(),
    refetchInterval: NOTIFICATIONS_REFRESH_MS,
  });
}

/** Mark the user's finished jobs as seen (the Activité page shows them) and refresh the badges. */
export function useMarkJobsSeen(): () => Promise<void> {
  const client = useQueryClient();
  return useCallback(async () => {
    await markJobsSeen();
    await client.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
  }, [client]);
}
