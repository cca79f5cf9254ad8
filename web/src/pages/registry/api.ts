/** Calls to `/api/tools/...`: the MCP tool registry (tool developers and AI administrators). */
import { type ApiDeps, apiGet, apiRequest } from '../../api/client';

export type ServerStatus = 'pending_review' | 'active' | 'suspended';
export type ToolStatus = 'pending_review' | 'active' | 'suspended' | 'flagged';
export type Health = 'unknown' | 'ok' | 'failing';

export interface Finding {
  tool: string | null;
  field: string;
  code: string;
  severity: 'error' | 'danger' | 'warning';
  detail: string;
  excerpt: string;
}

export interface ToolReview {
  read_only: boolean;
  destructive: boolean;
}

export interface RegisteredTool {
  name: string;
  description: string;
  /** The reviewer's judgement at approval (what the server declares decides nothing). */
  review?: ToolReview | null;
  status: ToolStatus;
  status_reason: string;
  digest: string;
  approved_digest: string | null;
  changed: boolean;
  diff: string;
  findings: Finding[];
  input_schema: Record<string, unknown>;
  output_schema: Record<string, unknown> | null;
  /** MCP annotations as the server declares them (readOnlyHint, destructiveHint, …). */
  annotations: Record<string, unknown>;
  roles: string[];
  services: string[];
  assistants: string[];
  confirmation: boolean;
  timeout_seconds: number;
  rate_per_minute: number;
  max_result_bytes: number;
}

export interface ServerSummary {
  name: string;
  transport: 'builtin' | 'http' | 'stdio';
  status: ServerStatus;
  health: Health;
  tools: number;
  active_tools: number;
  attention: number;
  registered_by: string;
  created_at: string;
}

export type DataClass = 'public' | 'internal' | 'personal' | 'health';

export interface ServerDetail extends Omit<ServerSummary, 'tools' | 'active_tools' | 'attention'> {
  url: string | null;
  package?: string | null;
  package_version?: string | null;
  network?: boolean;
  hosting?: string;
  data_class?: DataClass;
  /** What isolation the server runs with here. */
  isolation?: string;
  /** When a reviewer had it started (in its sandbox) and its tools listed; null: never started. */
  inspected_at?: string | null;
  command: string | null;
  args: string[];
  env_keys: string[];
  auth: 'none' | 'bearer' | 'oauth';
  protocol_version: string | null;
  health_detail: string;
  approved_by: string | null;
  tools: RegisteredTool[];
}

export interface RegisterRequest {
  name: string;
  url?: string;
  bearer?: string;
  package?: string;
  version?: string;
  /** Name of a command administrators allowed. */
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  data_class?: DataClass;
}

const json = (body: unknown): RequestInit => ({
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json' },
});

export const listServers = (deps?: ApiDeps) => apiGet<ServerSummary[]>('/api/tools', deps);
export const getServer = (name: string, deps?: ApiDeps) =>
  apiGet<ServerDetail>(`/api/tools/${encodeURIComponent(name)}`, deps);
export const registerServer = (body: RegisterRequest, deps?: ApiDeps) =>
  apiRequest<ServerDetail>('/api/tools', { method: 'POST', ...json(body) }, deps);

export function serverAction(name: string, action: 'inspect' | 'suspend', deps?: ApiDeps) {
  return apiRequest<ServerDetail>(`/api/tools/${encodeURIComponent(name)}/${action}`, { method: 'POST' }, deps);
}

/** Approve an inspected server with the reviewer's judgement of each tool (unlisted: not read-only). */
export function approveServer(name: string, readOnly: string[], deps?: ApiDeps) {
  const tools = Object.fromEntries(readOnly.map((tool) => [tool, { read_only: true, destructive: false }]));
  return apiRequest<ServerDetail>(
    `/api/tools/${encodeURIComponent(name)}/approve`,
    { method: 'POST', ...json({ tools }) },
    deps,
  );
}

/** Who may use one tool (empty lists: anyone), and whether each call waits for the user's confirmation. */
export interface ToolPermissions {
  tool: string;
  roles: string[];
  services: string[];
  assistants: string[];
  confirmation: boolean;
}

export const setPermissions = (server: string, body: ToolPermissions, deps?: ApiDeps) =>
  apiRequest<ServerDetail>(
    `/api/tools/${encodeURIComponent(server)}/permissions`,
    { method: 'PUT', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } },
    deps,
  );

export const removeServer = (name: string, deps?: ApiDeps) =>
  apiRequest<void>(`/api/tools/${encodeURIComponent(name)}`, { method: 'DELETE' }, deps);

/** `KEY=VALUE` lines of the register form as an environment (blank lines ignored). */
export function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const at = trimmed.indexOf('=');
    if (at <= 0) throw new Error(trimmed);
    env[trimmed.slice(0, at)] = trimmed.slice(at + 1);
  }
  return env;
}
