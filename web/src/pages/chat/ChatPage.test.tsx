import { act, configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { storeSignedInUser } from '../../test/signedInUser';
import type { Citation, Run, Thread } from '../../chat/types';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { ChatPage } from './ChatPage';

const THREAD: Thread = {
  id: 't1',
  title: 'Assemblée générale',
  assistant_id: null,
  created_at: '2025-06-19T10:00:00Z',
  updated_at: '2025-06-19T10:00:00Z',
};
const OTHER: Thread = { ...THREAD, id: 't2', title: 'Astreintes' };
const REQUEST = "J'ai loupé l'assemblée générale DTNIB, résume-moi l'intervention d'Hélène Marchal en 4 points";

function citation(index: number): Citation {
  return {
    index,
    source: 'transcript',
    id: 'ag-dtnib',
    title: 'Assemblée générale DTNIB',
    locator: `00:1${index}:03.120–00:1${index}:41.900`,
    quote: `Citation numéro ${index}.`,
    url: null,
    speaker: 'Hélène Marchal',
  };
}

function storedRun(overrides: Partial<Run>): Run {
  return {
    id: 'r1',
    thread_id: 't1',
    status: 'done',
    request: 'Bonjour',
    workflow: null,
    mode: 'generative',
    answer: 'Bonjour !',
    citations: [],
    error: null,
    created_at: '2025-06-19T10:00:00Z',
    finished_at: '2025-06-19T10:00:05Z',
    ...overrides,
  };
}

/** A `text/event-stream` response whose events the test writes when it wants. */
function eventStream(headers: Record<string, string> = {}) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  let seq = 0;
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream', ...headers } }),
    send(type: string, data: unknown, id = ++seq) {
      seq = id;
      act(() => controller.enqueue(encoder.encode(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`)));
    },
    close: () => act(() => controller.close()),
    fail: () => act(() => controller.error(new TypeError('network error'))),
  };
}

type Handler = (init: RequestInit, url: URL) => Response | Promise<Response>;

/** The API: `routes` maps "METHOD /path" to a handler; anything else is a 404. Every call must carry the token. */
function stubApi(routes: Record<string, Handler>) {
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    if (new Headers(init.headers).get('Authorization') !== 'Bearer token-claire') {
      return jsonResponse({ error: 'unauthenticated', detail: 'Connexion requise.' }, 401);
    }
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

function composer() {
  return screen.getByRole('textbox', { name: 'Votre message' });
}

// Fluent's dialogs and menus open with motion: leave them time on a busy machine.
configure({ asyncUtilTimeout: 5000 });

// Generous: these tests type and stream through Fluent components, slow on a busy machine.
describe('the chat page', { timeout: 20000 }, () => {
  beforeEach(() => storeSignedInUser('token-claire', 3600));

  it('streams an answer: tool cards, Markdown, footnotes, sources, extractive badge', async () => {
    const stream = eventStream({ 'X-Ariane-Run-Id': 'r2' });
    const fetch = stubApi({
      'GET /api/threads': () => jsonResponse([THREAD, OTHER]),
      'GET /api/threads/t1': () => jsonResponse({ ...THREAD, runs: [] }),
      'PATCH /api/threads/t1': () => jsonResponse(THREAD),
      'POST /api/threads/t1/runs': () => stream.response,
    });
    const user = userEvent.setup();
    renderChat('/chat/t1');

    expect(await screen.findByRole('heading', { name: 'Assemblée générale', level: 1 })).toBeTruthy();
    expect(screen.getByRole('link', { name: /Assemblée générale/ }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('button', { name: /Quelles réunions ai-je cette semaine/ })).toBeTruthy();

    await user.type(composer(), 'J’ai loupé{Shift>}{Enter}{/Shift}l’AG');
    expect((composer() as HTMLTextAreaElement).value).toBe('J’ai loupé\nl’AG');
    await user.clear(composer());
    await user.type(composer(), `${REQUEST}{Enter}`);

    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ message: REQUEST });
    expect(screen.getByText(REQUEST)).toBeTruthy();
    expect((composer() as HTMLTextAreaElement).value).toBe('');
    const stop = await screen.findByRole('button', { name: 'Arrêter la réponse' });
    expect(stop).toBeTruthy();

    stream.send('tool_start', { tool: 'list_events', server: 'calendar', label: 'Recherche dans votre agenda…' });
    const card = await screen.findByTestId('tool-activity');
    expect(card.getAttribute('data-state')).toBe('running');
    stream.send('tool_end', { tool: 'list_events', ok: true });
    await waitFor(() => expect(card.getAttribute('data-state')).toBe('ok'));

    stream.send('token', { text: 'Voici l’intervention d’Hélène Marchal en 4 points :\n\n1. Plateforme[1]\n' });
    stream.send('token', { text: '2. Gouvernance[2]\n3. Formation[3]\n4. Calendrier[4]' });
    for (const index of [1, 2, 3, 4]) stream.send('citation', citation(index));
    stream.send('done', { run_id: 'r2', status: 'done', mode: 'extractive' });
    stream.close();

    const answer = await screen.findByTestId('answer');
    await waitFor(() => expect(within(answer).getAllByRole('listitem')).toHaveLength(4));
    expect(within(answer).getAllByRole('link').map((link) => link.textContent)).toEqual(['[1]', '[2]', '[3]', '[4]']);
    expect(screen.getByText('Réponse extractive')).toBeTruthy();
    const sources = screen.getAllByTestId('citation');
    expect(sources.map((source) => within(source).getByTestId('citation-location').textContent)).toEqual([
      'Hélène Marchal · 00:11:03–00:11:41',
      'Hélène Marchal · 00:12:03–00:12:41',
      'Hélène Marchal · 00:13:03–00:13:41',
      'Hélène Marchal · 00:14:03–00:14:41',
    ]);
    expect(within(sources[0] as HTMLElement).getByTestId('citation-quote').textContent).toBe('« Citation numéro 1. »');
    expect(await screen.findByRole('button', { name: 'Envoyer' })).toBeTruthy();
    // The first message titles a conversation only when it still has the server's default title.
    expect(fetch.mock.calls.some(([, init]) => init?.method === 'PATCH')).toBe(false);
  });

  it('offers the models policy allows with the assistant, and sends the one picked', async () => {
    const stream = eventStream({ 'X-Ariane-Run-Id': 'r2' });
    const fetch = stubApi({
      'GET /api/threads': () => jsonResponse([THREAD]),
      'GET /api/threads/t1': () => jsonResponse({ ...THREAD, runs: [] }),
      'GET /api/assistants/ariane/models': () =>
        jsonResponse([
          { id: 'mistral-small-hds', label: 'Mistral Small (HDS)' },
          { id: 'mistral-medium-eu', label: 'Mistral Medium (UE)' },
        ]),
      'POST /api/threads/t1/runs': () => stream.response,
    });
    const user = userEvent.setup();
    renderChat('/chat/t1');

    const picker = await screen.findByRole('combobox', { name: 'Modèle' });
    expect(within(picker).getAllByRole('option').map((option) => option.textContent)).toEqual([
      'Modèle automatique',
      'Mistral Small (HDS)',
      'Mistral Medium (UE)',
    ]);
    await user.selectOptions(picker, 'mistral-medium-eu');
    await user.type(composer(), `${REQUEST}{Enter}`);

    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ message: REQUEST, model: 'mistral-medium-eu' });
    stream.close();
  });

  it('shows no model picker when policy leaves one model or none', async () => {
    stubApi({
      'GET /api/threads': () => jsonResponse([THREAD]),
      'GET /api/threads/t1': () => jsonResponse({ ...THREAD, runs: [] }),
      'GET /api/assistants/ariane/models': () => jsonResponse([{ id: 'mistral-small-hds', label: 'Mistral Small (HDS)' }]),
    });
    renderChat('/chat/t1');

    expect(await screen.findByRole('heading', { name: 'Assemblée générale', level: 1 })).toBeTruthy();
    expect(screen.queryByRole('combobox', { name: 'Modèle' })).toBeNull();
  });

  it('shows the server’s French detail when a message is refused, and keeps the message', async () => {
    stubApi({
      'GET /api/threads': () => jsonResponse([THREAD]),
      'GET /api/threads/t1': () => jsonResponse({ ...THREAD, runs: [storedRun({})] }),
      'POST /api/threads/t1/runs': () =>
        jsonResponse(
          { error: 'run_in_progress', detail: 'Une réponse est déjà en cours dans cette conversation : attendez ou arrêtez-la.' },
          409,
        ),
    });
    const user = userEvent.setup();
    renderChat('/chat/t1');
    expect(await screen.findByText('Bonjour !')).toBeTruthy();

    await user.type(composer(), 'Encore une question{Enter}');
    expect(await screen.findByText(/Une réponse est déjà en cours/)).toBeTruthy();
    expect((composer() as HTMLTextAreaElement).value).toBe('Encore une question');
    expect(screen.getAllByTestId('turn')).toHaveLength(1);
  });

  it('counts characters near the limit and refuses to send past it', async () => {
    stubApi({
      'GET /api/threads': () => jsonResponse([THREAD]),
      'GET /api/threads/t1': () => jsonResponse({ ...THREAD, runs: [] }),
    });
    renderChat('/chat/t1');
    await screen.findByRole('heading', { name: 'Assemblée générale', level: 1 });
    const user = userEvent.setup();
    await user.click(composer());
    await user.paste('x'.repeat(4001));
    expect(screen.getByText('4001 / 4000 caractères')).toBeTruthy();
    expect(screen.getByText('Le message dépasse la limite de 4000 caractères.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Envoyer' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('reattaches to a running run, again after the stream drops, and stops it', async () => {
    const first = eventStream();
    const second = eventStream();
    const afters: string[] = [];
    const streams = [first, second];
    const fetch = stubApi({
      'GET /api/threads': () => jsonResponse([THREAD]),
      'GET /api/threads/t1': () =>
        jsonResponse({ ...THREAD, runs: [storedRun({ id: 'r9', status: 'running', request: REQUEST, answer: null, mode: null })] }),
      'GET /api/runs/r9/events': (_, url) => {
        afters.push(url.searchParams.get('after') ?? '');
        return (streams.shift() as ReturnType<typeof eventStream>).response;
      },
      'POST /api/runs/r9/stop': () =>
        jsonResponse(storedRun({ id: 'r9', status: 'stopped', request: REQUEST, answer: 'Début', error: { code: 'stopped', detail: 'Réponse arrêtée à votre demande.' } })),
    });
    const user = userEvent.setup();
    renderChat('/chat/t1');

    await waitFor(() => expect(afters).toEqual(['0']));
    first.send('token', { text: 'Dé' });
    first.send('token', { text: 'but' });
    expect(await screen.findByText('Début')).toBeTruthy();
    first.fail();
    await waitFor(() => expect(afters).toEqual(['0', '2']));
    second.send('token', { text: 'but' }, 2); // a replayed event is not applied twice
    second.send('token', { text: ' de réponse' }, 3);
    expect(await screen.findByText('Début de réponse')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Arrêter la réponse' }));
    expect(fetch.mock.calls.some(([url, init]) => String(url) === '/api/runs/r9/stop' && init?.method === 'POST')).toBe(true);
    expect(await screen.findByText('Réponse arrêtée à votre demande.')).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Envoyer' })).toBeTruthy();
  });

  it('starts a conversation from a starter prompt and titles it with the message', async () => {
    const stream = eventStream({ 'X-Ariane-Run-Id': 'r3' });
    const created: Thread = { ...THREAD, id: 't3', title: 'Comment est compensé mon temps d’astreinte ?' };
    const fetch = stubApi({
      'GET /api/threads': () => jsonResponse([]),
      'POST /api/threads': () => jsonResponse(created, 201),
      'GET /api/threads/t3': () => jsonResponse({ ...created, runs: [] }),
      'POST /api/threads/t3/runs': () => stream.response,
    });
    const user = userEvent.setup();
    renderChat('/chat');
    expect(await screen.findByText("Aucune conversation pour l'instant. Posez une question pour en commencer une.")).toBeTruthy();

    await user.click(screen.getByRole('button', { name: /Comment est compensé mon temps d'astreinte/ }));
    expect(await screen.findByRole('heading', { name: created.title, level: 1 })).toBeTruthy();
    await waitFor(() => expect(fetch.mock.calls.some(([url]) => String(url) === '/api/threads/t3/runs')).toBe(true));
    const createCall = fetch.mock.calls.find(([url, init]) => String(url) === '/api/threads' && init?.method === 'POST');
    expect(JSON.parse(String(createCall?.[1]?.body))).toEqual({ title: "Comment est compensé mon temps d'astreinte ?" });
    stream.send('error', { code: 'not_ready', detail: 'Les assistants ne sont pas encore disponibles.' });
    stream.send('done', { run_id: 'r3', status: 'failed' });
    stream.close();
    expect(await screen.findByText('Les assistants ne sont pas encore disponibles.')).toBeTruthy();
  });

  it('renames and deletes a conversation, after confirmation', { timeout: 30_000 }, async () => {
    const fetch = stubApi({
      'GET /api/threads': () => jsonResponse([THREAD, OTHER]),
      'GET /api/threads/t1': () => jsonResponse({ ...THREAD, runs: [] }),
      'PATCH /api/threads/t2': (init) => jsonResponse({ ...OTHER, title: JSON.parse(String(init.body)).title }),
      'DELETE /api/threads/t1': () => new Response(null, { status: 204 }),
    });
    const user = userEvent.setup();
    renderChat('/chat/t1');
    await screen.findByRole('textbox', { name: 'Votre message' }); // the open conversation has loaded
    await user.click(await screen.findByRole('button', { name: 'Actions pour « Astreintes »' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Renommer' }));
    // In jsdom the menu's focus return sometimes lands after the dialog took focus, and the dialog stays
    // aria-hidden until focused again; Chromium does not show this. Clicking into the field, as a user would, settles it.
    const name = await screen.findByRole('textbox', { name: /Nom de la conversation/, hidden: true });
    await user.click(name);
    expect(screen.getByRole('dialog', { name: 'Renommer la conversation' })).toBeTruthy();
    await user.clear(name);
    await user.type(name, 'Compensation des astreintes{Enter}');
    expect(await screen.findByRole('link', { name: /Compensation des astreintes/ })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Actions pour « Assemblée générale »' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Supprimer' }));
    const dialog = await screen.findByRole('dialog', { name: 'Supprimer la conversation ?', hidden: true }); // see above
    expect(fetch.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Supprimer', hidden: true }));
    await waitFor(() => expect(screen.queryByRole('link', { name: /Assemblée générale/ })).toBeNull());
    expect(fetch.mock.calls.some(([url, init]) => String(url) === '/api/threads/t1' && init?.method === 'DELETE')).toBe(true);
  });
});

describe('a held tool call in the chat', { timeout: 20000 }, () => {
  beforeEach(() => storeSignedInUser('token-claire', 3600));

  it('is confirmed from its card, and the result streams in as the next exchange', async () => {
    const held = {
      id: 'c1',
      run_id: 'r1',
      thread_id: 't1',
      server: 'badges',
      tool: 'disable_badge',
      title: 'badges/disable_badge',
      description: 'Désactive un badge.',
      arguments: { badge: '42' },
      digest: 'sha256:abc',
      status: 'pending',
      created_at: '2025-06-19T10:00:05Z',
      decided_at: null,
      result_run_id: null,
    };
    const decided = { ...held, status: 'confirmed', decided_at: '2025-06-19T10:01:00Z', result_run_id: 'r2' };
    const confirmRequest = 'Confirmer : badges/disable_badge {"badge": "42"}';
    const stream = eventStream();
    let confirmed = false;
    const fetch = stubApi({
      'GET /api/threads': () => jsonResponse([THREAD]),
      'GET /api/threads/t1': () =>
        jsonResponse({
          ...THREAD,
          runs: [storedRun({ request: 'Désactive mon badge 42', workflow: 'tool_agent', answer: 'Confirmez-vous cet appel ?' })],
        }),
      'GET /api/threads/t1/confirmations': () => jsonResponse([confirmed ? decided : held]),
      'POST /api/runs/r1/confirmation/confirm': () => {
        confirmed = true;
        return jsonResponse({
          confirmation: decided,
          run: storedRun({ id: 'r2', status: 'running', request: confirmRequest, workflow: 'tool_confirmation', answer: null }),
        }, 202);
      },
      'GET /api/runs/r2/events': () => stream.response,
    });
    const user = userEvent.setup();
    renderChat('/chat/t1');

    const card = await screen.findByTestId('confirmation-card');
    expect(within(card).getByRole('table').textContent).toBe('badge42');
    await user.click(within(card).getByRole('button', { name: 'Confirmer' }));

    expect(await screen.findByText(confirmRequest)).toBeTruthy();
    stream.send('tool_start', { tool: 'disable_badge', server: 'badges', label: 'Appel de l’outil disable_badge…' });
    stream.send('tool_end', { tool: 'disable_badge', ok: true });
    stream.send('token', { text: 'Action confirmée : Badge 42 désactivé.' });
    stream.send('done', { run_id: 'r2', status: 'done', answer: 'Action confirmée : Badge 42 désactivé.', mode: 'extractive' });
    stream.close();

    expect(await screen.findByText('Action confirmée : Badge 42 désactivé.')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('confirmation-card').dataset.status).toBe('confirmed'));
    expect(screen.queryByRole('button', { name: 'Confirmer' })).toBeNull();
    expect(fetch.mock.calls.filter(([url]) => String(url).endsWith('/confirmation/confirm'))).toHaveLength(1);
  });
});
