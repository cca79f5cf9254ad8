/**
 * Where a citation opens. A document of the embedded tenant opens in the app's own viewer at the
 * cited page or section (its SharePoint address names a production host that opens nothing); in
 * production, a SharePoint document opens at its SharePoint address, at the cited page for a PDF.
 * Transcripts link to the app's transcript page, as the server built it. A file attached to the
 * conversation has no address: its entry in the answer's Sources offers to download it.
 */
import { safeHref } from './markdown';
import type { Citation } from './types';

let documentViewer = false;

/** Set from `/auth/config`'s `document_viewer` (true when Ariane reaches the embedded tenant). */
export function configureDocumentViewer(enabled: boolean): void {
  documentViewer = enabled;
}

/** The path of the viewer for a document (`source`: knowledge or sharepoint), at `locator` if given. */
export function documentViewerPath(source: 'knowledge' | 'sharepoint', id: string, locator?: string | null): string {
  const path = `/documents/${source}/${encodeURIComponent(id)}`;
  return locator ? `${path}?at=${encodeURIComponent(locator)}` : path;
}

/** « page 9 » → 9; any other locator → null. */
export function pageOf(locator: string): number | null {
  const match = /^page (\d+)$/i.exec(locator.trim());
  return match ? Number(match[1]) : null;
}

/** A PDF's web address at the cited page (`#page=9`, what browsers and SharePoint's viewer follow). */
function atPage(url: string, locator: string): string {
  const page = pageOf(locator);
  if (page === null || !/\.pdf(?:$|[?#])/i.test(url)) return url;
  return `${url.split('#')[0]}#page=${page}`;
}

/** Where the citation's link goes, or null when it has nowhere to go (then the Sources entry is the target). */
export function citationHref(citation: Citation): string | null {
  const url = safeHref(citation.url);
  if (citation.source === 'transcript') return url;
  if (citation.source === 'attachment') return null; // the conversation's own file: its Sources entry
  const source = citation.source === 'knowledge' ? 'knowledge' : 'sharepoint';
  if (!documentViewer && url && /^https?:/i.test(url)) return atPage(url, citation.locator);
  return documentViewerPath(source, citation.id, citation.locator);
}

/** True when documents open in the app's viewer (their SharePoint address then opens nothing). */
export function opensInViewer(): boolean {
  return documentViewer;
}
