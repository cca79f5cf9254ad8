/** Calls to `/api/batches/...`: batch letters (Courriers en série) of the signed-in user. */
import { apiFetch, apiGet, apiRequest } from '../../api/client';
import type * as schema from '../../api/schema';
import type { DataClass } from '../../api/schema';
import type { Sent } from '../../api/sent';

export type { DataClass } from '../../api/schema';

export type Progress = Sent<schema.Progress>;
export type Batch = Sent<schema.Batch>;
export type Row = Sent<schema.RowOut>;
export type ModelOptions = Sent<schema.ModelOptions>;
export type PreviewRow = Sent<schema.PreviewRow>;
export type BatchStatus = Batch['status'];
export type RowStatus = Row['status'];
export type Review = Row['review'];
export type ExportFormat = NonNullable<
  NonNullable<schema.paths['/api/batches/{batch_id}/export']['get']['parameters']['query']>['format']
>;

export type BatchChanges = Partial<
  Pick<Batch, 'title' | 'data_class' | 'mode' | 'model' | 'instruction' | 'body' | 'review_required'>
>;

const base = (id: string) => `/api/batches/${encodeURIComponent(id)}` as const;
const json = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: body === undefined ? undefined : JSON.stringify(body),
});

export const listBatches = () => apiGet<Batch[]>('/api/batches');
export const getBatch = (id: string) => apiGet<Batch>(base(id));
export const batchModels = (id: string) => apiGet<ModelOptions>(`${base(id)}/models`);
export const updateBatch = (id: string, changes: BatchChanges) => apiRequest<Batch>(base(id), json('PATCH', changes));
export const previewBatch = (id: string) => apiRequest<PreviewRow[]>(`${base(id)}/preview`, json('POST'));
export const act = (id: string, action: 'launch' | 'pause' | 'resume' | 'cancel') =>
  apiRequest<Batch>(`${base(id)}/${action}`, json('POST'));
export const batchRows = (id: string, first = 1, limit = 500) =>
  apiGet<Row[]>(`${base(id)}/rows?first=${first}&limit=${limit}`);
export const reviewRow = (id: string, number: number, decision: Review, text?: string) =>
  apiRequest<Row>(`${base(id)}/rows/${number}/review`, json('PUT', { decision, text }));
export const reviewAll = (id: string, decision: 'accepted' | 'rejected') =>
  apiRequest<Batch>(`${base(id)}/review`, json('POST', { decision }));

export function uploadTable(file: File, dataClass: DataClass | ''): Promise<Batch> {
  const form = new FormData();
  form.append('file', file);
  if (dataClass) form.append('data_class', dataClass);
  return apiRequest<Batch>('/api/batches', { method: 'POST', body: form });
}

/** Download an export: the browser saves the file the server names. */
export async function downloadExport(id: string, format: ExportFormat): Promise<void> {
  const response = await apiFetch(`${base(id)}/export?format=${format}`, { method: 'GET' });
  const blob = await response.blob();
  const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? `courriers.${format}`;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

export interface SharePointTable {
  item_id: string;
  name: string;
  site: string;
}

export const listSharePointTables = () => apiGet<SharePointTable[]>('/api/batches/sharepoint');
export const tableFromSharePoint = (itemId: string, dataClass: DataClass | '') =>
  apiRequest<Batch>('/api/batches/sharepoint', json('POST', { item_id: itemId, data_class: dataClass || null }));
