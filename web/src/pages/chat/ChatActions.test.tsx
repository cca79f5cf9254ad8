import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { storeSignedInUser } from '../../test/signedInUser';
import type { Run, Thread } from '../../chat/types';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { ChatPage } from './ChatPage';

const now = new Date();
const TODAY: Thread = {
  id: 't1',
  title: 'Astreintes',
  assistant_id: 'coach-temps-de-travail',
  created_at: now.toISOString(),
  updated_at: now.toISOString(),
};
const OLD: Thread = { ...TODAY, id: 't0', title: 'Budget', assistant_id: null, updated_at: '2024-01-05T10:00:00Z' };
const RUN: Run = {
  id: 'r1',
  thread_id: 't1',
  status: 'done',
  request: 'Comment sont compensées les astreintes ?',
  workflow: 'knowledge_question',
  mode: 'extractive',
  answer: 'Les astreintes sont récupérées.',
  citations: [],
  error: null,
  created_at: now.toISOString(),
  finished_at: now.toISOString(),
};
const COACH = {
  id: 'coach-temps-de-travail',
  name: 'Coach Temps de Travail',
  description: 'Le temps de travail.',
  workflows: ['knowledge_question'],
  starter_prompts: [],
  issues: [],
};

type Handler = (init: RequestInit, url: URL) => Response | Promise<Response>;

