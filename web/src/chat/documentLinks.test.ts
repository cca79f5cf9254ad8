import { afterEach, describe, expect, it } from 'vitest';
import { citationHref, configureDocumentViewer, pageOf } from './documentLinks';
import type { Citation } from './types';

const SHAREPOINT = 'https://chruexemple.sharepoint.com/sites/RH/Shared%20Documents/R%C3%A8glement.pdf';

function cite(overrides: Partial<Citation>): Citation {
  return { index: 1, source: 'document', id: 'drive-1:doc-rigtt', title: 'Règlement', locator: 'page 9', quote: 'q', url: SHAREPOINT, ...overrides };
}

describe('citationHref', () => {
  afterEach(() => configureDocumentViewer(false));

  it('opens a document of the embedded tenant in the viewer at the cited page', () => {
    configureDocumentViewer(true);

    expect(citationHref(cite({}))).toBe('/documents/sharepoint/drive-1%3Adoc-rigtt?at=page%209');
  });

  it('opens a SharePoint PDF at its page in production, and a DOCX at its address', () => {
    expect(citationHref(cite({}))).toBe(`${SHAREPOINT}#page=9`);
    const docx = `${SHAREPOINT.replace('.pdf', '.docx')}`;
    expect(citationHref(cite({ url: docx, locator: 'section « 2. Objet »' }))).toBe(docx);
  });

  it('opens an uploaded reference document, which has no address, in the viewer', () => {
    const uploaded = cite({ source: 'knowledge', id: '4b1e0c9e-0000-4000-8000-000000000001', url: null, locator: 'page 3' });

    expect(citationHref(uploaded)).toBe('/documents/knowledge/4b1e0c9e-0000-4000-8000-000000000001?at=page%203');
  });

  it('keeps a transcript citation on the link the server built, and never a script address', () => {
    expect(citationHref(cite({ source: 'transcript', url: '/reunions/e1?cues=a' }))).toBe('/reunions/e1?cues=a');
    expect(citationHref(cite({ source: 'transcript', url: 'javascript:alert(1)' }))).toBeNull();
  });

  it('gives a file attached to the conversation no link: its Sources entry offers it', () => {
    configureDocumentViewer(true);

    expect(citationHref(cite({ source: 'attachment', id: 'a1', title: 'pret.txt', url: null }))).toBeNull();
  });

  it('reads the page number of a locator', () => {
    expect([pageOf('page 12'), pageOf('section « page 2 »'), pageOf('00:01:02–00:01:05')]).toEqual([12, null, null]);
  });
});
