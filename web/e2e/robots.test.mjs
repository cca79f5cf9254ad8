// Browser test of the robots against the real server (`ariane up`): Marc Lefèvre asks for the lab
// re-billing robot in the chat, Sylvie Garnier approves the exact inputs on the Activité page, the
// robot runs once and its job and files appear in Marc's conversation and on his Activité page.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { ARTIFACTS, askInNewConversation, lastAnswerSettled, signedIn, withAriane } from './server.mjs';

const JOB_TIMEOUT_MS = 90_000;
const REQUEST = 'Lance le robot de refacturation des actes de laboratoire pour octobre';

test('robots: asked in the chat, approved on the exact inputs, run once', async ({ browser }) => {
  test.setTimeout(300_000);
  await withAriane(browser, marcAsksSylvieApproves);
});

async function marcAsksSylvieApproves(browser, appOrigin) {
  const marc = await signedIn(browser, appOrigin, '/chat', 'marc.lefevre@chru-exemple.fr', 'Marc Lefèvre');
  const sylvie = await signedIn(browser, appOrigin, '/activite', 'sylvie.garnier@chru-exemple.fr', 'Sylvie Garnier');
  try {
    await askInNewConversation(marc.page, REQUEST);
    const request = marc.page.getByTestId('approval-card');
    await request.getByTestId('approval-waiting').getByText('En attente de validation par Sylvie Garnier.').waitFor();
    await marc.page.screenshot({ path: join(ARTIFACTS, 'robots-marc-waiting.png') });

    // The approver learns of it from the app bar: a badge on Activité (after its next refresh).
    await sylvie.page.reload();
    await sylvie.page.getByRole('link', { name: 'Activité (1 en attente)' }).waitFor();
    assert.equal(await sylvie.page.getByTestId('badge-activite').innerText(), '1');
    const inbox = sylvie.page.getByTestId('approval-card');
    await inbox.waitFor();
    // Inputs labelled from the robot's schema, not by their keys.
    await inbox.getByRole('rowheader', { name: 'Mois des actes, au format AAAA-MM' }).waitFor();
    assert.match(await inbox.getByRole('cell').first().innerText(), /^20\d\d-10$/);
    await sylvie.page.screenshot({ path: join(ARTIFACTS, 'robots-sylvie-inbox.png') });
    await inbox.getByRole('button', { name: 'Approuver' }).click();
    await inbox.getByText('Décision de Sylvie Garnier').waitFor();

    // Marc's card follows the decision and shows the job until it ends, with its files.
    const job = marc.page.getByTestId('job-card').first();
    await marc.page.waitForFunction(
      () => document.querySelector('[data-testid="job-card"]')?.getAttribute('data-status') === 'succeeded',
      null,
      { timeout: JOB_TIMEOUT_MS },
    );
    await job.getByRole('button', { name: 'lignes-facture.csv' }).waitFor();
    await marc.page.screenshot({ path: join(ARTIFACTS, 'robots-marc-job.png') });
    // The decision's report streams in as the next exchange (no message Marc did not type, one job card)…
    const report = await lastAnswerSettled(marc.page, JOB_TIMEOUT_MS);
    await report.getByText('validée par Sylvie Garnier', { exact: false }).waitFor();
    assert.equal(await marc.page.getByTestId('user-message').count(), 1);
    assert.equal(await marc.page.getByTestId('job-card').count(), 1);
    // …and the conversation reads the same after a reload.
    const live = await marc.page.getByRole('log').innerText();
    await marc.page.reload();
    await lastAnswerSettled(marc.page, JOB_TIMEOUT_MS);
    await marc.page.getByTestId('job-card').getByRole('button', { name: 'lignes-facture.csv' }).waitFor();
    await marc.page.waitForFunction(() => document.querySelectorAll('[data-testid="user-message"]').length === 1);
    await marc.page.getByRole('table', { name: 'Entrées du robot' }).waitFor(); // shown once labelled
    assert.equal(await marc.page.getByRole('log').innerText(), live, 'the reloaded robot conversation differs from the live one');

    // The finished job counts on Marc's Activité badge until he opens Activité.
    await marc.page.getByRole('link', { name: 'Activité (1 en attente)' }).waitFor({ timeout: 30_000 });
    await marc.page.goto(`${appOrigin}/activite`);
    await marc.page.getByRole('link', { name: 'Activité', exact: true }).waitFor();
    await marc.page.getByRole('tab', { name: 'Tâches (1)' }).click();
    const listed = marc.page.getByTestId('activity-jobs').getByTestId('job-card');
    await listed.waitFor();
    assert.equal(await listed.getAttribute('data-status'), 'succeeded');
    await marc.page.screenshot({ path: join(ARTIFACTS, 'robots-marc-activite.png') });
  } finally {
    await marc.context.close();
    await sylvie.context.close();
  }
}
