/** Calls to `/api/governance/...`: the map of AI systems, drift, data quality, shadow AI, the pack. */
import { type ApiDeps, type ApiUrl, apiFetch, apiGet, apiRequest } from '../../api/client';
import type * as schema from '../../api/schema';
import { type ServiceKind, serviceKindValues } from '../../api/schema';
import type { Sent } from '../../api/sent';

export type { Flag, QualityIssue, RiskLevel, ServiceKind, SystemKind, SystemStatus } from '../../api/schema';

export type Usage = Sent<schema.ServerGovernanceSchemasUsage>;
export type Score = Sent<schema.Score>;
export type Sheet = Sent<schema.Sheet>;
export type QualityCounts = Sent<schema.QualityCounts>;
export type AiSystem = Sent<schema.System>;
export type HistoryEntry = Sent<schema.HistoryEntry>;
export type SystemDetail = Sent<schema.SystemDetail>;
export type RiskQuestion = Sent<schema.RiskQuestion>;
export type SystemMap = Sent<schema.SystemMap>;
export type EvaluationPoint = Sent<schema.EvaluationPoint>;
/** A score alert (the server documents its kind as a plain string: here, its values). */
export type Alert = Omit<Sent<schema.Alert>, 'kind'> & { kind: 'below_floor' | 'drop' };
export type CollectionQuality = Sent<schema.CollectionQuality>;
export type ReportSummary = Sent<schema.ShadowReportSummary>;
export type ServiceUse = Sent<schema.ServiceUse>;
export type GroupUse = Sent<schema.GroupUse>;
export type WeekUse = Sent<schema.WeekUse>;
export type PersonUse = Sent<schema.PersonUse>;
export type ShadowReport = Sent<schema.ShadowReport>;

export const SERVICE_KINDS: readonly ServiceKind[] = serviceKindValues;

/** One public generative-AI service of the catalogue and the host names that reach it. */
export type AiService = Sent<schema.AiService>;
export type Catalogue = Sent<schema.CatalogueOut>;

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
