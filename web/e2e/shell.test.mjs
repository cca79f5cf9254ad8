// Browser test of the web shell against the real server (`ariane up`) and its local identity
// provider: sign-in with the authorization-code flow, roles in the app bar, language switch,
// sign-out, and a clean stop of the server on SIGINT.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { ARTIFACTS, signInAs, withAriane } from './server.mjs';

const UI_TIMEOUT_MS = 20_000;

test('web shell: sign-in, roles, language, sign-out, clean stop', async ({ browser }) => {
  test.setTimeout(300_000);
  await withAriane(browser, async (browser, appOrigin) => {
    await staffMemberSeesTheirAppsAndSwitchesLanguage(browser, appOrigin);
    await aiAdminSeesAdministrationAndOutils(browser, appOrigin);
  });
});

async function staffMemberSeesTheirAppsAndSwitchesLanguage(browser, appOrigin) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  try {
    await page.goto(`${appOrigin}/`);
    await signInAs(page, 'claire.dubois@chru-exemple.fr', 'Claire Dubois');
    await page.waitForURL(`${appOrigin}/chat`);

    const topBar = page.getByRole('banner');
    await topBar.getByText('Claire Dubois', { exact: true }).waitFor();
    assert.deepEqual(await appBarLabels(page), ['Chat', 'Assistants', 'Activité', 'Courriers']);
    await activeApp(page, 'Chat').waitFor();
    await page.getByText('Vos conversations avec les assistants apparaîtront ici.', { exact: false }).waitFor();

    await openAppWithKeyboard(page, 'Assistants');
    await page.waitForURL(`${appOrigin}/assistants`);
    await activeApp(page, 'Assistants').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'claire-assistants-keyboard.png') });
    await page.getByRole('link', { name: 'Chat' }).click();

    await page.getByRole('button', { name: 'Langue : Français' }).click();
    await page.getByRole('menuitemradio', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Activity' }).waitFor();
    await page.getByText('Your conversations with the assistants will appear here.', { exact: false }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'claire-chat-en.png') });

    // The signed-in user and the language live in localStorage: both survive a reload.
    await page.reload();
    await topBar.getByText('Claire Dubois', { exact: true }).waitFor();
    assert.deepEqual(await appBarLabels(page), ['Chat', 'Assistants', 'Activity', 'Letters']);

    await page.setViewportSize({ width: 390, height: 780 });
    await page.screenshot({ path: join(ARTIFACTS, 'claire-chat-en-narrow.png') });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'signed-out-en.png') });
    assert.equal(await page.evaluate(() => localStorage.getItem('ariane.auth.user')), null);
  } finally {
    await context.close();
  }
}

async function aiAdminSeesAdministrationAndOutils(browser, appOrigin) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  try {
    // Asking for a page before signing in lands on that page afterwards.
    await page.goto(`${appOrigin}/administration`);
    await signInAs(page, 'thomas.roux@chru-exemple.fr', 'Thomas Roux');
    await page.waitForURL(`${appOrigin}/administration`);

    await page.getByRole('banner').getByText('Thomas Roux', { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    const labels = await appBarLabels(page);
    assert.ok(labels.includes('Administration'), `app bar: ${labels}`);
    assert.ok(labels.includes('Outils'), `app bar: ${labels}`);
    assert.ok(!labels.includes('Audit'), `app bar: ${labels}`);
    await page.screenshot({ path: join(ARTIFACTS, 'thomas-administration.png') });
  } finally {
    await context.close();
  }
}

/** The app bar link marked as the current page, if it is `label`. */
function activeApp(page, label) {
  return page.locator(`nav a[aria-current="page"][aria-label="${label}"]`);
}

/** Reach an app of the app bar with Tab only, and open it with Enter. */
async function openAppWithKeyboard(page, label) {
  for (let presses = 0; presses < 15; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    if (focused === label) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  assert.fail(`the ${label} app cannot be reached with the Tab key`);
}

async function appBarLabels(page) {
  const links = page.getByRole('navigation').getByRole('link');
  await links.first().waitFor();
  return links.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label')));
}
