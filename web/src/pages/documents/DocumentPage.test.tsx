import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { storeSignedInUser } from '../../test/signedInUser';
import { configureDocumentViewer } from '../../chat/documentLinks';
import type { DocumentView } from '../../documents/api';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { DocumentPage } from './DocumentPage';

const ITEM = 'drive-rh:doc-rigtt';
const RIGTT: DocumentView = {
  source: 'sharepoint',
  id: ITEM,
  title: 'Règlement intérieur de gestion du temps de travail.pdf',
  url: 'https://chruexemple.sharepoint.com/sites/RH/Shared%20Documents/RIGTT.pdf',
  sections: [
    { locator: 'page 1', text: 'Préambule' },
    { locator: 'page 2', text: 'Article 1 — Champ d’application' },
    { locator: 'page 3', text: 'Une astreinte de 24 heures ouvre droit à 6 heures de récupération.' },
  ],
};

/** The API answers the viewer's document with `respond`; every call must carry the token. */
function stubApi(respond: () => Response) {
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    if (new Headers(init.headers).get('Authorization') !== 'Bearer token-claire') {
      return jsonResponse({ error: 'unauthenticated', detail: 'Connexion requise.' }, 401);
    }
    if (url.pathname === `/api/documents/sharepoint/${encodeURIComponent(ITEM)}`) return respond();
    return jsonResponse({ error: 'not_found', detail: 'Introuvable.' }, 404);
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

function renderPage(path: string) {
  return renderWithProviders(
    <Routes>
      <Route path="/documents/:source/:id" element={<DocumentPage />} />
    </Routes>,
    { path },
  );
}

describe('the document viewer', () => {
  beforeEach(() => storeSignedInUser('token-claire', 3600));
  afterEach(() => configureDocumentViewer(false));

  it('shows the document page by page and marks the cited page', async () => {
    configureDocumentViewer(true);
    stubApi(() => jsonResponse(RIGTT));
    renderPage(`/documents/sharepoint/${encodeURIComponent(ITEM)}?at=page%203`);

    expect(await screen.findByRole('heading', { level: 1, name: RIGTT.title })).toBeTruthy();
    const sections = screen.getAllByTestId('document-section');
    expect(sections.map((section) => within(section).getByRole('heading', { level: 2 }).textContent)).toEqual([
      'page 1',
      'page 2',
      'Passage cité :page 3',
    ]);
    expect(sections.map((section) => section.hasAttribute('data-cited'))).toEqual([false, false, true]);
    expect(document.activeElement).toBe(sections[2]);
    // The embedded tenant's SharePoint address opens nothing: no link to it.
    expect(screen.queryByRole('link', { name: /Ouvrir l'original/ })).toBeNull();
  });

  it('links to the original in production and says when the cited page is gone', async () => {
    stubApi(() => jsonResponse(RIGTT));
    renderPage(`/documents/sharepoint/${encodeURIComponent(ITEM)}?at=page%209`);

    const original = await screen.findByRole('link', { name: /Ouvrir l'original/ });
    expect(original.getAttribute('href')).toBe(RIGTT.url);
    expect(screen.getByText('Le passage cité (« page 9 ») ne figure plus dans ce document.')).toBeTruthy();
    expect(screen.getAllByTestId('document-section').some((section) => section.hasAttribute('data-cited'))).toBe(false);
  });

  it("says the document is out of reach with the server's words", async () => {
    stubApi(() => jsonResponse({ error: 'document_not_found', detail: "Ce document n'existe pas ou vous n'avez pas accès à ce document." }, 404));
    renderPage(`/documents/sharepoint/${encodeURIComponent(ITEM)}`);

    expect(await screen.findByText('Document introuvable')).toBeTruthy();
    expect(screen.getByText("Ce document n'existe pas ou vous n'avez pas accès à ce document.")).toBeTruthy();
  });

  it('refuses an unknown kind of source without asking the server', async () => {
    const fetch = stubApi(() => jsonResponse(RIGTT));
    renderPage('/documents/ftp/x');

    expect(await screen.findByText('Document introuvable')).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
  });
});
