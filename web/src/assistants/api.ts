/** Calls to the assistants API, and to the knowledge documents of an assistant's collection. */
import {
  type ApiDeps,
  ApiError,
  type ApiUrl,
  SignInRequired,
  apiGet,
  apiRequest,
  documentLanguage,
} from '../api/client';
import { RenewalUnavailable, accessToken } from '../auth';
import type { Assistant, AssistantInput, EditorOptions, KnowledgeDocument } from './types';

const jsonBody = (body: unknown): RequestInit => ({
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json' },
});

const path = (id: string): ApiUrl => `/api/assistants/${encodeURIComponent(id)}`;
const documents = (collection: string) => `/api/knowledge/${encodeURIComponent(collection)}/documents` as const;

export function listAssistants(deps?: ApiDeps): Promise<Assistant[]> {
  return apiGet<Assistant[]>('/api/assistants', deps);
}

export function getAssistant(id: string, deps?: ApiDeps): Promise<Assistant> {
  return apiGet<Assistant>(path(id), deps);
}

export function editorOptions(assistantId = '', deps?: ApiDeps): Promise<EditorOptions> {
  return apiGet<EditorOptions>(`/api/assistants/options?assistant=${encodeURIComponent(assistantId)}`, deps);
}

export function createAssistant(input: AssistantInput, deps?: ApiDeps): Promise<Assistant> {
  return apiRequest<Assistant>('/api/assistants', { method: 'POST', ...jsonBody(input) }, deps);
}

export function updateAssistant(id: string, input: AssistantInput, deps?: ApiDeps): Promise<Assistant> {
  return apiRequest<Assistant>(path(id), { method: 'PUT', ...jsonBody(input) }, deps);
}

export function deleteAssistant(id: string, deps?: ApiDeps): Promise<void> {
  return apiRequest<void>(path(id), { method: 'DELETE' }, deps);
}

export function listDocuments(collection: string, deps?: ApiDeps): Promise<KnowledgeDocument[]> {
  return apiGet<KnowledgeDocument[]>(documents(collection), deps);
}

export function deleteDocument(collection: string, id: string, deps?: ApiDeps): Promise<void> {
  return apiRequest<void>(`${documents(collection)}/${encodeURIComponent(id)}`, { method: 'DELETE' }, deps);
}

/** The part of XMLHttpRequest an upload uses (tests give a fake one). */
export interface UploadRequest {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  readonly upload: { onprogress: ((event: ProgressEvent) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

export interface UploadDeps {
  request: () => UploadRequest;
  /** The token to send (renewed first when about to expire); null when nobody is signed in. */
  accessToken: () => Promise<string | null>;
}

const browserUpload: UploadDeps = {
  request: () => new XMLHttpRequest() as unknown as UploadRequest,
  accessToken: () => accessToken(),
};

/**
 * Upload a document to a collection (multipart field `file`), reporting progress from 0 to 1.
 * XMLHttpRequest, since fetch reports no upload progress. Rejects with the server's ApiError.
 */
export function uploadDocument(
  collection: string,
  file: File,
  onProgress: (fraction: number) => void,
  deps: UploadDeps = browserUpload,
): { done: Promise<KnowledgeDocument>; abort: () => void } {
  const request = deps.request();
  let cancelled = false;
  const done = uploadToken(deps).then((token) => new Promise<KnowledgeDocument>((resolve, reject) => {
    if (cancelled) {
      reject(new ApiError(0, 'aborted'));
      return;
    }
    request.open('POST', documents(collection));
    request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.setRequestHeader('Accept', 'application/json');
    request.setRequestHeader('Accept-Language', documentLanguage()); // the server's errors in the UI's language
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      let body: { error?: unknown; detail?: unknown } = {};
      try {
        body = JSON.parse(request.responseText) as typeof body;
      } catch {
        // not JSON: handled below as an HTTP error without detail
      }
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve(body as unknown as KnowledgeDocument);
        return;
      }
      reject(
        new ApiError(
          request.status,
          typeof body.error === 'string' ? body.error : 'http_error',
          typeof body.detail === 'string' ? body.detail : undefined,
        ),
      );
    };
    request.onerror = () => reject(new ApiError(0, 'network'));
    request.onabort = () => reject(new ApiError(0, 'aborted'));
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  }));
  return {
    done,
    abort: () => {
      cancelled = true;
      request.abort();
    },
  };
}

async function uploadToken(deps: UploadDeps): Promise<string> {
  let token: string | null;
  try {
    token = await deps.accessToken();
  } catch (error) {
    if (error instanceof RenewalUnavailable) throw new ApiError(0, 'network');
    throw error;
  }
  if (!token) throw new SignInRequired();
  return token;
}
