// Browser test of the sign-in's life against the real server and its local identity provider, with
// access tokens of one minute: one sign-in for two tabs, renewal before expiry without the sign-in
// page (and what the user was typing kept), a token refused by the API renewed and the request
// retried, and a sign-out in one tab that signs out the other and ends the session at the provider.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { accessTokenOf, signInAs, withAriane } from './server.mjs';

const UI_TIMEOUT_MS = 20_000;
const REFUSED_TOKEN = 'refused.by.the-api';
const TOKEN_LIFETIME_SECONDS = 60;
const DRAFT = 'Une question que je prends le temps de rédiger…';

test('session: one sign-in for all tabs, silent renewal, retry after a refused token, sign-out everywhere', async ({ browser }) => {
  test.setTimeout(300_000);
  await withAriane(browser, sessionLife, { ARIANE_TENANT_TOKEN_LIFETIME_SECONDS: String(TOKEN_LIFETIME_SECONDS) });
});

async function sessionLife(browser, appOrigin, ariane) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Every visit to the provider's sign-in page, from any tab.
  const signInPages = [];
  context.on('request', (request) => {
    if (request.method() === 'GET' && request.url().includes('/oauth2/v2.0/authorize')) signInPages.push(request.url());
  });
  try {
    const first = await context.newPage();
    first.setDefaultTimeout(UI_TIMEOUT_MS);
    await first.goto(`${appOrigin}/chat`);
    await signInAs(first, 'claire.dubois@chru-exemple.fr', 'Claire Dubois');
    await first.waitForURL(`${appOrigin}/chat`);
    await first.getByRole('banner').getByText('Claire Dubois', { exact: true }).waitFor();
    const signedInAt = Date.now();
    const firstToken = await accessTokenOf(first);
    assert.equal(signInPages.length, 1);

    // A second tab is signed in already.
    const second = await context.newPage();
    second.setDefaultTimeout(UI_TIMEOUT_MS);
    await second.goto(`${appOrigin}/activite`);
    await second.getByRole('banner').getByText('Claire Dubois', { exact: true }).waitFor();
    assert.equal(signInPages.length, 1, 'the second tab must not ask to sign in');

    // The user types; the token is renewed half a minute before its end, in one tab for both.
    await first.getByRole('button', { name: 'Nouvelle conversation', exact: true }).click();
    const composer = first.getByRole('textbox', { name: 'Votre message' });
    await composer.fill(DRAFT);
    await tokenOtherThan(first, firstToken, TOKEN_LIFETIME_SECONDS * 1000);
    const renewedToken = await accessTokenOf(first);
    assert.equal(await accessTokenOf(second), renewedToken, 'both tabs share the renewed token');

    // A token the API refuses (revoked early, or expired on a clock ahead): renewed, request retried.
    // Right after a renewal, the next one is half a minute away: nothing renews meanwhile that could
    // race this rewrite of the stored user.
    await second.evaluate((refused) => {
      const slot = JSON.parse(localStorage.getItem('ariane.auth.user'));
      const user = JSON.parse(slot.user);
      user.access_token = refused;
      localStorage.setItem('ariane.auth.user', JSON.stringify({ ...slot, user: JSON.stringify(user) }));
    }, REFUSED_TOKEN);
    await second.getByRole('link', { name: 'Assistants' }).click();
    await second.waitForURL(`${appOrigin}/assistants`);
    await tokenOtherThan(second, REFUSED_TOKEN, 3 * UI_TIMEOUT_MS);
    const me = await fetch(`${appOrigin}/api/me`, { headers: { Authorization: `Bearer ${await accessTokenOf(second)}` } });
    assert.equal(me.status, 200);
    assert.equal(signInPages.length, 1, 'a refused token is renewed without the sign-in page');
    assert.equal(await composer.inputValue(), DRAFT);

    // Past the first token's end: the pages still work, nobody was sent to sign in, the draft stays.
    const firstTokenEnd = signedInAt + TOKEN_LIFETIME_SECONDS * 1000;
    await first.waitForTimeout(Math.max(0, firstTokenEnd + 2_000 - Date.now()));
    assert.equal(await composer.inputValue(), DRAFT);
    await second.getByRole('link', { name: 'Activité' }).click();
    await second.waitForURL(`${appOrigin}/activite`);
    await second.getByRole('heading', { name: 'Activité' }).first().waitFor();
    assert.equal(signInPages.length, 1, 'no sign-in page after the renewal');

    // Sign-out in one tab: the other one is signed out, and the refresh token no longer works.
    const refreshToken = await first.evaluate(
      () => JSON.parse(JSON.parse(localStorage.getItem('ariane.auth.user')).user).refresh_token,
    );
    const revocation = second.waitForResponse((response) => response.url().includes('/oauth2/v2.0/revoke'));
    await second.getByRole('button', { name: 'Se déconnecter' }).click();
    await second.getByRole('heading', { name: 'Vous êtes déconnecté' }).waitFor();
    await first.getByRole('heading', { name: 'Vous êtes déconnecté' }).waitFor();
    assert.equal((await revocation).status(), 200);
    await assertRefused(ariane.tenantOrigin, refreshToken);
  } finally {
    await context.close();
  }
}

/**
 * The page's stored token once it is another than `token`. Polled from here: a page's own timers
 * (waitForFunction's polling) can be throttled by a busy browser until the wait times out.
 */
async function tokenOtherThan(page, token, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await accessTokenOf(page);
    if (current !== null && current !== token) return current;
    const state = current === null ? 'missing' : 'the same';
    assert.ok(Date.now() < deadline, `the stored token is still ${state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The provider refuses the refresh token of the signed-out session. */
async function assertRefused(tenantOrigin, refreshToken) {
  const discovery = await fetch(`${tenantOrigin}/60df27bd-b518-59d6-aba5-446f062e98c1/v2.0/.well-known/openid-configuration`);
  const { token_endpoint: tokenEndpoint } = await discovery.json();
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'ariane-web', refresh_token: refreshToken }),
  });
  assert.deepEqual([response.status, (await response.json()).error], [400, 'invalid_grant']);
}
