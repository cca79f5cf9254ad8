/** Calls to the confirmations API: the tool call a run was held on, and the user's decision on it. */
import { type ApiDeps, apiGet, apiRequest } from '../api/client';
import type * as schema from '../api/schema';
import type { Sent } from '../api/sent';
import type { Run } from '../chat/types';

/** A held tool call: exactly what would run (tool, arguments), and the decision once taken; its
 * `title` is the tool's title as approved in the registry (`server/tool` when it has none). */
export type Confirmation = Sent<schema.Confirmation>;
export type { ConfirmationStatus } from '../api/schema';

/** The decision as recorded, and the run that carries it out (its events stream like any run's). */
export type ConfirmationDecision = { confirmation: Confirmation; run: Run };

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
