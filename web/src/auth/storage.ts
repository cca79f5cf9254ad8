/**
 * What the sign-in keeps in sessionStorage: the access token between page loads, and the secrets of
 * a sign-in in progress between the redirect to the provider and the callback. sessionStorage (not
 * localStorage) so that a token never outlives the tab, and two tabs never share a half-done sign-in.
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
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify(token));
}

export function isExpired(token: StoredToken, now = Date.now()): boolean {
  return now >= token.expiresAt - EXPIRY_MARGIN_MS;
}

/** The stored access token if it is still usable, otherwise null (an expired one is forgotten). */
export function readAccessToken(now = Date.now()): string | null {
  const token = readJson<StoredToken>(TOKEN_KEY);
  if (!token || typeof token.accessToken !== 'string' || typeof token.expiresAt !== 'number') {
    return null;
  }
  if (isExpired(token, now)) {
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }
  return token.accessToken;
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

export function savePendingSignIn(pending: PendingSignIn): void {
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
}

/** Read the pending sign-in without consuming it (the retry button needs `returnTo`). */
export function peekPendingSignIn(): PendingSignIn | null {
  return readJson<PendingSignIn>(PENDING_KEY);
}

/** Read and remove the pending sign-in: its state and verifier are good for one callback only. */
export function takePendingSignIn(): PendingSignIn | null {
  const pending = peekPendingSignIn();
  sessionStorage.removeItem(PENDING_KEY);
  return pending;
}

/** Sign-out: forget everything this app keeps for the session. */
export function clearSession(): void {
  for (const key of [TOKEN_KEY, PENDING_KEY]) sessionStorage.removeItem(key);
}

function readJson<T>(key: string): T | null {
  const raw = sessionStorage.getItem(key);
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    // A value we cannot read is one we did not write in this shape: drop it rather than crash.
    sessionStorage.removeItem(key);
    return null;
  }
}
