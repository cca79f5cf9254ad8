/** A cited document's text for the viewer (`GET /api/documents/{source}/{id}`). */
import { type ApiDeps, apiGet } from '../api/client';

export type ViewedSource = 'knowledge' | 'sharepoint';

export interface ViewedSection {
  /** « page 9 » or « section « 3. Barème » », as citations name it. */
  locator: string;
  text: string;
}

export interface DocumentView {
  source: ViewedSource;
  id: string;
  title: string;
  /** The original's address (SharePoint), when it has one. */
  url: string | null;
  sections: ViewedSection[];
}

export function isViewedSource(value: string): value is ViewedSource {
  return value === 'knowledge' || value === 'sharepoint';
}

export function getDocument(source: ViewedSource, id: string, deps?: ApiDeps): Promise<DocumentView> {
  return apiGet<DocumentView>(`/api/documents/${source}/${encodeURIComponent(id)}`, deps);
}

/** The id of a section's element on the page. */
export function sectionElementId(index: number): string {
  return `document-section-${index}`;
}
