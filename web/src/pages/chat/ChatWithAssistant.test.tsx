import { configure, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Assistant } from '../../assistants/types';
import { storeSignedInUser } from '../../test/signedInUser';
import type { Thread } from '../../chat/types';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { ChatPage } from './ChatPage';

configure({ asyncUtilTimeout: 5000 });

const COACH: Assistant = {
  id: 'coach-temps-de-travail',
  version: 1,
  name: 'Coach Temps de Travail',
  description: 'Répond à vos questions sur le temps de travail.',
  instructions: '',
  data_class: 'internal',
  models: [],
  tools: ['knowledge'],
  workflows: ['knowledge_question'],
  knowledge: 'coach-temps-de-travail',
  contact: '',
  starter_prompts: ["Comment est compensé mon temps d'astreinte ?"],
  audience: { roles: [], services: [] },
  builtin: true,
  author: null,
  created_at: '2026-11-28T10:00:00Z',
  updated_at: '2026-11-28T10:00:00Z',
  can_edit: false,
  issues: [],
};

const THREAD: Thread = {
  id: 't9',
  title: "Comment est compensé mon temps d'astreinte ?",
  assistant_id: 'coach-temps-de-travail',
  created_at: '2026-11-28T10:00:00Z',
  updated_at: '2026-11-28T10:00:00Z',
};

function stubApi(routes: Record<string, (init: RequestInit) => Response>) {
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const handler = routes[`${init.method ?? 'GET'} ${url.pathname}`];
    return handler ? handler(init) : jsonResponse({ error: 'not_found', detail: 'Introuvable.' }, 404);
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

describe('chatting with a picked assistant', () => {
  beforeEach(() => storeSignedInUser('token-nadia', 3600));

  it("starts the conversation with the assistant, showing its name and its starter prompts", async () => {
    const fetch = stubApi({
      'GET /api/threads': () => jsonResponse([]),
      'GET /api/assistants/coach-temps-de-travail': () => jsonResponse(COACH),
      'POST /api/threads': () => jsonResponse(THREAD, 201),
      'GET /api/threads/t9': () => jsonResponse({ ...THREAD, runs: [] }),
    });
    const user = userEvent.setup();
    renderChat('/chat?assistant=coach-temps-de-travail');
    expect(await screen.findByText('avec Coach Temps de Travail')).toBeTruthy();
    expect(screen.getByText('Répond à vos questions sur le temps de travail.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Quelles réunions ai-je cette semaine/ })).toBeNull();
    await user.click(screen.getByRole('button', { name: "Comment est compensé mon temps d'astreinte ?" }));
    const created = fetch.mock.calls.find(([input, init]) => init?.method === 'POST' && String(input) === '/api/threads');
    expect(JSON.parse(String(created?.[1]?.body))).toEqual({
      title: "Comment est compensé mon temps d'astreinte ?",
      assistant_id: 'coach-temps-de-travail',
    });
  });

  it('shows the assistant of an open conversation in its header', async () => {
    stubApi({
      'GET /api/threads': () => jsonResponse([THREAD]),
      'GET /api/threads/t9': () => jsonResponse({ ...THREAD, runs: [] }),
      'GET /api/assistants/coach-temps-de-travail': () => jsonResponse(COACH),
    });
    renderChat('/chat/t9');
    expect(await screen.findByTestId('thread-assistant')).toBeTruthy();
    expect(screen.getByTestId('thread-assistant').textContent).toBe('avec Coach Temps de Travail');
    expect(screen.getByRole('button', { name: "Comment est compensé mon temps d'astreinte ?" })).toBeTruthy();
  });

  it('says so when the assistant is not open to the user', async () => {
    stubApi({
      'GET /api/threads': () => jsonResponse([]),
      'GET /api/assistants/paie-drh': () =>
        jsonResponse({ error: 'assistant_not_found', detail: "L'assistant « paie-drh » n'existe pas ou ne vous est pas ouvert." }, 404),
    });
    renderChat('/chat?assistant=paie-drh');
    expect(await screen.findByText("L'assistant « paie-drh » n'existe pas ou ne vous est pas ouvert.")).toBeTruthy();
  });
});
