// Browser test of the Chat page against the real server (`ariane up`): Claire Dubois asks the
// reference request of the project and gets four points, each grounded in what Hélène Marchal said.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { ARTIFACTS, askInNewConversation, lastAnswerSettled, signInAs, withAriane } from './server.mjs';

const UI_TIMEOUT_MS = 20_000;
const RUN_TIMEOUT_MS = 60_000;
const REQUEST = "J'ai loupé l'assemblée générale DTNIB, résume-moi l'intervention d'Hélène Marchal en 4 points";
const SPEAKER = 'Hélène Marchal';

test('chat: the DTNIB general assembly, in four cited points', async ({ browser }) => {
  test.setTimeout(300_000);
  await withAriane(browser, claireAsksForHeleneMarchalsTalk);
});

async function claireAsksForHeleneMarchalsTalk(browser, appOrigin) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  try {
    await page.goto(`${appOrigin}/chat`);
    await signInAs(page, 'claire.dubois@chru-exemple.fr', 'Claire Dubois');
    await page.waitForURL(`${appOrigin}/chat`);

    // Nothing is created until the first message: no empty conversation piles up.
    await askInNewConversation(page, REQUEST);

    await page.getByTestId('user-message').getByText(REQUEST, { exact: true }).waitFor();
    const message = await lastAnswerSettled(page, RUN_TIMEOUT_MS);
    await page.screenshot({ path: join(ARTIFACTS, 'claire-chat-dtnib.png') });
    const status = await message.getAttribute('data-status');
    assert.equal(status, 'done', `the run ended as ${status}: ${await message.innerText()}`);
    await assertFourPointsCitingTheSpeaker(page, message);
    if ((await message.getAttribute('data-mode')) === 'extractive') {
      await message.getByText('Réponse extractive', { exact: true }).waitFor();
    }

    // The preview of a footnote: speaker, time and quote, on hover.
    await message.getByTestId('answer').locator('sup a').first().hover();
    const preview = page.getByRole('tooltip');
    await preview.waitFor();
    assert.match(await preview.innerText(), new RegExp(`${SPEAKER} · \\d{2}:\\d{2}:\\d{2}–\\d{2}:\\d{2}:\\d{2}`));
    await page.screenshot({ path: join(ARTIFACTS, 'claire-chat-dtnib-footnote.png') });

    // The conversation is titled from its request and comes back as it was after a reload.
    await page.reload();
    await page.getByRole('heading', { name: /J'ai loupé l'assemblée générale DTNIB/, level: 1 }).waitFor();
    await assertFourPointsCitingTheSpeaker(page, page.getByTestId('assistant-message').last());

    await page.setViewportSize({ width: 390, height: 780 });
    await page.screenshot({ path: join(ARTIFACTS, 'claire-chat-dtnib-narrow.png') });
  } finally {
    await context.close();
  }
}

async function assertFourPointsCitingTheSpeaker(page, message) {
  const answer = message.getByTestId('answer');
  await answer.waitFor();
  const points = answer.locator(':scope > ol > li, :scope > ul > li');
  assert.equal(await points.count(), 4, `four points expected in:\n${await answer.innerText()}`);
  assert.ok((await answer.locator('sup a').count()) >= 4, 'each point has a footnote marker');

  const citations = message.getByTestId('citation');
  const described = await citations.evaluateAll((items) =>
    items.map((item) => ({
      location: item.querySelector('[data-testid="citation-location"]')?.textContent ?? '',
      quote: (item.querySelector('[data-testid="citation-quote"]')?.textContent ?? '').replace(/^«\s*|\s*»$/g, ''),
    })),
  );
  const bySpeaker = described.filter(({ location, quote }) => location.startsWith(`${SPEAKER} · `) && quote.trim().length > 0);
  assert.ok(bySpeaker.length >= 4, `four citations of ${SPEAKER} with quotes expected, got ${JSON.stringify(described, null, 2)}`);
}
