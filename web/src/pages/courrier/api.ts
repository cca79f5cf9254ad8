/** Calls to `/api/intake/...`: the medical secretariat's incoming paper mail (« Courrier entrant »). */
import { type ApiDeps, apiFetch, apiGet, apiRequest } from '../../api/client';

export type IntakeStatus =
  | 'received'
  | 'read'
  | 'structured'
  | 'matched'
  | 'to_validate'
  | 'integrating'
  | 'integrated'
  | 'rejected'
  | 'failed';

export interface IntakeField {
  value: string;
  confidence: number;
  corrected: boolean;
}

export interface Stay {
  nda: string;
  kind: string;
  unit: string;
  unit_name: string;
  start: string;
  end: string;
}

export interface Candidate {
  ipp: string;
  nom: string;
  prenom: string;
  nom_naissance: string | null;
  date_naissance: string;
  confidence: number;
  reasons: string[];
  stays: Stay[];
  stay_confidence: Record<string, number>;
}

export interface IntakeMatch {
  candidates: Candidate[];
  ipp: string | null;
  nda: string | null;
  confidence: number;
  exception: string | null;
  detail: string;
}

export interface IntakeSummary {
  id: string;
  file_name: string;
  media_type: string;
  size_bytes: number;
  digest: string;
  source: 'upload' | 'folder' | 'api';
  status: IntakeStatus;
  route: 'straight_through' | 'validation' | null;
  confidence: number | null;
  document_type: string | null;
  patient: string | null;
  exception: string | null;
  error: string | null;
  page_count: number | null;
  created_at: string;
  updated_at: string;
}

export interface IntakeEvent {
  at: string;
  kind: string;
  actor: string | null;
  detail: Record<string, unknown>;
}

export interface IntakeDetail extends IntakeSummary {
  fields: Record<string, IntakeField>;
  match: IntakeMatch | null;
  threshold: number;
  dpi_document_id: string | null;
  integrated_at: string | null;
  events: IntakeEvent[];
  /** The history's hash chain checks out (no event altered, removed or slipped in). */
  history_intact: boolean;
}

export interface ImportResult {
  document: IntakeSummary;
  duplicate: boolean;
}

export interface Decision {
  action: 'accept' | 'reject';
  ipp?: string;
  nda?: string;
  fields?: Record<string, string>;
  reason?: string;
}

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
