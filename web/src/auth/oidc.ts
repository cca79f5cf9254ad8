/**
 * OpenID Connect authorization-code flow with PKCE, the same code path for every issuer: the
 * server names the issuer in `/auth/config`, and the provider's discovery document names its
 * endpoints. The browser never validates tokens (the API does); it only keeps the access token.
 */
import { configureDocumentViewer } from '../chat/documentLinks';
import { configureAnswerLinks } from '../chat/markdown';
import { randomUrlSafe, s256Challenge } from './pkce';
import {
  type PendingSignIn,
  saveToken,
  savePendingSignIn,
  takePendingSignIn,
} from './storage';

/** What `GET /auth/config` answers. */
export interface AuthConfig {
  issuer: string;
  client_id: string;
  scope: string;
  redirect_path: string;
  /** Hosts whose links in answers are clickable (`.example.fr`: its subdomains). */
  link_hosts?: string[];
  /** Cited documents open in the app's viewer (the embedded tenant's SharePoint links open nothing). */
  document_viewer?: boolean;
}

/** The parts of the provider's discovery document this app uses. */
export interface ProviderMetadata {
  authorization_endpoint: string;
  token_endpoint: string;
}

export interface TokenResponse {
  access_token: string;
  id_token?: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

export type SignInFailure =
  /** The provider sent the user back with `error` (e.g. access_denied). */
  | 'provider_error'
  /** A callback with no sign-in in progress in this tab (reloaded, bookmarked, or another tab). */
  | 'no_pending_sign_in'
  /** `state` differs from the one we sent: possibly a forged callback. */
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

type Fetch = typeof fetch;

export async function fetchAuthConfig(fetchImpl: Fetch = fetch): Promise<AuthConfig> {
  const config = await getJson<AuthConfig>(fetchImpl, '/auth/config');
  configureAnswerLinks(config.link_hosts ?? []);
  configureDocumentViewer(config.document_viewer ?? false);
  return config;
}

export async function fetchProviderMetadata(
  issuer: string,
  fetchImpl: Fetch = fetch,
): Promise<ProviderMetadata> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  return getJson<ProviderMetadata>(fetchImpl, url);
}

export interface AuthorizeRequest {
  state: string;
  nonce: string;
  codeChallenge: string;
  redirectUri: string;
}

export function buildAuthorizeUrl(
  metadata: ProviderMetadata,
  config: AuthConfig,
  request: AuthorizeRequest,
): string {
  const url = new URL(metadata.authorization_endpoint);
  const params: Record<string, string> = {
    client_id: config.client_id,
    response_type: 'code',
    redirect_uri: request.redirectUri,
    scope: config.scope,
    state: request.state,
    nonce: request.nonce,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * Prepare a sign-in and return the provider URL to send the browser to. The verifier, state and
 * nonce stay in this tab's sessionStorage until the callback.
 */
export async function beginSignIn(
  returnTo: string,
  origin: string = window.location.origin,
  fetchImpl: Fetch = fetch,
): Promise<string> {
  const config = await fetchAuthConfig(fetchImpl);
  const metadata = await fetchProviderMetadata(config.issuer, fetchImpl);
  const codeVerifier = randomUrlSafe();
  const pending: PendingSignIn = {
    state: randomUrlSafe(16),
    nonce: randomUrlSafe(16),
    codeVerifier,
    returnTo: safeReturnPath(returnTo),
    tokenEndpoint: metadata.token_endpoint,
    clientId: config.client_id,
    redirectUri: new URL(config.redirect_path, origin).toString(),
  };
  savePendingSignIn(pending);
  return buildAuthorizeUrl(metadata, config, {
    state: pending.state,
    nonce: pending.nonce,
    codeChallenge: await s256Challenge(codeVerifier),
    redirectUri: pending.redirectUri,
  });
}

/**
 * Check the callback query against the pending sign-in and return the authorization code.
 *
 * @throws SignInError
 */
export function checkCallback(params: URLSearchParams, pending: PendingSignIn | null): string {
  const error = params.get('error');
  if (error) {
    throw new SignInError('provider_error', params.get('error_description') ?? error);
  }
  if (!pending) throw new SignInError('no_pending_sign_in');
  if (params.get('state') !== pending.state) throw new SignInError('state_mismatch');
  const code = params.get('code');
  if (!code) throw new SignInError('missing_code');
  return code;
}

/**
 * Redeem the code at the token endpoint (a public client: PKCE instead of a secret).
 *
 * @throws SignInError
 */
export async function exchangeCode(
  pending: PendingSignIn,
  code: string,
  fetchImpl: Fetch = fetch,
): Promise<TokenResponse> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: pending.redirectUri,
    client_id: pending.clientId,
    code_verifier: pending.codeVerifier,
  });
  let response: Response;
  try {
    response = await fetchImpl(pending.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body,
    });
  } catch (error) {
    throw new SignInError('exchange_failed', String(error));
  }
  const payload = (await response.json().catch(() => ({}))) as Partial<TokenResponse> & {
    error?: string;
    error_description?: string;
  };
  if (!response.ok || typeof payload.access_token !== 'string') {
    throw new SignInError(
      'exchange_failed',
      payload.error_description ?? payload.error ?? `HTTP ${response.status}`,
    );
  }
  return payload as TokenResponse;
}

/** The `nonce` claim of an ID token, read without verifying the signature (the API verifies). */
export function idTokenNonce(idToken: string): string | undefined {
  const payload = idToken.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as { nonce?: unknown };
    return typeof claims.nonce === 'string' ? claims.nonce : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finish the sign-in from the callback query: check it, exchange the code, keep the access token.
 * Returns the in-app path the user wanted.
 *
 * @throws SignInError
 */
export async function completeSignIn(
  search: string,
  fetchImpl: Fetch = fetch,
  now: () => number = Date.now,
): Promise<string> {
  const pending = takePendingSignIn();
  try {
    const code = checkCallback(new URLSearchParams(search), pending);
    // checkCallback has thrown unless pending is set.
    const signIn = pending as PendingSignIn;
    const tokens = await exchangeCode(signIn, code, fetchImpl);
    if (tokens.id_token !== undefined && idTokenNonce(tokens.id_token) !== signIn.nonce) {
      throw new SignInError('nonce_mismatch');
    }
    saveToken(tokens.access_token, tokens.expires_in, now());
    return signIn.returnTo;
  } catch (error) {
    if (error instanceof SignInError && pending) error.returnTo = pending.returnTo;
    throw error;
  }
}

/** Only same-app paths: a crafted `returnTo` must not send the user to another site. */
export function safeReturnPath(path: string): string {
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  if (path.startsWith('/auth/callback')) return '/';
  return path;
}

async function getJson<T>(fetchImpl: Fetch, url: string): Promise<T> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { Accept: 'application/json' } });
  } catch (error) {
    throw new SignInError('configuration_unavailable', `${url}: ${String(error)}`);
  }
  if (!response.ok) {
    throw new SignInError('configuration_unavailable', `${url}: HTTP ${response.status}`);
  }
  return (await response.json()) as T;
}
