import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { type UploadRequest, uploadDocument } from './api';

/** A fake XMLHttpRequest: records what is sent; the test plays progress and the answer. */
class FakeRequest implements UploadRequest {
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  responseText = '';
  aborted = false;
  upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total } as ProgressEvent);
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

/** Start an upload; resolves once the request is sent (the token is read asynchronously first). */
async function start(request: FakeRequest, progress: number[], token: string | null = 'token-sophie') {
  const file = new File(['Règlement'], 'reglement.txt', { type: 'text/plain' });
  const upload = uploadDocument('aide-paie', file, (fraction) => progress.push(fraction), {
    request: () => request,
    accessToken: () => Promise.resolve(token),
  });
  await new Promise((resolve) => setTimeout(resolve, 0));
  return upload;
}

describe('uploading a document', () => {
  it('posts the file as multipart with the token and reports progress until done', async () => {
    const request = new FakeRequest();
    const progress: number[] = [];
    const { done } = await start(request, progress);
    expect([request.method, request.url, request.headers.Authorization]).toEqual([
      'POST',
      '/api/knowledge/aide-paie/documents',
      'Bearer token-sophie',
    ]);
    expect((request.body?.get('file') as File).name).toBe('reglement.txt');
    request.progress(50, 200);
    request.progress(200, 200);
    request.answer(201, { id: 'd1', filename: 'reglement.txt' });
    expect(await done).toEqual({ id: 'd1', filename: 'reglement.txt' });
    expect(progress).toEqual([0.25, 1, 1]);
  });

  it("rejects with the server's code and French detail", async () => {
    const request = new FakeRequest();
    const { done } = await start(request, []);
    request.answer(413, { error: 'file_too_large', detail: 'Le fichier dépasse 20 Mo.' });
    await expect(done).rejects.toEqual(new ApiError(413, 'file_too_large', 'Le fichier dépasse 20 Mo.'));
  });

  it('can be cancelled', async () => {
    const request = new FakeRequest();
    const upload = await start(request, []);
    upload.abort();
    await expect(upload.done).rejects.toMatchObject({ code: 'aborted' });
    expect(request.aborted).toBe(true);
  });
});
