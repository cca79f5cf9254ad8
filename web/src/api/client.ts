/**
 * Calls to the Ariane API (`/api/...`, same origin) with the user's bearer token. A refused token
 * is renewed silently and the request sent once more, so that what the user was doing goes through;
 * only a session that cannot be renewed restarts the sign-in. Any other failure becomes an ApiError
 * carrying the server's `detail` (in the UI's language, sent as `Accept-Language`), for the UI
 * to show as it is.
 */
import { RenewalUnavailable, accessToken, redirectToSignIn, renewAccessToken } from '../auth';
import type { paths } from './schema';

/** A documented path with its parameters filled in: `/api/threads/{thread_id}` → `/api/threads/${string}`. */
type Filled<P extends string> = P extends `${infer Head}{${string}}${infer Tail}` ? `${Head}${string}${Filled<Tail>}` : P;

/** A URL of the API as `/openapi.json` documents it, with or without a query string. */
export type ApiUrl = Filled<keyof paths & string> | `${Filled<keyof paths & string>}?${string}`;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The server's stable error code, or `network` / `http_error` when the body had none. */
    readonly code: string,
    /** The server's message for the user (French), when it sent one. */
    readonly detail?: string,
  ) {
    super(detail ?? `${code} (HTTP ${status})`);
    this.name = 'ApiError';
  }
}

/** Thrown after the browser was sent to sign in again: callers just stop. */
export class SignInRequired extends Error {
  constructor() {
    super('sign-in required');
    this.name = 'SignInRequired';
  }
}

export interface ApiDeps {
  fetch: typeof fetch;
  /** The token to send (renewed first when about to expire); null when nobody is signed in. */
  accessToken: () => Promise<string | null>;
  /**
   * After a 401: a renewed token, or null when the session cannot be renewed. Rejects with
   * RenewalUnavailable when the identity provider could not be reached.
   */
  renewToken: (refused: string) => Promise<string | null>;
  /**
   * Start a new sign-in; the default leaves the page for the identity provider. It rejects with a
   * SignInError when the sign-in cannot even start, and the caller shows that instead.
   */
  signInAgain: () => Promise<void>;
  /** The UI's language, sent as `Accept-Language` so that the server answers its messages in it (French when absent). */
  language?: () => string;
}

/** The UI's current language: i18n sets it on the document at start and on every switch. */
export function documentLanguage(): string {
  return document.documentElement.lang || 'fr';
}

const browserDeps: ApiDeps = {
  fetch: (...args) => fetch(...args),
  accessToken: () => accessToken(),
  renewToken: (refused) => renewAccessToken(refused),
  signInAgain: () => redirectToSignIn(),
  language: documentLanguage,
};

export async function apiGet<T>(path: ApiUrl, deps: ApiDeps = browserDeps): Promise<T> {
  return apiRequest<T>(path, { method: 'GET' }, deps);
}

export async function apiRequest<T>(
  path: ApiUrl,
  init: RequestInit,
  deps: ApiDeps = browserDeps,
): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  const response = await apiFetch(path, { ...init, headers }, deps);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * The successful response itself, body unread (e.g. a `text/event-stream` to read as it arrives).
 * Failures are handled as in `apiRequest`; an abort through `init.signal` rethrows the AbortError.
 */
export async function apiFetch(path: ApiUrl, init: RequestInit, deps: ApiDeps = browserDeps): Promise<Response> {
  const token = await tokenOrNetworkError(() => deps.accessToken());
  if (!token) return signInAgain(deps);
  let response = await send(path, init, token, deps);
  if (response.status === 401) {
    // Expired or revoked early: one silent renewal (shared with the other tabs) and one retry.
    const renewed = await tokenOrNetworkError(() => deps.renewToken(token));
    if (!renewed) return signInAgain(deps);
    response = await send(path, init, renewed, deps);
    if (response.status === 401) return signInAgain(deps);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: unknown; detail?: unknown };
    throw new ApiError(
      response.status,
      typeof body.error === 'string' ? body.error : 'http_error',
      typeof body.detail === 'string' ? body.detail : undefined,
    );
  }
  return response;
}

async function send(path: ApiUrl, init: RequestInit, token: string, deps: ApiDeps): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${token}`);
  headers.set('Accept-Language', (deps.language ?? documentLanguage)());
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  try {
    return await deps.fetch(path, { ...init, headers });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiError(0, 'network');
  }
}

/** The identity provider out of reach is a network failure: the page (and what was typed) stays. */
async function tokenOrNetworkError(read: () => Promise<string | null>): Promise<string | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof RenewalUnavailable) throw new ApiError(0, 'network');
    throw error;
  }
}

async function signInAgain(deps: ApiDeps): Promise<never> {
  await deps.signInAgain();
  throw new SignInRequired();
}
