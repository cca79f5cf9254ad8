// Browser test of a conversation with « Coach Temps de Travail » against the real server (`ariane up`):
// Inès Moreau asks a question, then a follow-up that only makes sense after it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { assertAccessible } from './checks.mjs';
import { ARTIFACTS, lastAnswerSettled, signedIn, withAriane } from './server.mjs';

const RUN_TIMEOUT_MS = 60_000;
const FIRST = "Combien de jours d'absence pour garder un enfant malade ?";
const FOLLOW_UP = "Et si j'élève seule mon enfant ?";

test('coach: a follow-up is answered about the previous question; a cited page opens in the viewer', async ({ browser }) => {
  await withAriane(browser, inesAsksTheCoachTwice);
});

async function inesAsksTheCoachTwice(browser, appOrigin) {
  const path = '/chat?assistant=coach-temps-de-travail';
  const { context, page } = await signedIn(browser, appOrigin, path, 'ines.moreau@chru-exemple.fr', 'Inès Moreau');
  try {
    const composer = page.getByRole('textbox', { name: 'Votre message' });
    await composer.fill(FIRST);
    await composer.press('Enter');
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    const first = await answered(page, FIRST);
    assert.match(await first.innerText(), /6 jours/);

    // A cited page opens in Ariane's document viewer (not the tenant's SharePoint host), brought into view.
    const source = first.getByTestId('citation').first().getByRole('link').first();
    const locator = await first.getByTestId('citation-location').first().innerText();
    await source.click();
    await page.waitForURL(/\/documents\/knowledge\/[0-9a-f-]{36}\?at=/);
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'document-section');
    assert.match(await page.evaluate(() => document.activeElement.querySelector('h2').textContent), new RegExp(`${locator}$`));
    await assertAccessible(page, 'document viewer');
    await page.goBack();
    await page.getByTestId('assistant-message').first().waitFor();

    await composer.fill(FOLLOW_UP);
    await composer.press('Enter');
    const second = await answered(page, FOLLOW_UP);
    const text = await second.innerText();
    assert.match(text, /12 jours/, `the follow-up is about sick-child leave for a single parent:\n${text}`);
    assert.ok((await second.getByTestId('citation').count()) >= 1, 'the follow-up answer is cited');
    assert.equal(await page.getByTestId('assistant-message').count(), 2);
    await page.screenshot({ path: join(ARTIFACTS, 'ines-coach-follow-up.png') });
  } finally {
    await context.close();
  }
}

async function answered(page, message) {
  await page.getByTestId('user-message').getByText(message, { exact: true }).waitFor();
  const answer = await lastAnswerSettled(page, RUN_TIMEOUT_MS);
  assert.equal(await answer.getAttribute('data-status'), 'done', await answer.innerText());
  return answer;
}
