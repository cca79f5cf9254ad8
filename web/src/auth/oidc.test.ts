import { describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '../test/render';
import { base64UrlEncode, s256Challenge } from './pkce';
import {
  SignInError,
  beginSignIn,
  buildAuthorizeUrl,
  checkCallback,
  completeSignIn,
  idTokenNonce,
  safeReturnPath,
} from './oidc';
import { type PendingSignIn, peekPendingSignIn, readAccessToken } from './storage';

const ISSUER = 'http://127.0.0.1:8001/tenant-1/v2.0';
const ORIGIN = 'http://127.0.0.1:8000';
const CONFIG = {
  issuer: ISSUER,
  client_id: 'ariane-web',
  scope: 'openid profile email api://ariane/access_as_user',
  redirect_path: '/auth/callback',
};
const METADATA = {
  authorization_endpoint: `${ISSUER}/oauth2/authorize`,
  token_endpoint: `${ISSUER}/oauth2/token`,
};

/** An unsigned JWT: the browser only reads the nonce, the API verifies signatures. */
function fakeIdToken(claims: object): string {
  const part = (value: object) => base64UrlEncode(new TextEncoder().encode(JSON.stringify(value)));
  return `${part({ alg: 'RS256' })}.${part(claims)}.signature`;
}

/** A provider that answers the three requests of a sign-in, recording what it was sent. */
function fakeProvider(tokenResponse: (form: URLSearchParams) => Response) {
  const tokenRequests: URLSearchParams[] = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (url === '/auth/config') return jsonResponse(CONFIG);
    if (url === `${ISSUER}/.well-known/openid-configuration`) return jsonResponse(METADATA);
    if (url === METADATA.token_endpoint && init?.method === 'POST') {
      expect(new Headers(init.headers).get('Content-Type')).toBe('application/x-www-form-urlencoded');
      const form = new URLSearchParams(String(init.body));
      tokenRequests.push(form);
      return tokenResponse(form);
    }
    return jsonResponse({ error: 'not_found' }, 404);
  });
  return { fetchImpl: fetchImpl as unknown as typeof fetch, tokenRequests };
}

async function signInUntilCallback(fetchImpl: typeof fetch, returnTo = '/audit?run=42') {
  const authorizeUrl = new URL(await beginSignIn(returnTo, ORIGIN, fetchImpl));
  return { authorizeUrl, pending: peekPendingSignIn() as PendingSignIn };
}

