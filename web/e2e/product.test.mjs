// Browser test of the chat actions people expect, at desktop (1366 px) and phone (390 px) sizes:
// conversations created on first message and grouped by date, copy, feedback, regenerate, search,
// export, dark theme, a reload showing what was shown live; axe-core and layout checks on every page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { assertAccessible, assertLayoutHolds } from './checks.mjs';
import { ARTIFACTS, askInNewConversation, lastAnswerSettled, signedIn, withAriane } from './server.mjs';

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 780 };
const RUN_TIMEOUT_MS = 90_000;
// Claire organised this meeting, which has a transcript (she is not invited to the comité de pilotage IA).
const REQUEST = "Résume l'assemblée générale DTNIB";
const PAGES = {
  claire: ['/chat', '/assistants', '/assistants/nouveau', '/activite'],
  thomas: ['/outils', '/administration'],
  anne: ['/audit', '/gouvernance'],
  ines: ['/courriers', '/courrier'],
};

test('chat actions, search, export, theme; every page accessible and within a phone screen', async ({ browser }) => {
  test.setTimeout(300_000);
  await withAriane(browser, async (_, appOrigin) => {
    await claireUsesTheChatActions(browser, appOrigin);
    await everyPageHolds(browser, appOrigin);
  });
});

async function claireUsesTheChatActions(browser, appOrigin) {
  const { context, page } = await signedIn(browser, appOrigin, '/chat', 'claire.dubois@chru-exemple.fr', 'Claire Dubois', DESKTOP);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: appOrigin });
  try {
    // « Nouvelle conversation » creates nothing: the list stays empty until a message is sent.
    await page.getByRole('button', { name: 'Nouvelle conversation', exact: true }).click();
    await page.getByText('Aucune conversation pour l\'instant.', { exact: false }).waitFor();
    await assertAccessible(page, 'chat, empty');

    await askInNewConversation(page, REQUEST);
    const answer = await lastAnswerSettled(page, RUN_TIMEOUT_MS);
    assert.equal(await answer.getAttribute('data-status'), 'done', await answer.innerText());
    const today = page.getByRole('list', { name: "Aujourd'hui" });
    await today.getByRole('link', { name: /Résume l'assemblée générale DTNIB/ }).waitFor();
    const live = await page.getByRole('log').innerText();

    // Copy puts the answer's text on the clipboard.
    await answer.getByRole('button', { name: 'Copier la réponse' }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(copied.length > 20 && live.includes(copied.split('\n')[0]), `copied: ${copied}`);

    // Thumbs down with a comment, kept after a reload; the reload shows what was shown live.
    await answer.getByRole('button', { name: 'Réponse à améliorer' }).click();
    await page.getByRole('textbox', { name: "Qu'est-ce qui n'allait pas ?" }).fill('Il manque les décisions.');
    await page.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await answer.getByRole('button', { name: 'Réponse à améliorer', pressed: true }).waitFor();
    await assertAccessible(page, 'chat, a conversation');
    await page.reload();
    await page.getByTestId('assistant-message').getByRole('button', { name: 'Réponse à améliorer', pressed: true }).waitFor();
    assert.equal(await page.getByRole('log').innerText(), live, 'the reloaded conversation differs from the live one');

    // A cited transcript moment opens in the app, the shell left in place (not pushed up).
    const source = page.getByTestId('citation').first().getByRole('link').first();
    if (await source.count()) {
      await source.click();
      await page.waitForURL(/\/reunions\//);
      await page.getByRole('heading', { level: 1 }).waitFor();
      // The first cited cue is brought into view and focused once the transcript renders.
      await page.waitForFunction(() => document.activeElement?.id?.startsWith('cue-'));
      const shifted = await page.evaluate(() => [window.scrollY, document.querySelector('header')?.getBoundingClientRect().top]);
      assert.deepEqual(shifted, [0, 0], 'the shell must not scroll with the transcript');
      await assertAccessible(page, 'transcript');
      await page.goBack();
      await page.getByTestId('assistant-message').first().waitFor();
    }

    // Regenerate: a new run of the same request, both answers kept.
    await page.getByTestId('assistant-message').last().getByRole('button', { name: 'Régénérer la réponse' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="assistant-message"]').length === 2);
    await lastAnswerSettled(page, RUN_TIMEOUT_MS);
    const asked = await page.getByTestId('user-message').allInnerTexts();
    assert.equal(asked.length, 2);
    assert.ok(asked.every((text) => text.endsWith(REQUEST)), JSON.stringify(asked));

    // Search over the conversations (French full text: « assemblées » finds « assemblée »).
    await page.getByRole('searchbox', { name: 'Rechercher dans vos conversations' }).fill('assemblées générales');
    const hit = page.getByTestId('search-hit').first();
    await hit.waitFor();
    assert.match(await hit.innerText(), /Résume l'assemblée générale DTNIB/);
    await page.getByRole('searchbox', { name: 'Rechercher dans vos conversations' }).fill('');

    // Export to Markdown, with the sources.
    await page.getByRole('button', { name: 'Exporter' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Markdown (.md)' }).click(),
    ]);
    const markdown = readFileSync(await download.path(), 'utf8');
    assert.equal(download.suggestedFilename(), 'resume-l-assemblee-generale-dtnib.md');
    assert.match(markdown, /^# Résume l'assemblée générale DTNIB\n/);
    assert.match(markdown, /\*\*Sources\*\*/);

    // A failed tool call (a meeting Claire was not invited to) reads the same after a reload: the
    // failed card with the nearby meetings it offers, then the answer.
    await askInNewConversation(page, 'Résume la réunion du comité de pilotage IA');
    await lastAnswerSettled(page, RUN_TIMEOUT_MS);
    await page.locator('[data-testid="tool-activity"][data-state="failed"]').first().waitFor();
    const failedLive = await page.getByRole('log').innerText();
    await page.reload();
    await lastAnswerSettled(page, RUN_TIMEOUT_MS);
    await page.locator('[data-testid="tool-activity"][data-state="failed"]').first().waitFor();
    assert.equal(await page.getByRole('log').innerText(), failedLive, 'the reloaded failed tool call differs from the live one');
    // The conversation list comes in a request of its own, which may end after the answer's.
    const todaysLinks = today.getByRole('link');
    await todaysLinks.nth(1).waitFor();
    assert.equal(await todaysLinks.count(), 2);

    // Dark theme, kept after a reload.
    await page.getByRole('button', { name: 'Thème sombre' }).click();
    await page.reload();
    await page.getByRole('button', { name: 'Thème sombre', pressed: true }).waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.querySelector('main')).backgroundColor);
    assert.match(background, /^rgb\((\d{1,2}), \1, \1\)$/, `a dark background, got ${background}`);
    await assertAccessible(page, 'chat, dark theme');
    await page.screenshot({ path: join(ARTIFACTS, 'claire-chat-dark.png') });
    await page.getByRole('button', { name: 'Thème sombre' }).click();

    await page.setViewportSize(PHONE);
    await assertLayoutHolds(page, 'chat conversation, phone');
    await page.screenshot({ path: join(ARTIFACTS, 'claire-chat-phone.png') });
  } finally {
    await context.close();
  }
}

async function everyPageHolds(browser, appOrigin) {
  const users = {
    claire: ['claire.dubois@chru-exemple.fr', 'Claire Dubois'],
    thomas: ['thomas.roux@chru-exemple.fr', 'Thomas Roux'],
    anne: ['anne.lambert@chru-exemple.fr', 'Anne Lambert'],
    ines: ['ines.moreau@chru-exemple.fr', 'Inès Moreau'],
  };
  for (const [who, paths] of Object.entries(PAGES)) {
    const [email, name] = users[who];
    const { context, page } = await signedIn(browser, appOrigin, paths[0], email, name, DESKTOP);
    try {
      for (const path of paths) {
        for (const viewport of [DESKTOP, PHONE]) {
          await page.setViewportSize(viewport);
          await page.goto(`${appOrigin}${path}`);
          await page.getByRole('main').waitFor();
          await page.waitForLoadState('networkidle');
          const label = `${path} at ${viewport.width} px`;
          await assertLayoutHolds(page, label);
          await assertAccessible(page, label);
        }
      }
    } finally {
      await context.close();
    }
  }
}
