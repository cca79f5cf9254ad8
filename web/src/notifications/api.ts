/** What waits for the user (`/api/notifications`): the app bar's badge counts and their items. */
import { type ApiDeps, apiGet, apiRequest } from '../api/client';
import type * as schema from '../api/schema';
import type { Sent } from '../api/sent';

export type { NotificationKind } from '../api/schema';
/** An item's `path` is where to act on it, in the app. */
export type Notification = Sent<schema.Notification>;
/** `alerts` counts the open score alerts of governance sent to me (shown in Activité). */
export type Notifications = Sent<schema.Notifications>;

export function getNotifications(deps?: ApiDeps): Promise<Notifications> {
  return apiGet<Notifications>('/api/notifications', deps);
}

export function markJobsSeen(deps?: ApiDeps): Promise<void> {
  return apiRequest<void>('/api/notifications/jobs/seen', { method: 'POST' }, deps);
}
