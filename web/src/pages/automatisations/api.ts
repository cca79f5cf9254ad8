/** Calls to `/api/automations`: mail triggers and schedules, their approval, pause, run-now and history. */
import { apiGet, apiRequest } from '../../api/client';
import type * as schema from '../../api/schema';
import type { Sent } from '../../api/sent';

/** A robot request, a message in the owner's conversation (`thread_id`), or a mail to `notify`. */
export type AutomationKind = schema.AutomationIn['action'];

export type { AutomationStatus } from '../../api/schema';

// The server documents a firing's origin and status, and an automation's kind and action, as plain
// strings (and a firing's message as a free-form object): their values are listed here.
export type FiringStatus =
  | 'queued'
  | 'awaiting_approval'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'ignored';

/** A firing; `key` is the message's `internetMessageId`, the slot's wall-clock time, or `manual:…`. */
export type Firing = Omit<Sent<schema.Firing>, 'origin' | 'status' | 'message'> & {
  origin: 'mail' | 'schedule' | 'manual';
  status: FiringStatus;
  message: { subject?: string; sender?: { address: string; name: string } } | null;
};

/**
 * A mail trigger or a schedule. `message` is the text of a `chat` or `mail` action, its
 * `{{ placeholders }}` filled at each firing; `model` a mail trigger's model that reads the robot's
 * inputs in the message (the rules otherwise).
 */
export type Automation = Omit<Sent<schema.Automation>, 'kind' | 'action' | 'last_firings'> & {
  kind: schema.AutomationIn['kind'];
  action: AutomationKind;
  last_firings: Firing[];
};

export type AutomationAction = 'approve' | 'reject' | 'pause' | 'resume';

export function listAutomations(): Promise<Automation[]> {
  return apiGet<Automation[]>('/api/automations');
}

/** A firing of one of my message or mail automations, as Activité lists it. */
export type Delivered = Firing & Pick<Sent<schema.Delivered>, 'automation_name' | 'thread_id'> & { action: AutomationKind };

export function listDelivered(): Promise<Delivered[]> {
  return apiGet<Delivered[]>('/api/automations/delivered');
}

export function listFirings(id: string): Promise<Firing[]> {
  return apiGet<Firing[]>(`/api/automations/${encodeURIComponent(id)}/firings`);
}

export function act(id: string, action: AutomationAction): Promise<Automation> {
  return apiRequest<Automation>(`/api/automations/${encodeURIComponent(id)}/${action}`, { method: 'POST' });
}

export function runNow(id: string): Promise<Firing> {
  return apiRequest<Firing>(`/api/automations/${encodeURIComponent(id)}/run`, { method: 'POST' });
}

/** What `POST /api/automations` takes. */
export type AutomationDraft = schema.AutomationIn;

export function createAutomation(draft: AutomationDraft): Promise<Automation> {
  return apiRequest<Automation>('/api/automations', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(draft),
  });
}

/** The robots an automation may launch: the catalogue, by name. */
export function listRobots(): Promise<{ id: string; name: string }[]> {
  return apiGet<{ id: string; name: string }[]>('/api/robots');
}
