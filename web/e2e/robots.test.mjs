// Browser test of the robots against the real server (`ariane up`): Marc Lefèvre asks for the lab
// re-billing robot in the chat, Sylvie Garnier approves the exact inputs on the Activité page, the
// robot runs once and its job and files appear in Marc's conversation and on his Activité page.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, askInNewConversation, signedIn, skipReason, withAriane } from './server.mjs';

const JOB_TIMEOUT_MS = 90_000;
const REQUEST = 'Lance le robot de refacturation des actes de laboratoire pour octobre';

test('robots: asked in the chat, approved on the exact inputs, run once', { skip: skipReason, timeout: 300_000 }, async () => {
  await withAriane(marcAsksSylvieApproves);
});

async function marcAsksSylvieApproves(browser, appOrigin) {
  const marc = await signedIn(browser, appOrigin, '/chat', 'marc.lefevre@chru-exemple.fr', 'Marc Lefèvre');
  const sylvie = await signedIn(browser, appOrigin, '/activite', 'sylvie.garnier@chru-exemple.fr', 'Sylvie Garnier');
  try {
    await askInNewConversation(marc.page, REQUEST);
    const request = marc.page.getByTestId('approval-card');
    await request.getByTestId('approval-waiting').getByText('En attente de validation par Sylvie Garnier.').waitFor();
    await marc.page.screenshot({ path: join(ARTIFACTS, 'robots-marc-waiting.png') });

    await sylvie.page.reload();
    const inbox = sylvie.page.getByTestId('approval-card');
    await inbox.waitFor();
    assert.match(await inbox.getByRole('rowheader', { name: 'periode' }).innerText(), /periode/);
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

    await marc.page.goto(`${appOrigin}/activite`);
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
