/** Calls to `/api/tools/...`: the MCP tool registry (tool developers and AI administrators). */
import { type ApiDeps, apiGet, apiRequest } from '../../api/client';
import type * as schema from '../../api/schema';
import type { Sent } from '../../api/sent';

export type { DataClass, ServerStatus, ToolStatus } from '../../api/schema';

export type Finding = Sent<schema.Finding>;
export type ToolReview = Sent<schema.ToolReview>;
/** A tool of a registered server; `review` is the reviewer's judgement at approval (what the server
 * declares decides nothing), `annotations` the MCP annotations as the server declares them. */
export type RegisteredTool = Sent<schema.ToolOut>;
export type ServerSummary = Sent<schema.ServerSummary>;
export type Health = ServerSummary['health'];
/** A registered server; `inspected_at` is when a reviewer had it started (in its sandbox) and its tools
 * listed (null: never started), `isolation` what isolation it runs with here. */
export type ServerDetail = Sent<schema.ServerOut>;
/** The register form's request (`command`: the name of a command administrators allowed). */
export type RegisterRequest = schema.RegisterIn;

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
// `PermissionsIn.roles` are `Role`s, but a tool's roles come back as plain strings (`ToolOut.roles`),
// and the form sends back what it was given.
export type ToolPermissions = Omit<schema.PermissionsIn, 'roles'> & { roles?: string[] | null };

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
