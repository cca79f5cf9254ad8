/** What waits for the user (`/api/notifications`): the app bar's badge counts and their items. */
import { type ApiDeps, apiGet, apiRequest } from '../api/client';

export type NotificationKind = 'approval' | 'confirmation' | 'job' | 'alert';

export interface Notification {
  kind: NotificationKind;
  id: string;
  title: string;
  status: string;
  at: string;
  /** Where to act on it, in the app. */
  path: string;
}

export interface Notifications {
  approvals: number;
  confirmations: number;
  jobs: number;
  /** Open score alerts of governance sent to me (shown in Activité). */
  alerts: number;
  items: Notification[];
}

export function getNotifications(deps?: ApiDeps): Promise<Notifications> {
  return apiGet<Notifications>('/api/notifications', deps);
}

export function markJobsSeen(deps?: ApiDeps): Promise<void> {
  return apiRequest<void>('/api/notifications/jobs/seen', { method: 'POST' }, deps);
}
