/** The sign-in as the rest of the app uses it. */
import { beginSignIn, completeSignIn } from './oidc';

export { SignInError, type SignInFailure } from './oidc';
export { clearSession, forgetToken, readAccessToken } from './storage';

/** The in-app location to come back to after signing in. */
export function currentPath(): string {
  return window.location.pathname + window.location.search + window.location.hash;
}

// One sign-in at a time: two concurrent starts (parallel 401s, StrictMode's double effects) would
// each store their own state and verifier, and the callback could meet the other one's.
let signingIn: Promise<void> | null = null;

// Back from the provider's page, the browser may restore this page as it was: allow a new start.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) signingIn = null;
});

/** Leave for the identity provider; the returned promise rejects if preparing that fails. */
export function redirectToSignIn(returnTo: string = currentPath()): Promise<void> {
  signingIn ??= beginSignIn(returnTo).then(
    (url) => window.location.assign(url),
    (error: unknown) => {
      signingIn = null; // let "Réessayer" start afresh
      throw error;
    },
  );
  return signingIn;
}

// An authorization code can be redeemed once. React's StrictMode runs effects twice in development,
// so the callback page shares one exchange per callback URL instead of failing the second time.
const exchanges = new Map<string, Promise<string>>();

export function completeSignInOnce(search: string): Promise<string> {
  let exchange = exchanges.get(search);
  if (!exchange) {
    exchange = completeSignIn(search);
    exchanges.set(search, exchange);
  }
  return exchange;
}
