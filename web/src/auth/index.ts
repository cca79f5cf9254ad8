/** The sign-in as the rest of the app uses it: one session per page, shared with the other tabs. */
import { fetchAuthConfig } from './config';
import { Session, browserLock } from './session';

export { fetchAuthConfig, type AuthConfig } from './config';
export { SignInError, type SignInFailure } from './errors';
export { RenewalUnavailable } from './session';
export { isSignOutEvent } from './userStore';

// The configuration is read once per page for the session (RequireUser reads it too, for display).
let config: ReturnType<typeof fetchAuthConfig> | null = null;

const session = new Session({
  loadConfig: () => {
    config ??= fetchAuthConfig().catch((error: unknown) => {
      config = null;
      throw error;
    });
    return config;
  },
  origin: window.location.origin,
  lock: browserLock(),
  assign: (url) => window.location.assign(url),
});

// Back from the provider's page, the browser may restore this page as it was: allow a new start.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) session.allowNewSignIn();
});

/** The in-app location to come back to after signing in. */
export function currentPath(): string {
  return window.location.pathname + window.location.search + window.location.hash;
}

/** The access token to send, renewed first when it is about to expire; null when signed out. */
export const accessToken = () => session.accessToken();

/** After the API refused `refused`: a renewed token, or null when the user must sign in again. */
export const renewAccessToken = (refused: string) => session.renew(refused);

/** Leave for the identity provider; the returned promise rejects if preparing that fails. */
export const redirectToSignIn = (returnTo: string = currentPath()) => session.signIn(returnTo);

/** Finish the sign-in from `/auth/callback`'s URL; resolves to the in-app path to go to. */
export const completeSignIn = (url: string) => session.completeSignIn(url);

/** Sign out in every tab of this browser (and end the session at the provider when it can). */
export const signOut = () => session.signOut();

/** Renew the token before it expires while the app runs; returns the function that stops it. */
export const startSilentRenewal = () => session.startRenewal();
