/** Calls to `/api/automations`: mail triggers and schedules, their approval, pause, run-now and history. */
import { apiGet, apiRequest } from '../../api/client';
import type { Person } from '../../robots/api';

export type AutomationKind = 'robot' | 'chat' | 'mail';

export type AutomationStatus = 'pending' | 'active' | 'paused' | 'rejected';

export type FiringStatus =
  | 'queued'
  | 'awaiting_approval'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'ignored';

export interface Firing {
  id: string;
  automation_id: string;
  /** The message's `internetMessageId`, the slot's wall-clock time, or `manual:…`. */
  key: string;
  origin: 'mail' | 'schedule' | 'manual';
  status: FiringStatus;
  detail: string;
  message: { subject?: string; sender?: { address: string; name: string } } | null;
  inputs: Record<string, unknown> | null;
  approval_id: string | null;
  job_id: string | null;
  created_at: string;
  finished_at: string | null;
  reply_sent_at: string | null;
}

export interface Automation {
  id: string;
  name: string;
  kind: 'mail' | 'schedule';
  /** A robot request, a message in the owner's conversation (`thread_id`), or a mail to `notify`. */
  action: AutomationKind;
  status: AutomationStatus;
  robot_id: string | null;
  robot_name: string | null;
  /** The text of a `chat` or `mail` action, its `{{ placeholders }}` filled at each firing. */
  message: string | null;
  thread_id: string | null;
  /** A mail trigger's model that reads the robot's inputs in the message (the rules otherwise). */
  model: string | null;
  owner: Person;
  created_by: Person;
  approved_by: Person | null;
  decided_at: string | null;
  inputs: Record<string, unknown>;
  mailbox: string | null;
  filter: { sender?: string | null; subject?: string | null; body?: string | null };
  cron: string | null;
  timezone: string;
  catch_up: boolean;
  notify: string[];
  next_slot: string | null;
  last_slot: string | null;
  created_at: string;
  updated_at: string;
  may_edit: boolean;
  may_approve: boolean;
  last_firings: Firing[];
}

export type AutomationAction = 'approve' | 'reject' | 'pause' | 'resume';

export function listAutomations(): Promise<Automation[]> {
  return apiGet<Automation[]>('/api/automations');
}

/** A firing of one of my message or mail automations, as Activité lists it. */
export interface Delivered extends Firing {
  automation_name: string;
  action: AutomationKind;
  thread_id: string | null;
}

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

/** What `POST /api/automations` takes (server/automations/schemas.py `AutomationIn`). */
export interface AutomationDraft {
  name: string;
  kind: 'mail' | 'schedule';
  action: AutomationKind;
  robot_id?: string;
  message?: string;
  model?: string;
  owner?: string;
  inputs: Record<string, unknown>;
  mailbox?: string;
  filter?: { sender?: string; subject?: string; body?: string };
  cron?: string;
  catch_up?: boolean;
  notify: string[];
}

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
