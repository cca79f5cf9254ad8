/** A cited document's text for the viewer (`GET /api/documents/{source}/{id}`). */
import { type ApiDeps, apiGet } from '../api/client';
import type * as schema from '../api/schema';
import { type ViewedSource, viewedSourceValues } from '../api/schema';
import type { Sent } from '../api/sent';

export type { ViewedSection, ViewedSource } from '../api/schema';

/** A cited document's sections; `url` is the original's address (SharePoint), when it has one. */
export type DocumentView = Sent<schema.DocumentView>;

export function isViewedSource(value: string): value is ViewedSource {
  return (viewedSourceValues as readonly string[]).includes(value);
}

export function getDocument(source: ViewedSource, id: string, deps?: ApiDeps): Promise<DocumentView> {
  return apiGet<DocumentView>(`/api/documents/${source}/${encodeURIComponent(id)}`, deps);
}

/** The id of a section's element on the page. */
export function sectionElementId(index: number): string {
  return `document-section-${index}`;
}
