/** Calls to `/api/governance/...`: the map of AI systems, drift, data quality, shadow AI, the pack. */
import { type ApiDeps, type ApiUrl, apiFetch, apiGet, apiRequest } from '../../api/client';

export type SystemKind = 'assistant' | 'workflow' | 'model' | 'tool' | 'robot' | 'intake' | 'batch' | 'external';
export type SystemStatus = 'draft' | 'in_service' | 'suspended' | 'retired';
export type RiskLevel = 'unassessed' | 'minimal' | 'limited' | 'high' | 'unacceptable';
export type Flag =
  | 'no_owner'
  | 'no_validation'
  | 'risk_unassessed'
  | 'high_risk_without_ethics_review'
  | 'score_alert'
  | 'unsanctioned_external_service'
  | 'knowledge_quality';

export interface Usage {
  requests: number;
  people: number;
  by_service: Record<string, number>;
  by_job_category: Record<string, number>;
}

export interface Score {
  suite: string;
  scorer: string;
  value: number;
  floor: number;
  at: string;
}

export interface Sheet {
  owner: string;
  owner_email: string;
  purpose: string;
  audience: string;
  risk_answers: Record<string, boolean>;
  validated_by: string;
  validated_on: string | null;
  ethics_review: string;
  status: SystemStatus;
  notes: string;
  score_floors: Record<string, number>;
  updated_by: string;
  updated_at: string | null;
}

export interface QualityCounts {
  documents: number;
  review_due: number;
  duplicates: number;
  without_text: number;
  unreached: number;
}

export interface AiSystem {
  id: string;
  kind: SystemKind;
  name: string;
  description: string;
  source: string;
  data_classes: string[];
  models: string[];
  tools: string[];
  hosting: string[];
  roles: string[];
  services: string[];
  facts: Record<string, unknown>;
  usage: Usage;
  sheet: Sheet;
  risk_level: RiskLevel;
  scores: Score[];
  quality: QualityCounts | null;
  flags: Flag[];
}

export interface HistoryEntry {
  at: string;
  actor: string;
  kind: string;
  summary: string;
  detail: Record<string, unknown>;
}

export interface SystemDetail extends AiSystem {
  history: HistoryEntry[];
}

export interface RiskQuestion {
  key: string;
  text: string;
  level_if_yes: RiskLevel;
  reference: string;
}

export interface SystemMap {
  systems: AiSystem[];
  flagged: number;
  by_kind: Record<string, number>;
  by_risk: Record<string, number>;
  questions: RiskQuestion[];
  last_evaluation: { status: string; reason: string; error: string | null; at: string } | null;
}

export interface EvaluationPoint {
  run_id: string;
  suite: string;
  split: string;
  reason: string;
  change: Record<string, unknown>;
  status: string;
  cases: number;
  scores: Record<string, number>;
  floors: Record<string, number>;
  error: string | null;
  at: string;
}

export interface Alert {
  id: string;
  system_id: string;
  suite: string;
  scorer: string;
  kind: 'below_floor' | 'drop';
  value: number;
  previous: number | null;
  floor: number;
  opened_at: string;
  closed_at: string | null;
  mailed: boolean;
  system_name: string;
}

export type QualityIssue = 'review_due' | 'duplicate' | 'without_text' | 'unreached';

export interface CollectionQuality {
  collection: string;
  system_id: string;
  counts: QualityCounts;
  issues: { id: string; title: string; issue: QualityIssue; detail: string }[];
}

export interface ReportSummary {
  id: string;
  name: string;
  source_format: string;
  uploaded_by: string;
  sample: boolean;
  lines: number;
  ai_lines: number;
  malformed: number;
  first_day: string | null;
  last_day: string | null;
  people: number;
  unknown_people: number;
  created_at: string;
}

export interface ServiceUse {
  ai_service: string;
  name: string;
  provider: string;
  kind: string;
  country: string;
  requests: number;
  people: number;
  bytes: number;
}

export interface GroupUse {
  label: string;
  requests: number;
  people: number;
}

export interface WeekUse {
  week: string;
  ai_service: string;
  requests: number;
  people: number;
}

export interface PersonUse {
  person: number;
  login: string;
  display_name: string;
  service: string;
  job_category: string;
  requests: number;
  bytes: number;
  ai_services: string[];
}

export interface ShadowReport {
  summary: ReportSummary;
  services: ServiceUse[];
  by_service: GroupUse[];
  by_job_category: GroupUse[];
  by_category_and_service: { job_category: string; ai_service: string; requests: number; people: number }[];
  weekly: WeekUse[];
  names_visible: boolean;
  min_group: number;
  people: PersonUse[] | null;
}

