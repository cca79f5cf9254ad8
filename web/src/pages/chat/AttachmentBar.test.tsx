import { act, configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { storeSignedInUser } from '../../test/signedInUser';
import type { Attachment } from '../../chat/attachments';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { ChatPage } from './ChatPage';
import { Composer } from './Composer';

const STORED: Attachment = {
  id: 'a1',
  thread_id: 't1',
  filename: 'pret-materiel.txt',
  media_type: 'text/plain',
  size_bytes: 420,
  pages: 2,
  chunks: 2,
  ocr: false,
  created_at: '2026-12-06T08:00:00Z',
};

/** Stands in for the browser's XMLHttpRequest: records what is sent, answers when the test says. */
class FakeRequest {
  static sent: FakeRequest[] = [];
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  status = 0;
  responseText = '';
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: FormData | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
    FakeRequest.sent.push(this);
  }
  progress(loaded: number, total: number) {
    act(() => this.upload.onprogress?.({ lengthComputable: true, loaded, total }));
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    act(() => this.onload?.());
  }
}

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

function renderComposer() {
  const onSend = vi.fn(async () => true);
  renderWithProviders(<Composer running={false} onSend={onSend} onStop={() => undefined} attach={{ threadId: 't1' }} />);
  return onSend;
}

configure({ asyncUtilTimeout: 5000 });

describe('attaching files in the composer', { timeout: 20000 }, () => {
  beforeEach(() => {
    storeSignedInUser('token-nadia', 3600);
    FakeRequest.sent = [];
    vi.stubGlobal('XMLHttpRequest', FakeRequest);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('uploads a picked file with progress, then shows it as a chip that can be removed', async () => {
    let stored: Attachment[] = [];
    const fetch = stubApi({
      'GET /api/threads/t1/attachments': () => jsonResponse(stored),
      'GET /api/assistants/ariane/models': () => jsonResponse([]),
      'DELETE /api/threads/t1/attachments/a1': () => {
        stored = [];
        return new Response(null, { status: 204 });
      },
    });
    const user = userEvent.setup();
    renderComposer();
    await user.type(screen.getByRole('textbox', { name: 'Votre message' }), 'Combien de temps dure le prêt ?');

    await user.upload(screen.getByTestId('attach-input'), new File(['Le prêt dure quinze jours.'], 'pret-materiel.txt', { type: 'text/plain' }));

    const [request] = FakeRequest.sent;
    expect([request?.method, request?.url, request?.headers.Authorization]).toEqual(['POST', '/api/threads/t1/attachments', 'Bearer token-nadia']);
    expect((request?.body?.get('file') as File).name).toBe('pret-materiel.txt');
    request?.progress(30, 100);
    expect(await screen.findByText('Envoi de « pret-materiel.txt » : 30 %')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Envoyer' }).hasAttribute('disabled')).toBe(true); // it would not carry the file
    request?.progress(100, 100);
    expect(await screen.findByText('Lecture de « pret-materiel.txt »…')).toBeTruthy();
    stored = [STORED];
    request?.answer(201, STORED);

    expect((await screen.findByTestId('attachment-chip')).textContent).toBe('pret-materiel.txt');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Envoyer' }).hasAttribute('disabled')).toBe(false));

    await user.click(screen.getByRole('button', { name: 'Retirer « pret-materiel.txt » de la conversation' }));

    await waitFor(() => expect(screen.queryByTestId('attachment-chip')).toBeNull());
    expect(fetch).toHaveBeenCalledWith('/api/threads/t1/attachments/a1', expect.objectContaining({ method: 'DELETE' }));
  });

  it("shows the server's French reason when a file is refused, and refuses unknown formats at once", async () => {
    stubApi({ 'GET /api/threads/t1/attachments': () => jsonResponse([]), 'GET /api/assistants/ariane/models': () => jsonResponse([]) });
    const user = userEvent.setup({ applyAccept: false });
    renderComposer();

    await user.upload(screen.getByTestId('attach-input'), new File(['MZ'], 'outil.exe'));
    expect((await screen.findByTestId('attachment-error')).textContent).toContain(
      '« outil.exe » n\'est pas pris en charge : joignez un fichier PDF, DOCX, TXT ou une image scannée (PNG, JPEG, TIFF).',
    );
    expect(FakeRequest.sent).toHaveLength(0);

    await user.upload(screen.getByTestId('attach-input'), new File(['x'], 'scan.png', { type: 'image/png' }));
    FakeRequest.sent[0]?.answer(415, {
      error: 'ocr_unavailable',
      detail: '« scan.png » est une image : la reconnaissance de texte (OCR) n\'est pas installée sur ce serveur.',
    });

    await waitFor(() => expect(screen.getAllByTestId('attachment-error')).toHaveLength(2));
    const errors = screen.getAllByTestId('attachment-error');
    expect(errors.map((error) => error.textContent)).toContain(
      '« scan.png » n\'a pas pu être joint : « scan.png » est une image : la reconnaissance de texte (OCR) n\'est pas installée sur ce serveur.',
    );
    await user.click(within(errors[0] as HTMLElement).getByRole('button', { name: 'Fermer le message' }));
    await waitFor(() => expect(screen.getAllByTestId('attachment-error')).toHaveLength(1));
  });

  it('creates the conversation for a file attached before the first message, and uploads it there', async () => {
    const created = { id: 't9', title: 'rapport.pdf', assistant_id: null, created_at: STORED.created_at, updated_at: STORED.created_at };
    stubApi({
      'GET /api/threads': () => jsonResponse([]),
      'GET /api/assistants': () => jsonResponse([]),
      'GET /api/assistants/ariane/models': () => jsonResponse([]),
      'POST /api/threads': () => jsonResponse(created, 201),
      'GET /api/threads/t9': () => jsonResponse({ ...created, runs: [] }),
      'GET /api/threads/t9/attachments': () => jsonResponse([]),
      'GET /api/threads/t9/feedback': () => jsonResponse([]),
    });
    function Where() {
      return <span data-testid="where">{useLocation().pathname}</span>;
    }
    const user = userEvent.setup();
    renderWithProviders(
      <Routes>
        <Route path="/chat/:threadId?" element={<><ChatPage /><Where /></>} />
      </Routes>,
      { path: '/chat' },
    );

    await user.upload(await screen.findByTestId('attach-input'), new File(['%PDF-1.7'], 'rapport.pdf', { type: 'application/pdf' }));

    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/chat/t9'));
    await waitFor(() => expect(FakeRequest.sent.map((request) => request.url)).toEqual(['/api/threads/t9/attachments']));
  });
});
