// Browser test of the Audit page against the real server (`ariane up`): Claire Dubois (staff) makes
// the reference meeting-summary request in the chat; Anne Lambert (auditor) opens Audit, finds the run,
// sees its trace waterfall with the gateway's policy decision and each tool call, replays it exactly
// and gets « identique ».
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { ARTIFACTS, askInNewConversation, lastAnswerSettled, signedIn, withAriane } from './server.mjs';

const RUN_TIMEOUT_MS = 60_000;
const WIDE = { width: 1400, height: 1000 }; // the waterfall and the steps side by side
const REPLAY_TIMEOUT_MS = 60_000;
const REQUEST = "J'ai loupé l'assemblée générale DTNIB, résume-moi l'intervention d'Hélène Marchal en 4 points";
// The reference run's tool calls, in order: the meeting in the calendar, then its transcript (one page of 500 cues).
const TOOL_CALLS = ['calendar.find_meeting', 'meetings.get_transcript'];
// Replayed steps: those tool calls, then the gateway's models list and the embeddings of the summary.

test('audit: the reference run, its waterfall, policy decision and tool calls, replayed « identique »', async ({ browser }) => {
  test.setTimeout(300_000);
  await withAriane(browser, claireAsksAnneAudits);
});

async function claireAsks(browser, appOrigin) {
  const claire = await signedIn(browser, appOrigin, '/chat', 'claire.dubois@chru-exemple.fr', 'Claire Dubois', WIDE);
  try {
    const { page } = claire;
    await askInNewConversation(page, REQUEST);
    const message = await lastAnswerSettled(page, RUN_TIMEOUT_MS);
    assert.equal(await message.getAttribute('data-status'), 'done', await message.innerText());
  } finally {
    await claire.context.close();
  }
}

async function claireAsksAnneAudits(browser, appOrigin) {
  await claireAsks(browser, appOrigin);
  const anne = await signedIn(browser, appOrigin, '/audit', 'anne.lambert@chru-exemple.fr', 'Anne Lambert', WIDE);
  try {
    const { page } = anne;
    const runs = page.getByRole('table', { name: 'Exécutions enregistrées' });
    const row = runs.getByRole('row').filter({ hasText: 'Claire Dubois' });
    await row.waitFor();
    assert.equal(await row.count(), 1, 'one run of Claire Dubois is listed');
    assert.match(await row.innerText(), /meeting_summary/);
    assert.match(await row.innerText(), /Terminée/);
    await row.click();

    const detail = page.getByRole('region', { name: "Détail de l'exécution" });
    await detail.getByRole('heading', { name: /^Exécution de Claire Dubois — / }).waitFor();
    await detail.getByText(`« ${REQUEST} »`).waitFor();

    // The waterfall: the agent's root span, a span per tool call, and the gateway's decision on its span.
    const waterfall = detail.getByRole('list', { name: 'Trace (chronologie)' });
    await waterfall.getByRole('listitem').first().waitFor();
    const lines = (await waterfall.getByRole('listitem').allInnerTexts()).map((line) => line.replace(/\s+/g, ' ').trim());
    assert.match(lines[0], /^invoke_agent ariane /, `the root span comes first:\n${lines.join('\n')}`);
    const toolSpans = lines.filter((line) => line.startsWith('execute_tool '));
    assert.deepEqual(
      toolSpans.map((line) => line.split(' ')[1]),
      TOOL_CALLS.map((call) => call.split('.')[1]),
      `one execute_tool span per tool call:\n${lines.join('\n')}`,
    );
    const decided = lines.filter((line) => / · autorisé /.test(line));
    assert.ok(decided.length >= 1, `the gateway span carries its policy decision:\n${lines.join('\n')}`);

    // The policy decisions, named by the span that carries them.
    const policy = detail.getByRole('list', { name: 'Décisions de politique' });
    const decisions = await policy.getByRole('listitem').allInnerTexts();
    assert.ok(decisions.length >= 1);
    for (const decision of decisions) assert.match(decision, / — autorisé/);
    assert.deepEqual(
      decisions.map((decision) => decision.split(' — ')[0]),
      decided.map((line) => line.split(' · ')[0]),
    );

    // Each tool call with its inputs and outputs, in order.
    const steps = detail.getByRole('list', { name: 'Étapes : entrées et sorties' });
    const stepTitles = await steps.getByRole('listitem').evaluateAll((items) =>
      items.map((item) => item.querySelector('span, [class*="Text"]')?.textContent ?? item.textContent ?? ''),
    );
    const toolSteps = stepTitles.filter((title) => title.startsWith('Outil '));
    assert.deepEqual(
      toolSteps,
      TOOL_CALLS.map((call) => `Outil ${call} — succès`),
      `each tool call is a step:\n${stepTitles.join('\n')}`,
    );
    const firstStep = await steps.getByRole('listitem').first().innerText();
    assert.match(firstStep, /"subject": "assemblee generale dtnib"/);
    await page.screenshot({ path: join(ARTIFACTS, 'audit-anne-run.png'), fullPage: true });

    // Exact replay, from the record.
    await detail.getByRole('button', { name: "Rejouer à l'identique" }).click();
    const outcome = detail.getByText(/^(identique|Divergence) /);
    await outcome.waitFor({ timeout: REPLAY_TIMEOUT_MS });
    await page.screenshot({ path: join(ARTIFACTS, 'audit-anne-replay.png'), fullPage: true });
    assert.match(await outcome.innerText(), /^identique — 4 étape\(s\) rejouée\(s\) en [\d.]+ ms, même réponse\.$/);
  } finally {
    await anne.context.close();
  }
}
