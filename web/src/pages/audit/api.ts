/** Calls to `/api/audit/...`: recorded runs, their trace, verification, replay and exports. */
import { type ApiDeps, apiGet, apiRequest } from '../../api/client';
import type * as schema from '../../api/schema';
import type { Sent } from '../../api/sent';

/** A recorded run; `question` is the user's message as recorded (redacted), null when content is not captured. */
export type RunSummary = Sent<schema.RunSummary>;

// `GET /api/audit/runs/{id}` and the replay answer free-form objects in `/openapi.json`: their shapes
// are described here.
export interface Span {
  name: string;
  kind: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  start_ns: number;
  end_ns: number;
  status: { code: string; description: string | null };
  attributes: Record<string, unknown>;
}

export interface Step {
  kind: 'model_call' | 'tool_call' | 'tool_list';
  step?: number;
  captured: boolean;
  server?: string;
  tool?: string;
  arguments?: unknown;
  outcome?: { ok: boolean; data?: unknown; message?: string; code?: string | null };
  request?: { method: string; path: string; headers?: Record<string, string>; body?: string };
  response?: { status: number; content_type?: string; body?: string };
}

export interface RunDetail {
  summary: RunSummary;
  message: string | null;
  now: string;
  versions: Record<string, unknown>;
  spans: Span[];
  steps: Step[];
  policy: Span[];
  approvals: Span[];
  outcome: { answer: string; mode?: string } | null;
  /** A robot exchange's resumed run: on whose behalf, by whom, who approved, the exact inputs, the job. */
  launch?: RobotLaunch | null;
}

export interface RobotLaunch {
  actor: { kind: 'user' | 'automation'; name?: string; display_name?: string; trigger?: string };
  approval: {
    id: string;
    status: string;
    approver: { email: string; display_name: string } | null;
    decided_at: string | null;
    reason: string | null;
    request_run_id: string | null;
  };
  robot: { id: string; name: string; version: number; digest: string | null };
  inputs?: Record<string, unknown>;
  digest: string;
  job: { id: string; status: string } | null;
}

/** The server documents a problem as a free-form object: here, its shape. */
export type VerifyReport = Omit<Sent<schema.VerifyOut>, 'problems'> & {
  problems: { kind: string; seq: number | null; detail: string }[];
};

export interface ReplayReport {
  mode: 'exact' | 'what_if';
  status: string;
  steps: number;
  duration_ms: number;
  code: { same: boolean; recorded: Record<string, unknown>; current: Record<string, unknown> };
  divergence?: { step: number; kind: string; path: string; expected: unknown; got: unknown } | null;
  model?: string;
  answer: { recorded: string; replayed: string };
  diff?: string[];
}

/** The page's filters (`GET /api/audit/runs`'s query, empty ones left out). */
export interface RunFilters {
  user?: string;
  assistant?: string;
  since?: string;
  until?: string;
  model?: string;
  tool?: string;
  refusals?: boolean;
  approvals?: boolean;
}

export function runsQuery(filters: RunFilters): '' | `?${string}` {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === '' || value === false) continue;
    params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

export const listRuns = (filters: RunFilters, deps?: ApiDeps) =>
  apiGet<RunSummary[]>(`/api/audit/runs${runsQuery(filters)}`, deps);
export const getRun = (id: string, deps?: ApiDeps) => apiGet<RunDetail>(`/api/audit/runs/${id}`, deps);
export const verifyRun = (id: string, deps?: ApiDeps) => apiGet<VerifyReport>(`/api/audit/runs/${id}/verify`, deps);
export const verifyStore = (deps?: ApiDeps) => apiGet<VerifyReport>('/api/audit/verify', deps);
export const replayRun = (id: string, model: string | null, deps?: ApiDeps) =>
  apiRequest<ReplayReport>(
    `/api/audit/runs/${id}/replay`,
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ model }) },
    deps,
  );
export const exportRun = (id: string, format: 'bundle' | 'otlp', deps?: ApiDeps) =>
  apiGet<unknown>(`/api/audit/runs/${id}/export?format=${format}`, deps);
