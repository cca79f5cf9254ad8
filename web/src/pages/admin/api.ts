/** Calls to `/api/admin/...`: the gateway's catalogue, policy versions and usage (AI administrators). */
import { type ApiDeps, apiGet, apiRequest } from '../../api/client';

export type DataClass = 'public' | 'internal' | 'personal' | 'health';
export type Hosting = 'hds' | 'on_prem' | 'eu_cloud' | 'non_eu';

export interface CatalogueModel {
  id: string;
  label: string;
  kind: 'chat' | 'embedding';
  provider: string;
  upstream_name: string;
  hosting: Hosting;
  data_classes: DataClass[];
  aliases: string[];
  fallbacks: string[];
  capabilities: { tools: boolean; streaming: boolean; json_schema: boolean; context_tokens: number };
  prices: { input_per_million: number; output_per_million: number };
  configured: boolean;
}

export interface Catalogue {
  policy_version: number;
  models: CatalogueModel[];
}

export interface Policy {
  version: number;
  source: 'file' | 'saved' | 'none';
  document: string;
  author_email: string | null;
  created_at: string | null;
  comment: string;
  error: string | null;
}

/** One problem of a proposed policy: its place (keys and list indexes), or its line for a YAML syntax error. */
export interface PolicyIssue {
  path: (string | number)[];
  message: string;
  line: number | null;
}

export interface PolicyCheck {
  valid: boolean;
  errors: string[];
  /** The same problems one by one, each with its place (absent from servers before it). */
  issues?: PolicyIssue[];
  diff: string;
}

export interface PolicyVersion {
  version: number;
  comment: string;
  diff: string;
  author_email: string;
  created_at: string;
  document?: string | null;
}

export interface UsageRow {
  key: string;
  requests: number;
  refused_or_failed: number;
  input_tokens: number;
  output_tokens: number;
  cost_eur: number;
  mean_latency_ms: number;
}

export interface Usage {
  days: number;
  by_user: UsageRow[];
  by_service: UsageRow[];
  by_job_category: UsageRow[];
  by_model: UsageRow[];
  by_day: UsageRow[];
}

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
