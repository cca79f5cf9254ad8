/** Calls to `/api/admin/...`: the gateway's catalogue, policy versions and usage (AI administrators). */
import { type ApiDeps, apiGet, apiRequest } from '../../api/client';
import type * as schema from '../../api/schema';
import type { Sent } from '../../api/sent';

// The gateway administration's shapes, from the server's OpenAPI document (`npm run api:types`).
export type { DataClass, Hosting } from '../../api/schema';
export type CatalogueModel = Sent<schema.CatalogueModel>;
export type Catalogue = Sent<schema.Catalogue>;
/** The policy in force: `source` says where it comes from (`file`, `saved`, `none`). */
export type Policy = Sent<schema.PolicyOut>;
/** One problem of a proposed policy: its place (keys and list indexes), or its line for a YAML syntax error. */
export type PolicyIssue = Sent<schema.PolicyIssue>;
export type PolicyCheck = Sent<schema.PolicyCheck>;
export type PolicyVersion = Sent<schema.PolicyVersion>;
export type UsageRow = Sent<schema.UsageRow>;
export type Usage = Sent<schema.components['schemas']['server__admin__schemas__Usage']>;

const BASE = '/api/admin/gateway';
const json = (body: unknown): RequestInit => ({
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json' },
});

export const getCatalogue = (deps?: ApiDeps) => apiGet<Catalogue>(`${BASE}/catalogue`, deps);
export const getPolicy = (deps?: ApiDeps) => apiGet<Policy>(`${BASE}/policy`, deps);
export const getHistory = (deps?: ApiDeps) => apiGet<PolicyVersion[]>(`${BASE}/policy/history`, deps);
export const getUsage = (days: number, deps?: ApiDeps) => apiGet<Usage>(`/api/admin/usage?days=${days}`, deps);

export function checkPolicy(document: string, deps?: ApiDeps): Promise<PolicyCheck> {
  return apiRequest<PolicyCheck>(`${BASE}/policy/validate`, { method: 'POST', ...json({ document }) }, deps);
}

export function savePolicy(
  document: string,
  comment: string,
  baseVersion: number,
  deps?: ApiDeps,
): Promise<PolicyVersion> {
  const body = { document, comment, base_version: baseVersion };
  return apiRequest<PolicyVersion>(`${BASE}/policy`, { method: 'PUT', ...json(body) }, deps);
}
