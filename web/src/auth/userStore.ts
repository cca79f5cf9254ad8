/**
 * Where the signed-in user lives: one slot of localStorage, shared by every tab of the browser (one
 * sign-in for all of them; a sign-out, which empties the slot, reaches them all through `storage`
 * events). The half-done sign-ins (state, PKCE verifier, nonce) stay per tab, in sessionStorage.
 *
 * oidc-client-ts keys its user by issuer and client; this store keeps that key beside the user, so
 * that a user of another issuer (the server's configuration changed) is not handed back, and so
 * that the API client can read the token synchronously without knowing the configuration first.
 */
import { type StateStore, User } from 'oidc-client-ts';

export const USER_KEY = 'ariane.auth.user';
/** Prefix of the per-tab sign-in states in sessionStorage. */
export const STATE_PREFIX = 'ariane.auth.state.';

interface Slot {
  /** oidc-client-ts's key: `user:ISSUER:CLIENT`. */
  for: string;
  /** `User.toStorageString()`. */
  user: string;
}

function readSlot(): Slot | null {
  const raw = localStorage.getItem(USER_KEY);
  if (raw === null) return null;
  try {
    const slot = JSON.parse(raw) as Partial<Slot>;
    if (typeof slot.for === 'string' && typeof slot.user === 'string') return slot as Slot;
  } catch {
    // not ours, or from an older version of the app: forget it below
  }
  localStorage.removeItem(USER_KEY);
  return null;
}

/** The user store oidc-client-ts writes through. */
export class SharedUserStore implements StateStore {
  set(key: string, value: string): Promise<void> {
    const slot: Slot = { for: key, user: value };
    localStorage.setItem(USER_KEY, JSON.stringify(slot));
    return Promise.resolve();
  }

  get(key: string): Promise<string | null> {
    const slot = readSlot();
    return Promise.resolve(slot?.for === key ? slot.user : null);
  }

  remove(key: string): Promise<string | null> {
    const slot = readSlot();
    localStorage.removeItem(USER_KEY);
    return Promise.resolve(slot?.for === key ? slot.user : null);
  }

  getAllKeys(): Promise<string[]> {
    const slot = readSlot();
    return Promise.resolve(slot ? [slot.for] : []);
  }
}

/** The stored user, whatever its issuer, read synchronously. */
export function peekUser(): User | null {
  const slot = readSlot();
  if (!slot) return null;
  try {
    return User.fromStorageString(slot.user);
  } catch {
    localStorage.removeItem(USER_KEY);
    return null;
  }
}

/** Sign-out here: every tab sees the slot emptied. */
export function forgetUser(): void {
  localStorage.removeItem(USER_KEY);
}

/** Whether this tab has sign-ins of its own waiting for the provider's answer. */
export function hasPendingSignIn(): boolean {
  for (let index = 0; index < sessionStorage.length; index++) {
    if (sessionStorage.key(index)?.startsWith(STATE_PREFIX)) return true;
  }
  return false;
}

/** Whether a storage event (from another tab) says the shared user was removed: signed out there. */
export function isSignOutEvent(event: StorageEvent): boolean {
  return (event.key === USER_KEY || event.key === null) && event.newValue === null;
}

/** Whether a storage event (from another tab) changed the shared user: signed in, renewed or out. */
export function isUserEvent(event: StorageEvent): boolean {
  return event.key === USER_KEY || event.key === null;
}
