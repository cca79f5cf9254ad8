/**
 * Why a sign-in failed, in the terms the French explanations use (`signInError.reasons.*`), read
 * from what oidc-client-ts throws (its error classes, and its messages for checks it makes itself).
 */
import { ErrorResponse } from 'oidc-client-ts';

export type SignInFailure =
  /** The provider sent the user back with `error` (e.g. access_denied). */
  | 'provider_error'
  /** A callback with no sign-in in progress in this tab (reloaded, bookmarked, or another tab). */
  | 'no_pending_sign_in'
  /** `state` differs from the one(s) this tab sent: possibly a forged callback. */
  | 'state_mismatch'
  | 'missing_code'
  /** The token endpoint refused the code, or could not be reached. */
  | 'exchange_failed'
  /** The ID token does not carry the nonce we sent: it was not issued for this sign-in. */
  | 'nonce_mismatch'
  /** `/auth/config` or the discovery document could not be read. */
  | 'configuration_unavailable';

export class SignInError extends Error {
  constructor(
    readonly reason: SignInFailure,
    /** Technical detail from the provider, shown under the French explanation. */
    readonly description?: string,
  ) {
    super(description ? `${reason}: ${description}` : reason);
    this.name = 'SignInError';
  }

  /** The in-app path the failed sign-in was for, so that "Réessayer" goes back there. */
  returnTo?: string;
}

/**
 * The failure of a callback's processing. `pendingInTab`: whether this tab has sign-ins of its
 * own waiting (then a callback matching none of them is a mismatch, not a lost sign-in).
 */
export function callbackFailure(error: unknown, pendingInTab: boolean): SignInError {
  if (error instanceof SignInError) return error;
  if (error instanceof ErrorResponse) {
    // The token endpoint's refusal (the provider's own error on the callback is read before).
    return new SignInError('exchange_failed', error.error_description ?? error.error ?? error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (message === 'No matching state found in storage' || message === 'No state in response') {
    return new SignInError(pendingInTab ? 'state_mismatch' : 'no_pending_sign_in');
  }
  if (message === 'State does not match') return new SignInError('state_mismatch');
  if (message === 'Expected code in response') return new SignInError('missing_code');
  if (message.startsWith('nonce in id_token does not match')) return new SignInError('nonce_mismatch');
  return new SignInError('exchange_failed', message);
}
