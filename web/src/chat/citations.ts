/** How a citation is described to the user. */
import type { Citation } from './types';

const TIME_RANGE = /^(\d{1,2}:\d{2}:\d{2})(?:[.,]\d+)?\s*[–—-]\s*(\d{1,2}:\d{2}:\d{2})(?:[.,]\d+)?$/;

/** `00:12:03.120–00:12:41.900` → `00:12:03–00:12:41`; any other locator (« page 8 ») as it is. */
export function formatLocator(locator: string): string {
  const range = TIME_RANGE.exec(locator.trim());
  return range ? `${range[1]}–${range[2]}` : locator.trim();
}

/** « Hélène Marchal · 00:12:03–00:12:41 » for a transcript, « page 8 » for a document. */
export function describeLocation(citation: Citation): string {
  const where = formatLocator(citation.locator);
  return citation.speaker ? `${citation.speaker} · ${where}` : where;
}