function stubApi(routes: Record<string, Handler>) {
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const handler = routes[`${init.method ?? 'GET'} ${url.pathname}`];
    return handler ? handler(init, url) : jsonResponse({ error: 'not_found', detail: 'Introuvable.' }, 404);
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

function renderChat(path: string) {
  return renderWithProviders(
    <Routes>
      <Route path="/chat/:threadId?" element={<ChatPage />} />
    </Routes>,
    { path },
  );
}

configure({ asyncUtilTimeout: 5000 });

describe('the chat actions', { timeout: 20000 }, () => {
  beforeEach(() => storeSignedInUser('token-claire', 3600));

  it('groups conversations by date with their assistant, and searches them', async () => {
    const fetch = stubApi({
      'GET /api/threads': () => jsonResponse([TODAY, OLD]),
      'GET /api/assistants': () => jsonResponse([COACH]),
      'GET /api/search/threads': () =>
        jsonResponse([{ thread_id: 't1', title: 'Astreintes', assistant_id: COACH.id, updated_at: TODAY.updated_at, run_id: 'r1', snippet: 'Les «astreintes» sont récupérées' }]),
    });
    const user = userEvent.setup();
    renderChat('/chat');

    const today = await screen.findByRole('list', { name: "Aujourd'hui" });
    expect(within(today).getByRole('link').textContent).toMatch(/Astreintes.*Coach Temps de Travail/);
    expect(within(screen.getByRole('list', { name: 'Plus ancien' })).getByRole('link').textContent).toMatch(/^Budget/);

    await user.type(screen.getByRole('searchbox', { name: 'Rechercher dans vos conversations' }), 'astreinte');
    const hits = await screen.findAllByTestId('search-hit');
    expect(hits.map((hit) => hit.textContent)).toEqual(['AstreintesLes «astreintes» sont récupéréesCoach Temps de Travail']);
    const search = fetch.mock.calls.map(([input]) => new URL(String(input), 'http://localhost')).find((url) => url.pathname === '/api/search/threads');
    expect(search?.searchParams.get('q')).toBe('astreinte');
  });

  it('names the assistant, rates an answer with a comment, withdraws it, and asks again', async () => {
    let feedback: unknown[] = [];
    const fetch = stubApi({
      'GET /api/threads': () => jsonResponse([TODAY]),
      'GET /api/assistants': () => jsonResponse([COACH]),
      'GET /api/assistants/coach-temps-de-travail': () => jsonResponse(COACH),
      'GET /api/threads/t1': () => jsonResponse({ ...TODAY, runs: [RUN] }),
      'GET /api/threads/t1/feedback': () => jsonResponse(feedback),
      'PUT /api/runs/r1/feedback': (init) => {
        const body = JSON.parse(String(init.body));
        feedback = [{ run_id: 'r1', ...body, updated_at: now.toISOString() }];
        return jsonResponse(feedback[0]);
      },
      'DELETE /api/runs/r1/feedback': () => {
        feedback = [];
        return new Response(null, { status: 204 });
      },
      'POST /api/threads/t1/runs': () => new Response('', { status: 200, headers: { 'X-Ariane-Run-Id': 'r2', 'Content-Type': 'text/event-stream' } }),
    });
    const user = userEvent.setup();
    renderChat('/chat/t1');

    const answer = await screen.findByTestId('assistant-message');
    expect(await within(answer).findByText('Coach Temps de Travail')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Votre message' }).getAttribute('placeholder')).toBe(
      'Posez votre question à Coach Temps de Travail…',
    );
    // The coach offers one workflow: no picker of request types.
    expect(screen.queryByRole('combobox', { name: 'Type de demande' })).toBeNull();

    await user.click(within(answer).getByRole('button', { name: 'Réponse à améliorer' }));
    await user.type(await screen.findByRole('textbox', { name: "Qu'est-ce qui n'allait pas ?" }), 'Il manque le barème.');
    await user.click(screen.getByRole('button', { name: 'Envoyer mon avis' }));
    await waitFor(() => expect(within(answer).getByRole('button', { name: 'Réponse à améliorer' }).getAttribute('aria-pressed')).toBe('true'));
    const put = fetch.mock.calls.find(([, init]) => init?.method === 'PUT');
    expect(JSON.parse(String(put?.[1]?.body))).toEqual({ rating: 'down', comment: 'Il manque le barème.' });

    await user.click(within(answer).getByRole('button', { name: 'Réponse à améliorer' }));
    await waitFor(() => expect(fetch.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(true));
    await waitFor(() => expect(within(answer).getByRole('button', { name: 'Réponse à améliorer' }).getAttribute('aria-pressed')).toBe('false'));

    await user.click(within(answer).getByRole('button', { name: 'Régénérer la réponse' }));
    await waitFor(() => expect(fetch.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(true));
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ message: RUN.request });
  });

  it('asks again with the model picked in the composer', async () => {
    const fetch = stubApi({
      'GET /api/threads': () => jsonResponse([TODAY]),
      'GET /api/assistants': () => jsonResponse([COACH]),
      'GET /api/assistants/coach-temps-de-travail': () => jsonResponse(COACH),
      'GET /api/assistants/coach-temps-de-travail/models': () =>
        jsonResponse([
          { id: 'mistral-small-hds', label: 'Mistral Small (HDS)' },
          { id: 'mistral-medium-hds', label: 'Mistral Medium (HDS)' },
        ]),
      'GET /api/threads/t1': () => jsonResponse({ ...TODAY, runs: [RUN] }),
      'GET /api/threads/t1/feedback': () => jsonResponse([]),
      'POST /api/threads/t1/runs': () => new Response('', { status: 200, headers: { 'X-Ariane-Run-Id': 'r2', 'Content-Type': 'text/event-stream' } }),
    });
    const user = userEvent.setup();
    renderChat('/chat/t1');

    await user.selectOptions(await screen.findByRole('combobox', { name: 'Modèle' }), 'mistral-medium-hds');
    await user.click(within(await screen.findByTestId('assistant-message')).getByRole('button', { name: 'Régénérer la réponse' }));

    await waitFor(() => expect(fetch.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(true));
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ message: RUN.request, model: 'mistral-medium-hds' });
  });

  it('creates no conversation until the first message', async () => {
    const fetch = stubApi({
      'GET /api/threads': () => jsonResponse([TODAY]),
      'GET /api/assistants': () => jsonResponse([COACH]),
      'GET /api/assistants/coach-temps-de-travail': () => jsonResponse(COACH),
      'GET /api/threads/t1': () => jsonResponse({ ...TODAY, runs: [RUN] }),
      'GET /api/threads/t1/feedback': () => jsonResponse([]),
    });
    const user = userEvent.setup();
    renderChat('/chat/t1');

    await user.click(await screen.findByRole('button', { name: 'Nouvelle conversation' }));
    await screen.findByText(/Vos conversations avec les assistants apparaîtront ici/);
    expect(fetch.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
  });

  it("shows an automation's messages as answers, with no question the user never typed", async () => {
    const thread: Thread = { ...TODAY, id: 't2', title: 'Automatisation : Alertes Vigie Santé', assistant_id: null };
    const posted: Run = {
      ...RUN,
      id: 'r2',
      thread_id: 't2',
      request: 'Automatisation « Alertes Vigie Santé »',
      workflow: 'automation_message',
      mode: null,
      answer: 'Alerte : [Vigie Santé] Compte compromis : nadia.benali',
    };
    stubApi({
      'GET /api/threads': () => jsonResponse([thread]),
      'GET /api/assistants': () => jsonResponse([COACH]),
      'GET /api/threads/t2': () => jsonResponse({ ...thread, runs: [posted] }),
      'GET /api/threads/t2/feedback': () => jsonResponse([]),
    });
    renderChat('/chat/t2');

    const turn = await screen.findByTestId('turn');
    expect(within(turn).getByTestId('assistant-message').textContent).toContain('Compte compromis : nadia.benali');
    expect(within(turn).queryByTestId('user-message')).toBeNull();
    expect(within(turn).queryByRole('button', { name: /Régénérer/ })).toBeNull();
  });
});
