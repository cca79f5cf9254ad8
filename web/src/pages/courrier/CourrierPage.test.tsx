import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { storeSignedInUser } from '../../test/signedInUser';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { CourrierPage } from './CourrierPage';

const WAIT = { timeout: 10_000 };

const QUEUED = {
  id: '11111111-1111-4111-8111-111111111111',
  file_name: 'fax.png',
  media_type: 'image/png',
  size_bytes: 10,
  digest: 'a'.repeat(64),
  source: 'upload',
  status: 'to_validate',
  route: 'validation',
  confidence: 0,
  document_type: 'biologie',
  patient: 'FONTAINE Gérard',
  exception: 'unknown_patient',
  error: null,
  page_count: 1,
  created_at: '2026-12-04T10:00:00Z',
  updated_at: '2026-12-04T10:00:00Z',
};
const DETAIL = {
  ...QUEUED,
  fields: {
    type: { value: 'biologie', confidence: 0.9, corrected: false },
    nom: { value: 'FONTAINE', confidence: 0.93, corrected: false },
    prenom: { value: 'Gérard', confidence: 0.6, corrected: false },
  },
  match: {
    candidates: [
      {
        ipp: '9155524',
        nom: 'FONTAINE',
        prenom: 'Gérard',
        nom_naissance: null,
        date_naissance: '1939-12-24',
        confidence: 0.55,
        reasons: [],
        stays: [{ nda: 'S26962662', kind: 'hospitalisation', unit: 'CARDIO', unit_name: 'Cardiologie', start: '2026-03-06', end: '2026-03-15' }],
        stay_confidence: { S26962662: 0.95 },
      },
    ],
    ipp: null,
    nda: null,
    confidence: 0,
    exception: 'unknown_patient',
    detail: '',
  },
  threshold: 0.9,
  dpi_document_id: null,
  integrated_at: null,
  events: [
    { at: '2026-12-04T10:00:00Z', kind: 'received', actor: 'ines.moreau@chru-exemple.fr', detail: {} },
    { at: '2026-12-04T10:00:05Z', kind: 'queued_for_validation', actor: null, detail: {} },
  ],
  history_intact: true,
};

function serve(decisions: unknown[], detail: typeof DETAIL = DETAIL) {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (url.includes('/pages/')) return new Response(new Blob(['jpeg']), { status: 200 });
    if (url.endsWith('/patients/search')) {
      decisions.push({ search: JSON.parse(String(init?.body)) });
      return jsonResponse([{ ...DETAIL.match.candidates[0], ipp: '9100000', nom: 'MARTIN', prenom: 'Jean', stays: [
        { nda: 'S26159607', kind: 'hospitalisation', unit: 'CARDIO', unit_name: 'Cardiologie', start: '2026-04-28', end: '2026-05-10' },
      ] }]);
    }
    if (url.endsWith('/decision')) {
      decisions.push(JSON.parse(String(init?.body)));
      return jsonResponse({ ...DETAIL, status: 'integrating' });
    }
    if (url.includes(`/documents/${QUEUED.id}`)) return jsonResponse(detail);
    return jsonResponse([QUEUED]);
  });
}

describe('CourrierPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the queue, flags weak fields and files the chosen stay with Ctrl+Enter', async () => {
    const decisions: unknown[] = [];
    vi.stubGlobal('fetch', serve(decisions));
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:page', revokeObjectURL: () => undefined }));
    // Fluent's MessageBar measures itself; jsdom has no ResizeObserver.
    vi.stubGlobal('ResizeObserver', class { observe() {} unobserve() {} disconnect() {} });
    storeSignedInUser('token-ines', 3600);
    renderWithProviders(
      <Routes>
        <Route path="/courrier/*" element={<CourrierPage />} />
      </Routes>,
      { path: `/courrier/${QUEUED.id}` },
    );
    expect(await screen.findByText('Confiance 60 % : à vérifier', {}, WAIT)).toBeTruthy();
    expect(screen.getAllByText('Patient inconnu du DPI').length).toBeGreaterThan(0);
    const stay = await screen.findByRole('radio', { name: /FONTAINE Gérard .*S26962662/ }, WAIT);
    await userEvent.click(stay);
    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(decisions).toEqual([{ action: 'accept', ipp: '9155524', nda: 'S26962662', fields: {} }]), WAIT);
  });

  it('shows the history and says when its hash chain no longer checks out', async () => {
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:page', revokeObjectURL: () => undefined }));
    vi.stubGlobal('ResizeObserver', class { observe() {} unobserve() {} disconnect() {} });
    storeSignedInUser('token-ines', 3600);
    const page = (
      <Routes>
        <Route path="/courrier/*" element={<CourrierPage />} />
      </Routes>
    );
    vi.stubGlobal('fetch', serve([]));
    const intact = renderWithProviders(page, { path: `/courrier/${QUEUED.id}` });
    expect(await screen.findByText('Historique intègre', {}, WAIT)).toBeTruthy();
    const history = screen.getByRole('region', { name: 'Historique' });
    expect(within(history).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      expect.stringMatching(/ — Reçu \(ines\.moreau@chru-exemple\.fr\)$/),
      expect.stringMatching(/ — Mis en attente de validation$/),
    ]);
    expect(screen.queryByTestId('intake-history-altered')).toBeNull();
    intact.unmount();

    vi.stubGlobal('fetch', serve([], { ...DETAIL, history_intact: false }));
    renderWithProviders(page, { path: `/courrier/${QUEUED.id}` });
    expect(await screen.findByText(/Historique altéré/, {}, WAIT)).toBeTruthy();
    expect(screen.queryByText('Historique intègre')).toBeNull();
  });

  it('looks a patient up in the DPI when the candidates are not the right ones', async () => {
    const calls: unknown[] = [];
    vi.stubGlobal('fetch', serve(calls));
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:page', revokeObjectURL: () => undefined }));
    vi.stubGlobal('ResizeObserver', class { observe() {} unobserve() {} disconnect() {} });
    storeSignedInUser('token-ines', 3600);
    renderWithProviders(
      <Routes>
        <Route path="/courrier/*" element={<CourrierPage />} />
      </Routes>,
      { path: `/courrier/${QUEUED.id}` },
    );
    const box = await screen.findByRole('textbox', { name: 'Rechercher dans le DPI (nom ou IPP)' }, WAIT);
    await userEvent.type(box, 'Martin{Enter}');
    expect(await screen.findByRole('radio', { name: /MARTIN Jean .*S26159607/ }, WAIT)).toBeTruthy();
    expect(calls).toEqual([{ search: { nom: 'Martin' } }]);
  });
});