describe('beginSignIn', () => {
  it('sends the browser to the discovered authorization endpoint with a S256 challenge', async () => {
    const { fetchImpl } = fakeProvider(() => jsonResponse({}));
    const { authorizeUrl, pending } = await signInUntilCallback(fetchImpl);

    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(METADATA.authorization_endpoint);
    expect(Object.fromEntries(authorizeUrl.searchParams)).toEqual({
      client_id: 'ariane-web',
      response_type: 'code',
      redirect_uri: `${ORIGIN}/auth/callback`,
      scope: CONFIG.scope,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await s256Challenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    expect(pending.returnTo).toBe('/audit?run=42');
    expect(pending.state).not.toBe(pending.nonce);
  });

  it('fails with configuration_unavailable when the discovery document is missing', async () => {
    const fetchImpl = vi.fn(async (input: RequestInfo | URL) =>
      String(input) === '/auth/config' ? jsonResponse(CONFIG) : jsonResponse({}, 404),
    ) as unknown as typeof fetch;
    await expect(beginSignIn('/chat', ORIGIN, fetchImpl)).rejects.toMatchObject({
      reason: 'configuration_unavailable',
    });
  });
});

describe('completeSignIn', () => {
  it('exchanges the code with the verifier, keeps the token and returns the wanted page', async () => {
    let nonce = '';
    const { fetchImpl, tokenRequests } = fakeProvider(() =>
      jsonResponse({
        access_token: 'access-1',
        id_token: fakeIdToken({ nonce }),
        token_type: 'Bearer',
        expires_in: 3600,
        scope: CONFIG.scope,
      }),
    );
    const { pending } = await signInUntilCallback(fetchImpl);
    nonce = pending.nonce;

    const returnTo = await completeSignIn(`?code=the-code&state=${pending.state}`, fetchImpl, () => 1000);

    expect(returnTo).toBe('/audit?run=42');
    expect(Object.fromEntries(tokenRequests[0] ?? [])).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: `${ORIGIN}/auth/callback`,
      client_id: 'ariane-web',
      code_verifier: pending.codeVerifier,
    });
    expect(readAccessToken(1000 + 60_000)).toBe('access-1');
    expect(readAccessToken(1000 + 3600_000)).toBeNull();
    expect(peekPendingSignIn()).toBeNull();
  });

  it('refuses a callback whose state is not the one sent, without calling the provider', async () => {
    const { fetchImpl, tokenRequests } = fakeProvider(() => jsonResponse({}));
    await signInUntilCallback(fetchImpl);

    await expect(completeSignIn('?code=c&state=forged', fetchImpl)).rejects.toMatchObject({
      reason: 'state_mismatch',
      returnTo: '/audit?run=42',
    });
    expect(tokenRequests).toEqual([]);
    expect(readAccessToken()).toBeNull();
  });

  it('reports the provider error of the callback', async () => {
    const { fetchImpl } = fakeProvider(() => jsonResponse({}));
    const { pending } = await signInUntilCallback(fetchImpl);
    const failure = completeSignIn(
      `?error=access_denied&error_description=User+cancelled&state=${pending.state}`,
      fetchImpl,
    );
    await expect(failure).rejects.toMatchObject({ reason: 'provider_error', description: 'User cancelled' });
  });

  it('reports a refused exchange with the provider description', async () => {
    const { fetchImpl } = fakeProvider(() =>
      jsonResponse({ error: 'invalid_grant', error_description: 'The code is used.' }, 400),
    );
    const { pending } = await signInUntilCallback(fetchImpl);
    await expect(completeSignIn(`?code=c&state=${pending.state}`, fetchImpl)).rejects.toMatchObject({
      reason: 'exchange_failed',
      description: 'The code is used.',
    });
  });

  it('refuses an ID token minted for another sign-in', async () => {
    const { fetchImpl } = fakeProvider(() =>
      jsonResponse({ access_token: 'a', id_token: fakeIdToken({ nonce: 'other' }), token_type: 'Bearer', expires_in: 60 }),
    );
    const { pending } = await signInUntilCallback(fetchImpl);
    await expect(completeSignIn(`?code=c&state=${pending.state}`, fetchImpl)).rejects.toMatchObject({
      reason: 'nonce_mismatch',
    });
    expect(readAccessToken()).toBeNull();
  });

  it('refuses a callback when no sign-in is in progress', async () => {
    await expect(completeSignIn('?code=c&state=s')).rejects.toBeInstanceOf(SignInError);
    await expect(completeSignIn('?code=c&state=s')).rejects.toMatchObject({ reason: 'no_pending_sign_in' });
  });
});

describe('helpers', () => {
  it('checks the callback state before anything else but a provider error', () => {
    const pending = { state: 'good' } as PendingSignIn;
    expect(checkCallback(new URLSearchParams('code=c&state=good'), pending)).toBe('c');
    expect(() => checkCallback(new URLSearchParams('code=c'), pending)).toThrow('state_mismatch');
    expect(() => checkCallback(new URLSearchParams('state=good'), pending)).toThrow('missing_code');
  });

  it('builds the authorize URL on top of the endpoint query', () => {
    const url = buildAuthorizeUrl(
      { ...METADATA, authorization_endpoint: 'https://login.example/authorize?p=policy' },
      CONFIG,
      { state: 's', nonce: 'n', codeChallenge: 'c', redirectUri: 'https://app/auth/callback' },
    );
    expect(new URL(url).searchParams.get('p')).toBe('policy');
    expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('reads the nonce of an ID token, and nothing from garbage', () => {
    expect(idTokenNonce(fakeIdToken({ nonce: 'é-n' }))).toBe('é-n');
    expect(idTokenNonce('garbage')).toBeUndefined();
  });

  it('keeps the return path inside the app', () => {
    expect(safeReturnPath('/outils?x=1#y')).toBe('/outils?x=1#y');
    expect(safeReturnPath('//evil.example/')).toBe('/');
    expect(safeReturnPath('https://evil.example/')).toBe('/');
    expect(safeReturnPath('/auth/callback?code=x')).toBe('/');
  });
});
