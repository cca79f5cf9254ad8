/** Calls to `/api/intake/...`: the medical secretariat's incoming paper mail (« Courrier entrant »). */
import { type ApiDeps, apiFetch, apiGet, apiRequest } from '../../api/client';
import type * as schema from '../../api/schema';
import type { Sent } from '../../api/sent';

export type IntakeStatus = schema.Status;
export type IntakeField = Sent<schema.Field>;
export type Stay = Sent<schema.Stay>;
export type Candidate = Sent<schema.Candidate>;
export type IntakeMatch = Sent<schema.Match>;
export type IntakeSummary = Sent<schema.DocumentSummary>;
export type IntakeEvent = Sent<schema.Event>;
/** A document with its fields, match and history; `history_intact`: the history's hash chain checks
 * out (no event altered, removed or slipped in). */
export type IntakeDetail = Sent<schema.DocumentDetail>;
export type ImportResult = Sent<schema.ImportResult>;
/** A secretary's decision on a document (`POST /api/intake/documents/{id}/decision`). */
export type Decision = schema.ServerIntakeSchemasDecision;

/** The fields a secretary checks, in the order shown. */
export const FIELD_NAMES = ['type', 'nom', 'prenom', 'date_naissance', 'ipp', 'date', 'auteur'] as const;
/** Below this confidence a field is highlighted for checking. */
export const LOW_CONFIDENCE = 0.8;
/** Statuses still moving through the pipeline, shown as « en cours ». */
export const IN_PROGRESS: readonly IntakeStatus[] = ['received', 'read', 'structured', 'matched', 'integrating'];

export function listQueue(deps?: ApiDeps): Promise<IntakeSummary[]> {
  return apiGet('/api/intake/documents?status=to_validate&status=failed&limit=200', deps);
}

export function listRecent(deps?: ApiDeps): Promise<IntakeSummary[]> {
  return apiGet('/api/intake/documents?limit=50', deps);
}

export function getDocument(id: string, deps?: ApiDeps): Promise<IntakeDetail> {
  return apiGet(`/api/intake/documents/${encodeURIComponent(id)}`, deps);
}

export function uploadScans(files: File[], deps?: ApiDeps): Promise<ImportResult[]> {
  const form = new FormData();
  for (const file of files) form.append('files', file, file.name);
  return apiRequest('/api/intake/documents', { method: 'POST', body: form }, deps);
}

export function decide(id: string, decision: Decision, deps?: ApiDeps): Promise<IntakeDetail> {
  return apiRequest(
    `/api/intake/documents/${encodeURIComponent(id)}/decision`,
    { method: 'POST', body: JSON.stringify(decision), headers: { 'Content-Type': 'application/json' } },
    deps,
  );
}

export function retry(id: string, deps?: ApiDeps): Promise<IntakeDetail> {
  return apiRequest(`/api/intake/documents/${encodeURIComponent(id)}/retry`, { method: 'POST' }, deps);
}

/** A page's image as an object URL (the request carries the bearer token, so no plain `<img src>`). */
export async function pageImage(id: string, page: number, deps?: ApiDeps): Promise<string> {
  const response = await apiFetch(`/api/intake/documents/${encodeURIComponent(id)}/pages/${page}`, { method: 'GET' }, deps);
  return URL.createObjectURL(await response.blob());
}

/** Patients of the DPI by IPP (digits) or last name, when the candidates are not the right ones. */
export function searchPatients(text: string, deps?: ApiDeps): Promise<Candidate[]> {
  const query = /^\d+$/.test(text.trim()) ? { ipp: text.trim() } : { nom: text.trim() };
  return apiRequest(
    '/api/intake/patients/search',
    { method: 'POST', body: JSON.stringify(query), headers: { 'Content-Type': 'application/json' } },
    deps,
  );
}
