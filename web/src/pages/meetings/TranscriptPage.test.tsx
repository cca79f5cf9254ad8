import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { storeSignedInUser } from '../../test/signedInUser';
import type { Transcript } from '../../meetings/transcript';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { TranscriptPage } from './TranscriptPage';

const EVENT = 'evt-ag-dtnib-2025-06-19';
const FIRST = '6d0e3f1a-2b4c/12-0';
const SECOND = '6d0e3f1a-2b4c/13-1';
const THIRD = '6d0e3f1a-2b4c/14-0';

const TRANSCRIPT: Transcript = {
  meeting: {
    id: EVENT,
    subject: 'Assemblée générale DTNIB',
    start: '2025-06-19T12:00:00Z',
    end: '2025-06-19T14:00:00Z',
    organizer: 'helene.marchal@chru-exemple.fr',
  },
  cues: [
    { id: FIRST, start: '00:12:03.120', end: '00:12:41.900', speaker: 'Hélène Marchal', text: 'Nous ouvrirons une plateforme IA institutionnelle.' },
    { id: SECOND, start: '00:13:00.000', end: '00:13:20.500', speaker: 'Paul Girard', text: 'Avec quel calendrier ?' },
    { id: THIRD, start: '01:02:03.450', end: '01:02:10.000', speaker: 'Hélène Marchal', text: 'Dès la rentrée.' },
  ],
};

/** The API answers `GET /api/meetings/<event>/transcript` with `respond`; every call must carry the token. */
function stubApi(respond: () => Response) {
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    if (new Headers(init.headers).get('Authorization') !== 'Bearer token-claire') {
      return jsonResponse({ error: 'unauthenticated', detail: 'Connexion requise.' }, 401);
    }
    if (url.pathname === `/api/meetings/${EVENT}/transcript`) return respond();
    return jsonResponse({ error: 'not_found', detail: 'Introuvable.' }, 404);
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

function Where() {
  const location = useLocation();
  return <p data-testid="where">{location.pathname}</p>;
}

function renderPage(path: string, history: string[] = []) {
  return renderWithProviders(
    <Routes>
      <Route path="/reunions/:eventId" element={<TranscriptPage />} />
      <Route path="*" element={<Where />} />
    </Routes>,
    { path, history },
  );
}

describe('the transcript page', () => {
  beforeEach(() => {
    storeSignedInUser('token-claire', 3600);
  });

  it('shows the meeting and its cues, highlights the cited ones and brings the first into view', async () => {
    const fetch = stubApi(() => jsonResponse(TRANSCRIPT));
    const cues = encodeURIComponent([THIRD, SECOND].join(','));
    renderPage(`/reunions/${EVENT}?cues=${cues}`);

    expect(await screen.findByRole('heading', { level: 1, name: 'Assemblée générale DTNIB' })).toBeTruthy();
    expect(String(fetch.mock.calls[0]?.[0])).toBe(`/api/meetings/${EVENT}/transcript`);
    expect(screen.getByText(/2025/).closest('p')?.textContent).toContain('Organisée par helene.marchal@chru-exemple.fr');

    const list = screen.getByRole('list', { name: 'Transcription de la réunion' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => item.id)).toEqual([`cue-${FIRST}`, `cue-${SECOND}`, `cue-${THIRD}`]);
    const first = document.getElementById(`cue-${FIRST}`) as HTMLElement;
    expect(first.textContent).toContain('00:12:03');
    expect(first.textContent).not.toContain('00:12:03.120');
    expect(within(first).getByText('Hélène Marchal')).toBeTruthy();
    expect(document.getElementById(`cue-${THIRD}`)?.textContent).toContain('01:02:03');

    const cited = items.filter((item) => item.dataset.cited === 'true').map((item) => item.id);
    expect(cited).toEqual([`cue-${SECOND}`, `cue-${THIRD}`]);
    expect(document.getElementById(`cue-${SECOND}`)?.className).not.toBe(first.className);
    expect(document.getElementById(`cue-${SECOND}`)?.textContent).toContain('Passage cité');
    expect(first.textContent).not.toContain('Passage cité');

    // The first cited cue of the meeting, found by its id (it holds `/`), is shown and focused.
    // (jsdom has no layout: the scroll, within the page's own frame only, is the browser tests' to see.)
    await waitFor(() => expect(document.activeElement?.id).toBe(`cue-${SECOND}`));
    expect(document.activeElement?.id).toBe(`cue-${SECOND}`);
  });

  it('also reads the cited cue from the fragment', async () => {
    stubApi(() => jsonResponse(TRANSCRIPT));
    renderPage(`/reunions/${EVENT}#cues=${encodeURIComponent(FIRST)}`);
    await screen.findByRole('heading', { level: 1 });
    expect(document.getElementById(`cue-${FIRST}`)?.dataset.cited).toBe('true');
    expect(document.getElementById(`cue-${SECOND}`)?.dataset.cited).toBeUndefined();
  });

  it('shows the French error when the meeting is not found or not visible', async () => {
    stubApi(() =>
      jsonResponse({ error: 'meeting_not_found', detail: "Réunion introuvable ou inaccessible avec votre compte." }, 404),
    );
    renderPage(`/reunions/${EVENT}?cues=${encodeURIComponent(FIRST)}`);
    expect(await screen.findByText('Réunion introuvable ou inaccessible avec votre compte.')).toBeTruthy();
    expect(screen.getByText('Réunion introuvable')).toBeTruthy();
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('explains a meeting without a transcript when the server sent no detail', async () => {
    stubApi(() => jsonResponse({ error: 'not_transcribed' }, 409));
    renderPage(`/reunions/${EVENT}`);
    expect(await screen.findByText("Cette réunion n'a pas été transcrite.")).toBeTruthy();
  });

  it('goes back to the conversation with « Retour à la conversation »', async () => {
    stubApi(() => jsonResponse(TRANSCRIPT));
    const user = userEvent.setup();
    renderPage(`/reunions/${EVENT}`, ['/chat/t1']);
    await screen.findByRole('heading', { level: 1 });
    await user.click(screen.getByRole('button', { name: 'Retour à la conversation' }));
    expect(screen.getByTestId('where').textContent).toBe('/chat/t1');
  });

  it('goes to the chat when opened directly', async () => {
    stubApi(() => jsonResponse(TRANSCRIPT));
    const user = userEvent.setup();
    renderPage(`/reunions/${EVENT}`);
    await screen.findByRole('heading', { level: 1 });
    screen.getByRole('button', { name: 'Retour à la conversation' }).focus();
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('where').textContent).toBe('/chat');
  });
});
