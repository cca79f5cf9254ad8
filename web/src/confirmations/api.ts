/** Calls to the confirmations API: the tool call a run was held on, and the user's decision on it. */
import { type ApiDeps, apiGet, apiRequest } from '../api/client';
import type { Run } from '../chat/types';

export type ConfirmationStatus = 'pending' | 'confirmed' | 'declined';

/** A held tool call: exactly what would run (tool, arguments), and the decision once taken. */
export interface Confirmation {
  id: string;
  run_id: string;
  thread_id: string;
  server: string;
  tool: string;
  /** The tool's title as approved in the registry (`server/tool` when it has none). */
  title: string;
  description: string;
  arguments: Record<string, unknown>;
  digest: string;
  status: ConfirmationStatus;
  created_at: string;
  decided_at: string | null;
  result_run_id: string | null;
}

/** The decision as recorded, and the run that carries it out (its events stream like any run's). */
export interface ConfirmationDecision {
  confirmation: Confirmation;
  run: Run;
}

export function listThreadConfirmations(threadId: string, deps?: ApiDeps): Promise<Confirmation[]> {
  return apiGet<Confirmation[]>(`/api/threads/${encodeURIComponent(threadId)}/confirmations`, deps);
}

/** Confirm (the held call runs once, exactly as shown) or decline (nothing runs). */
export function decideConfirmation(runId: string, confirm: boolean, deps?: ApiDeps): Promise<ConfirmationDecision> {
  const verb = confirm ? 'confirm' : 'decline';
  return apiRequest<ConfirmationDecision>(`/api/runs/${encodeURIComponent(runId)}/confirmation/${verb}`, { method: 'POST' }, deps);
}

/** Whether a `confirmation_required` payload is a held call this page can show. */
export function isConfirmation(value: unknown): value is Confirmation {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.id === 'string' && typeof record.run_id === 'string' && typeof record.tool === 'string';
}

const MAX_VALUE_CHARS = 120;

/** The arguments as short lines for people: `name` → value, long values cut. */
export function summariseArguments(args: Record<string, unknown>): [string, string][] {
  return Object.entries(args).map(([name, value]) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return [name, text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text];
  });
}
