/** What waits for the user (`/api/notifications`): the app bar's badge counts and their items. */
import { type ApiDeps, apiGet, apiRequest } from '../api/client';
import type { Notifications } from '../api/schema';

/** An item's `path` is where to act on it, in the app; `alerts` counts the open score alerts of
 * governance sent to me (shown in Activité). */
export type { Notification, NotificationKind, Notifications } from '../api/schema';

export function getNotifications(deps?: ApiDeps): Promise<Notifications> {
  return apiGet<Notifications>('/api/notifications', deps);
}

export function markJobsSeen(deps?: ApiDeps): Promise<void> {
  return apiRequest<void>('/api/notifications/jobs/seen', { method: 'POST' }, deps);
}