export const SERVICE_KINDS = [
  'assistant_conversationnel',
  'moteur_de_recherche_ia',
  'api',
  'agregateur_de_modeles',
  'traduction_redaction',
  'generation_d_images',
  'generation_de_presentations',
  'autre',
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** One public generative-AI service of the catalogue and the host names that reach it. */
export interface AiService {
  id: string;
  name: string;
  provider: string;
  kind: ServiceKind;
  country: string;
  domains: string[];
}

export interface Catalogue {
  version: number;
  document: string;
  author: string | null;
  services: number;
  entries: AiService[];
}

const BASE = '/api/governance';
const id = encodeURIComponent;

export const getMap = (deps?: ApiDeps) => apiGet<SystemMap>(`${BASE}/systems`, deps);
export const getSystem = (systemId: string, deps?: ApiDeps) => apiGet<SystemDetail>(`${BASE}/systems/${id(systemId)}`, deps);
export const getEvaluations = (systemId: string, deps?: ApiDeps) =>
  apiGet<EvaluationPoint[]>(`${BASE}/systems/${id(systemId)}/evaluations`, deps);
export const getAlerts = (open: boolean, deps?: ApiDeps) => apiGet<Alert[]>(`${BASE}/alerts${open ? '?open=true' : ''}`, deps);
export const getMyAlerts = (deps?: ApiDeps) => apiGet<Alert[]>(`${BASE}/alerts/mine`, deps);
export const getQuality = (deps?: ApiDeps) => apiGet<CollectionQuality[]>(`${BASE}/quality`, deps);
export const listReports = (deps?: ApiDeps) => apiGet<ReportSummary[]>(`${BASE}/shadow/reports`, deps);
export const getReport = (reportId: string, deps?: ApiDeps) => apiGet<ShadowReport>(`${BASE}/shadow/reports/${id(reportId)}`, deps);

export const getCatalogue = (deps?: ApiDeps) => apiGet<Catalogue>(`${BASE}/shadow/catalogue`, deps);

/** Add a service to the catalogue, or change it (a new version of the catalogue). */
export function saveService(service: AiService, deps?: ApiDeps): Promise<Catalogue> {
  const { id: serviceId, ...fields } = service;
  return apiRequest<Catalogue>(
    `${BASE}/shadow/catalogue/services/${id(serviceId)}`,
    { method: 'PUT', body: JSON.stringify(fields), headers: { 'Content-Type': 'application/json' } },
    deps,
  );
}

/** Remove a service from the catalogue (a new version of the catalogue). */
export function removeService(serviceId: string, deps?: ApiDeps): Promise<Catalogue> {
  return apiRequest<Catalogue>(`${BASE}/shadow/catalogue/services/${id(serviceId)}`, { method: 'DELETE' }, deps);
}

export function saveSheet(systemId: string, changes: Partial<Sheet>, deps?: ApiDeps): Promise<SystemDetail> {
  return apiRequest<SystemDetail>(
    `${BASE}/systems/${id(systemId)}`,
    { method: 'PATCH', body: JSON.stringify(changes), headers: { 'Content-Type': 'application/json' } },
    deps,
  );
}

/** Upload a proxy log as the request body (read as it arrives by the server); the new report. */
export function uploadReport(file: File, deps?: ApiDeps): Promise<ReportSummary> {
  const name = encodeURIComponent(file.name.slice(0, 200) || 'journal');
  return apiRequest<ReportSummary>(
    `${BASE}/shadow/reports?name=${name}&format=auto`,
    { method: 'POST', body: file, headers: { 'Content-Type': 'text/plain' } },
    deps,
  );
}

export function requestEvaluation(deps?: ApiDeps): Promise<{ work_item: string }> {
  return apiRequest<{ work_item: string }>(`${BASE}/evaluations`, { method: 'POST' }, deps);
}

/** Fetch a file with the user's token and hand it to the browser as a download. */
async function downloadFile(path: ApiUrl, filename: string, deps?: ApiDeps): Promise<void> {
  const response = await apiFetch(path, { method: 'GET', headers: { Accept: '*/*' } }, deps);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

export const downloadPack = (deps?: ApiDeps) => downloadFile(`${BASE}/pack`, 'dossier-certification-ia.html', deps);
export const downloadReportCsv = (reportId: string, deps?: ApiDeps) =>
  downloadFile(`${BASE}/shadow/reports/${id(reportId)}/export`, `ia-fantome-${reportId.slice(0, 8)}.csv`, deps);
