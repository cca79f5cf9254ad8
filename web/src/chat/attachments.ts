/**
 * Files attached to a conversation (`/api/threads/{id}/attachments`): listed, removed, downloaded
 * through the API client; uploaded with XMLHttpRequest, the one browser API that reports an upload's
 * progress. The server reads each file for this conversation only and deletes it with it.
 */
import { type ApiDeps, ApiError, apiFetch, apiGet, apiRequest, documentLanguage } from '../api/client';
import type * as schema from '../api/schema';
import type { Sent } from '../api/sent';
import { RenewalUnavailable, accessToken, redirectToSignIn } from '../auth';

export type Attachment = Sent<schema.Attachment>;

/** What the server accepts (images only when it has OCR; it says so when it has not). */
export const ACCEPTED_EXTENSIONS = ['.pdf', '.docx', '.txt', '.md', '.png', '.jpg', '.jpeg', '.tif', '.tiff'];

/** True when the file's name announces a format an attachment may have. */
export function acceptedName(name: string): boolean {
  const lower = name.toLowerCase();
  return ACCEPTED_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

const base = (threadId: string) => `/api/threads/${encodeURIComponent(threadId)}/attachments` as const;

export function listAttachments(threadId: string, deps?: ApiDeps): Promise<Attachment[]> {
  return apiGet<Attachment[]>(base(threadId), deps);
}

export function removeAttachment(threadId: string, attachmentId: string, deps?: ApiDeps): Promise<void> {
  return apiRequest<void>(`${base(threadId)}/${encodeURIComponent(attachmentId)}`, { method: 'DELETE' }, deps);
}

/** Save the attached file as it was sent (never opened inline: it is the user's own file). */
export async function downloadAttachment(threadId: string, attachmentId: string, filename: string, deps?: ApiDeps): Promise<void> {
  const response = await apiFetch(`${base(threadId)}/${encodeURIComponent(attachmentId)}/content`, { method: 'GET' }, deps);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** How an upload is sent: the browser's XMLHttpRequest, or a test's stand-in. */
export interface UploadDeps {
  makeRequest: () => XMLHttpRequest;
  /** The token to send (renewed first when about to expire); null when nobody is signed in. */
  accessToken: () => Promise<string | null>;
  signInAgain: () => Promise<void>;
}

const browserUpload: UploadDeps = {
  makeRequest: () => new XMLHttpRequest(),
  accessToken: () => accessToken(),
  signInAgain: () => redirectToSignIn(),
};

/**
 * Upload one file; `onProgress` gets the share sent (0 to 1). Resolves with the stored attachment once
 * the server has read it; rejects with an ApiError carrying the server's code and French detail.
 */
export async function uploadAttachment(
  threadId: string,
  file: File,
  onProgress: (sent: number) => void,
  deps: UploadDeps = browserUpload,
): Promise<Attachment> {
  let token: string | null;
  try {
    token = await deps.accessToken();
  } catch (error) {
    // The provider could not be reached to renew: a network failure, the page stays as it is.
    if (error instanceof RenewalUnavailable) throw new ApiError(0, 'network');
    throw error;
  }
  if (!token) {
    await deps.signInAgain();
    throw new ApiError(401, 'not_authenticated');
  }
  return new Promise((resolve, reject) => {
    const request = deps.makeRequest();
    request.open('POST', base(threadId));
    request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.setRequestHeader('Accept', 'application/json');
    request.setRequestHeader('Accept-Language', documentLanguage()); // the server's errors in the UI's language
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(new ApiError(0, 'network'));
    request.onload = () => {
      let body: { error?: unknown; detail?: unknown } & Partial<Attachment> = {};
      try {
        body = JSON.parse(request.responseText) as typeof body;
      } catch {
        // not JSON (a proxy's page): the status says enough
      }
      if (request.status === 201) {
        onProgress(1);
        resolve(body as Attachment);
        return;
      }
      if (request.status === 401) void deps.signInAgain();
      reject(
        new ApiError(
          request.status,
          typeof body.error === 'string' ? body.error : 'http_error',
          typeof body.detail === 'string' ? body.detail : undefined,
        ),
      );
    };
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

// Files picked before a conversation existed: the new conversation's page uploads them (in-memory
// hand-off, as File objects do not survive a reload anyway).
const handedOff = new Map<string, File[]>();

export function handOffFiles(threadId: string, files: File[]): void {
  handedOff.set(threadId, files);
}

export function takeHandedOffFiles(threadId: string): File[] {
  const files = handedOff.get(threadId) ?? [];
  handedOff.delete(threadId);
  return files;
}
