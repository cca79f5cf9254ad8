/**
 * What the sign-in keeps: the access token in localStorage, shared by every tab of the browser (one
 * sign-in for all of them, as users expect; it expires with the token and sign-out removes it for all
 * tabs), and the secrets of a sign-in in progress in sessionStorage, between the redirect to the
 * provider and the callback, so that two tabs never share a half-done sign-in.
 */

const TOKEN_KEY = 'ariane.auth.token';
const PENDING_KEY = 'ariane.auth.pending';

/** Treat a token as expired this long before it really is, so that a request never lands just after. */
export const EXPIRY_MARGIN_MS = 30_000;

export interface StoredToken {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** A sign-in that left for the provider and has not come back yet. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The in-app path the user wanted, restored after the callback. */
  returnTo: string;
  tokenEndpoint: string;
  clientId: string;
  redirectUri: string;
}

export function saveToken(accessToken: string, expiresInSeconds: number, now = Date.now()): void {
  const token: StoredToken = { accessToken, expiresAt: now + expiresInSeconds * 1000 };
  localStorage.setItem(TOKEN_KEY, JSON.stringify(token));
}

export function isExpired(token: StoredToken, now = Date.now()): boolean {
  return now >= token.expiresAt - EXPIRY_MARGIN_MS;
}

/** The stored access token if it is still usable, otherwise null (an expired one is forgotten). */
export function readAccessToken(now = Date.now()): string | null {
  const token = readJson<StoredToken>(localStorage, TOKEN_KEY);
  if (!token || typeof token.accessToken !== 'string' || typeof token.expiresAt !== 'number') {
    return null;
  }
  if (isExpired(token, now)) {
    localStorage.removeItem(TOKEN_KEY);
    return null;
  }
  return token.accessToken;
}

export function forgetToken(): void {
  localStorage.removeItem(TOKEN_KEY);
}

export function savePendingSignIn(pending: PendingSignIn): void {
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
}

/** Read the pending sign-in without consuming it (the retry button needs `returnTo`). */
export function peekPendingSignIn(): PendingSignIn | null {
  return readJson<PendingSignIn>(sessionStorage, PENDING_KEY);
}

/** Read and remove the pending sign-in: its state and verifier are good for one callback only. */
export function takePendingSignIn(): PendingSignIn | null {
  const pending = peekPendingSignIn();
  sessionStorage.removeItem(PENDING_KEY);
  return pending;
}

/** Sign-out: forget everything this app keeps for the session, in every tab. */
export function clearSession(): void {
  localStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(PENDING_KEY);
}

/** Whether a storage event says the shared token was removed (signed out in another tab). */
export function isSignOutEvent(event: StorageEvent): boolean {
  return event.key === TOKEN_KEY && event.newValue === null;
}

function readJson<T>(storage: Storage, key: string): T | null {
  const raw = storage.getItem(key);
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    // A value we cannot read is one we did not write in this shape: drop it rather than crash.
    storage.removeItem(key);
    return null;
  }
}
