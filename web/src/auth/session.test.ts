import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONFIG, FakeIdentityProvider, ISSUER, ORIGIN, unsignedJwt } from '../test/fakeIdentityProvider';
import { storeSignedInUser } from '../test/signedInUser';
import { fetchAuthConfig } from './config';
import { SignInError } from './errors';
import { type Lock, PROVIDER_TIMEOUT_SECONDS, RenewalUnavailable, Session, inPageLock } from './session';
import { USER_KEY, isSignOutEvent, peekUser } from './userStore';

let idp: FakeIdentityProvider;

beforeEach(() => {
  idp = new FakeIdentityProvider();
  vi.stubGlobal('fetch', idp.fetch);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A tab of the browser: its own session object on the shared localStorage and renewal lock. */
function tab(lock: Lock = inPageLock()) {
  return new Session({
    loadConfig: () => fetchAuthConfig(idp.fetch),
    origin: ORIGIN,
    lock,
    assign: (url) => idp.authorizations.push(new URL(url)),
  });
}

async function signedIn(session: Session, returnTo = '/audit?run=42') {
  await session.signIn(returnTo);
  return session.completeSignIn(idp.callbackFor());
}

/** A signed-in user whose token ends in `seconds`, renewable with `refresh-1` (the provider's current one). */
async function signedInExpiringIn(session: Session, seconds: number) {
  await signedIn(session);
  const user = peekUser();
  storeSignedInUser(user?.access_token ?? '', seconds, { refresh_token: user?.refresh_token ?? '', issuer: ISSUER });
}

describe('signing in', () => {
  it('sends the browser to the provider with PKCE (S256), then keeps the token for every tab', async () => {
    const session = tab();
    await session.signIn('/audit?run=42');

    const authorize = idp.authorizations[0] as URL;
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${ISSUER}/oauth2/authorize`);
    expect(Object.fromEntries([...authorize.searchParams].filter(([name]) => !['state', 'nonce', 'code_challenge'].includes(name)))).toEqual({
      client_id: 'ariane-web',
      redirect_uri: `${ORIGIN}/auth/callback`,
      response_type: 'code',
      scope: CONFIG.scope,
      code_challenge_method: 'S256',
    });
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('nonce')).toMatch(/^[0-9a-f]{32}$/);
    expect(authorize.searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/);

    await expect(session.completeSignIn(idp.callbackFor())).resolves.toBe('/audit?run=42');
    expect(idp.tokenRequests[0]?.get('grant_type')).toBe('authorization_code');
    expect(peekUser()?.access_token).toBe('access-1');
    expect(JSON.parse(localStorage.getItem(USER_KEY) ?? '{}').for).toBe(`user:${ISSUER}:ariane-web`);
    // The secrets of the half-done sign-in were per tab, and are spent.
    expect(Object.keys(sessionStorage).filter((key) => key.startsWith('ariane.auth.state.'))).toEqual([]);
    await expect(tab().accessToken()).resolves.toBe('access-1');
  });

  it('redeems a callback once, however often it is processed (React runs effects twice)', async () => {
    const session = tab();
    await session.signIn('/chat');
    const callback = idp.callbackFor();

    const [first, second] = await Promise.all([session.completeSignIn(callback), session.completeSignIn(callback)]);

    expect([first, second]).toEqual(['/chat', '/chat']);
    expect(idp.tokenRequests).toHaveLength(1);
  });

  it('starts one sign-in at a time', async () => {
    const session = tab();
    await Promise.all([session.signIn('/a'), session.signIn('/b')]);
    expect(idp.authorizations).toHaveLength(1);
  });

  it('never sends the user to another site after signing in', async () => {
    const session = tab();
    await expect(signedIn(session, '//evil.example/x')).resolves.toBe('/');
  });
});

describe('a failed sign-in says why, and where it was going', () => {
  async function failure(callback: (session: Session) => Promise<string>): Promise<SignInError> {
    const session = tab();
    const error = await callback(session).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SignInError);
    return error as SignInError;
  }

  it('the provider refused', async () => {
    const error = await failure(async (session) => {
      await session.signIn('/audit');
      return session.completeSignIn(idp.callbackFor({ error: 'access_denied', error_description: 'User cancelled.' }));
    });
    expect([error.reason, error.description, error.returnTo]).toEqual(['provider_error', 'User cancelled.', '/audit']);
    expect(idp.tokenRequests).toEqual([]);
  });

  it('no sign-in was in progress in this tab', async () => {
    const error = await failure((session) => session.completeSignIn(`${ORIGIN}/auth/callback?code=c&state=s`));
    expect(error.reason).toBe('no_pending_sign_in');
  });

  it('the state is not the one this tab sent', async () => {
    const error = await failure(async (session) => {
      await session.signIn('/audit');
      return session.completeSignIn(idp.callbackFor({ state: 'forged' }));
    });
    expect([error.reason, error.returnTo]).toEqual(['state_mismatch', '/audit']);
    expect(idp.tokenRequests).toEqual([]);
  });

  it('no code came back', async () => {
    const error = await failure(async (session) => {
      await session.signIn('/audit');
      const callback = new URL(idp.callbackFor());
      callback.searchParams.delete('code');
      return session.completeSignIn(callback.toString());
    });
    expect(error.reason).toBe('missing_code');
  });

  it('the token endpoint refused the code', async () => {
    idp.nextCodeAnswer = () =>
      new Response(JSON.stringify({ error: 'invalid_grant', error_description: 'The code expired.' }), {
        status: 400,
        headers: { 'Content-Type': 'application/json' },
      });
    const error = await failure((session) => signedIn(session));
    expect([error.reason, error.description]).toEqual(['exchange_failed', 'The code expired.']);
    expect(peekUser()).toBeNull();
  });

  it('the ID token was not issued for this sign-in (nonce)', async () => {
    idp.nextCodeAnswer = () =>
      new Response(
        JSON.stringify({
          token_type: 'Bearer',
          expires_in: 3600,
          access_token: 'access-x',
          id_token: unsignedJwt({ iss: ISSUER, sub: 'u', aud: 'ariane-web', exp: 0, iat: 0, nonce: 'other' }),
        }),
        { headers: { 'Content-Type': 'application/json' } },
      );
    const error = await failure((session) => signedIn(session));
    expect(error.reason).toBe('nonce_mismatch');
    expect(peekUser()).toBeNull();
  });

  it('the configuration cannot be read, and a retry reads it again', async () => {
    idp.configAvailable = false;
    const session = tab();
    const error = await session.signIn('/audit').catch((thrown: unknown) => thrown);
    expect((error as SignInError).reason).toBe('configuration_unavailable');

    idp.configAvailable = true;
    await session.signIn('/audit');
    expect(idp.authorizations).toHaveLength(1);
  });
});

describe('silent renewal', () => {
  it('sends the stored token as it is while it is far from its end', async () => {
    const session = tab();
    await signedIn(session);
    await expect(session.accessToken()).resolves.toBe('access-1');
    expect(idp.refreshCount).toBe(0);
  });

  it('renews a token about to expire with the refresh token, which the provider rotates', async () => {
    const session = tab();
    await signedInExpiringIn(session, 20);

    await expect(session.accessToken()).resolves.toBe('access-2');

    const refresh = idp.tokenRequests.at(-1);
    expect([refresh?.get('grant_type'), refresh?.get('refresh_token'), refresh?.get('client_id')]).toEqual([
      'refresh_token',
      'refresh-1',
      'ariane-web',
    ]);
    expect(peekUser()?.refresh_token).toBe('refresh-2');
    expect(peekUser()?.expires_in).toBeGreaterThan(3500);
  });

  it('renews a token the API refused, once for parallel requests', async () => {
    const session = tab();
    await signedIn(session);

    const renewed = await Promise.all([session.renew('access-1'), session.renew('access-1'), session.renew('access-1')]);

    expect(renewed).toEqual(['access-2', 'access-2', 'access-2']);
    expect(idp.refreshCount).toBe(1);
  });

  it('renews once for all the tabs: the second finds the first one’s token, no refresh token is spent twice', async () => {
    const browserLock = inPageLock(); // the Web Locks API is one lock for the whole browser
    const first = tab(browserLock);
    const second = tab(browserLock);
    await signedInExpiringIn(first, 10);

    const tokens = await Promise.all([first.accessToken(), second.accessToken()]);

    expect(tokens).toEqual(['access-2', 'access-2']);
    expect(idp.refreshCount).toBe(1);
    await expect(second.renew('access-2')).resolves.toBe('access-3'); // the session was not revoked
  });

  it('gives up when the provider refuses the refresh token: the user signs in again', async () => {
    const session = tab();
    await signedIn(session);
    await session.renew('access-1');
    storeSignedInUser('access-2', 3600, { refresh_token: 'refresh-1', issuer: ISSUER }); // a retired token

    await expect(session.renew('access-2')).resolves.toBeNull();
  });

  it('has nothing to renew with when the provider issued no refresh token', async () => {
    storeSignedInUser('access-0', 3600, { issuer: ISSUER });
    await expect(tab().renew('access-0')).resolves.toBeNull();
    expect(idp.tokenRequests).toEqual([]);
  });

  it('keeps the session when the provider cannot be reached (the page and what was typed stay)', async () => {
    const session = tab();
    await signedIn(session);
    idp.unreachable = true;

    await expect(session.renew('access-1')).rejects.toBeInstanceOf(RenewalUnavailable);
    expect(peekUser()?.refresh_token).toBe('refresh-1');
  });

  it('gives up on a provider that does not answer, and lets the next renewal through', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const lock = inPageLock();
    const session = tab(lock);
    await signedIn(session);
    idp.refreshesHeldUntil = new Promise(() => undefined);

    const hung = session.renew('access-1');
    const outcome = expect(hung).rejects.toBeInstanceOf(RenewalUnavailable);
    await vi.waitFor(() => expect(idp.tokenRequests).toHaveLength(2)); // the code's, then the refresh
    await vi.advanceTimersByTimeAsync(PROVIDER_TIMEOUT_SECONDS * 1000);
    await outcome;

    // The lock is free again: another tab's renewal goes through once the provider answers.
    idp.refreshesHeldUntil = null;
    await expect(tab(lock).renew('access-1')).resolves.toBe('access-2');
  });

  it('renews before the token expires while the app is open, and tries again if the provider is away', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const session = tab();
    await signedInExpiringIn(session, 90);
    idp.unreachable = true;
    const stop = session.startRenewal();

    await vi.advanceTimersByTimeAsync(59_000);
    expect(idp.tokenRequests.filter((form) => form.get('grant_type') === 'refresh_token')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_000); // 30 s before the end
    expect(peekUser()?.access_token).toBe('access-1');

    idp.unreachable = false;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(peekUser()?.access_token).toBe('access-2');
    stop();
  });

  it('follows a renewal made in another tab: no renewal of its own, then the next one on time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const session = tab();
    await signedInExpiringIn(session, 90);
    const stop = session.startRenewal();

    // Another tab renewed: the shared store changed, and this tab hears of it through `storage`.
    await vi.advanceTimersByTimeAsync(10_000);
    storeSignedInUser('access-from-other-tab', 100, { refresh_token: 'refresh-1', issuer: ISSUER });
    window.dispatchEvent(new StorageEvent('storage', { key: USER_KEY, newValue: localStorage.getItem(USER_KEY) }));
    await vi.advanceTimersByTimeAsync(60_000); // past the end of this tab's first token

    expect(idp.refreshCount).toBe(0);
    await vi.advanceTimersByTimeAsync(15_000); // 30 s before the end of the other tab's token
    expect(idp.refreshCount).toBe(1);
    expect(peekUser()?.access_token).toBe('access-2');
    stop();
  });

  it('renews the sign-in another tab made, from the moment it hears of it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    await signedIn(tab());
    const user = peekUser();
    localStorage.clear(); // this tab started signed out
    const session = tab();
    const stop = session.startRenewal();

    storeSignedInUser(user?.access_token ?? '', 100, { refresh_token: user?.refresh_token ?? '', issuer: ISSUER });
    window.dispatchEvent(new StorageEvent('storage', { key: USER_KEY, newValue: localStorage.getItem(USER_KEY) }));
    await vi.advanceTimersByTimeAsync(75_000);

    expect(idp.refreshCount).toBe(1);
    stop();
  });

  it('stops renewing when the provider has ended the session', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const session = tab();
    await signedInExpiringIn(session, 40);
    storeSignedInUser('access-1', 40, { refresh_token: 'revoked', issuer: ISSUER });
    const stop = session.startRenewal();

    await vi.advanceTimersByTimeAsync(600_000);

    expect(idp.refreshCount).toBe(1);
    stop();
  });
});

describe('signing out', () => {
  it('forgets the user in every tab and revokes the refresh token at the provider', async () => {
    const session = tab();
    await signedIn(session);

    await session.signOut();

    expect(peekUser()).toBeNull();
    await expect(tab().accessToken()).resolves.toBeNull();
    expect(idp.revoked).toEqual(['refresh-1']);
    await expect(session.renew('access-1')).resolves.toBeNull();
  });

  it('stays signed out when a renewal was under way in another tab, whose new refresh token is revoked too', async () => {
    const lock = inPageLock();
    const renewing = tab(lock);
    await signedIn(renewing);
    let answer = () => undefined as void;
    idp.refreshesHeldUntil = new Promise((resolve) => {
      answer = resolve;
    });
    const renewal = renewing.renew('access-1');
    await vi.waitFor(() => expect(idp.refreshCount).toBe(1));

    const signingOut = tab(lock).signOut();
    expect(peekUser()).toBeNull(); // at once, whatever the provider does
    answer();
    await renewal;
    await signingOut;

    expect(peekUser()).toBeNull();
    expect([...idp.revoked].sort()).toEqual(['refresh-1', 'refresh-2']);
  });

  it('tells the other tabs through a storage event', () => {
    expect(isSignOutEvent(new StorageEvent('storage', { key: USER_KEY, newValue: null }))).toBe(true);
    expect(isSignOutEvent(new StorageEvent('storage', { key: USER_KEY, newValue: '{}' }))).toBe(false);
    expect(isSignOutEvent(new StorageEvent('storage', { key: 'ariane.language', newValue: null }))).toBe(false);
  });
});
