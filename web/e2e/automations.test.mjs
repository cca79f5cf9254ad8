// Browser test of a mail trigger against the real server (`ariane up`): Thomas Roux (AI administrator)
// creates the compromised-account trigger on behalf of Julien Perrin; Paul Henry (security officer)
// approves it on the Automatisations page; an alert mail arrives in the shared mailbox; Paul sees the
// alert's approval card in Activité, approves the exact inputs and follows the job to its end; the SOC
// gets a reply mail; the firing shows in the automation's history.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { ARTIFACTS, signedIn, withAriane } from './server.mjs';

const JOB_TIMEOUT_MS = 120_000;
const MAIL_KEY = { 'X-Mail-Key': 'ariane-mail-local-key', 'Content-Type': 'application/json' };
const TRIGGER = {
  name: 'Alertes de compte compromis (Vigie Santé)',
  kind: 'mail',
  robot_id: 'securisation-compte-compromis',
  owner: 'julien.perrin@chru-exemple.fr',
  mailbox: 'alertes-securite@chru-exemple.fr',
  filter: { sender: '@vigiesante-exemple.fr', subject: 'compte compromis' },
  notify: ['paul.henry@chru-exemple.fr'],
};
const ALERT = {
  from: { address: 'soc@vigiesante-exemple.fr', name: 'Vigie Santé — centre de veille' },
  to: [{ address: 'alertes-securite@chru-exemple.fr' }],
  subject: '[Vigie Santé] Compte compromis : nadia.benali@chru-exemple.fr',
  body: 'Compte : nadia.benali@chru-exemple.fr\nIndicateurs :\n- connexions depuis 203.0.113.9\nRéférence : VS-2026-1300',
  internet_message_id: '<VS-2026-1300@vigiesante-exemple.fr>',
};

test('automations: an alert mail reaches the security officer, approved, the job runs, the SOC is answered', async ({ browser }) => {
  test.setTimeout(300_000);
  await withAriane(browser, alertToReply, {
    ARIANE_AUTOMATIONS__POLL_SECONDS: '1',
    ARIANE_AUTOMATIONS__SCHEDULE_SECONDS: '1',
    ARIANE_ROBOTS_SWEEP_SECONDS: '2',
  });
});

async function tokenOf(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('ariane.auth.token')).accessToken);
}

async function alertToReply(browser, appOrigin, ariane) {
  const julien = await signedIn(browser, appOrigin, '/chat', 'julien.perrin@chru-exemple.fr', 'Julien Perrin');
  const thomas = await signedIn(browser, appOrigin, '/chat', 'thomas.roux@chru-exemple.fr', 'Thomas Roux');
  const paul = await signedIn(browser, appOrigin, '/automatisations', 'paul.henry@chru-exemple.fr', 'Paul Henry');
  try {
    const created = await fetch(`${appOrigin}/api/automations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await tokenOf(thomas.page)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(TRIGGER),
    });
    assert.equal(created.status, 201, await created.clone().text());

    // Paul, one of the robot's approvers, approves the automation itself.
    await paul.page.reload();
    const card = paul.page.getByTestId('automation-card');
    await card.getByText("À l'arrivée d'un message dans alertes-securite@chru-exemple.fr", { exact: false }).waitFor();
    await card.getByRole('button', { name: "Valider l'automatisation" }).click();
    await card.getByText('Validée par Paul Henry').waitFor();
    await paul.page.screenshot({ path: join(ARTIFACTS, 'automations-paul-approved.png') });

    const delivered = await fetch(`${ariane.tenantOrigin}/mail-api/inbound`, { method: 'POST', headers: MAIL_KEY, body: JSON.stringify(ALERT) });
    assert.equal(delivered.status, 200);

    // The alert's approval card reaches Paul in Activité, with the account read from the mail.
    await paul.page.goto(`${appOrigin}/activite`);
    const inbox = paul.page.getByTestId('approval-card');
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    while ((await inbox.count()) === 0) {
      assert.ok(Date.now() < deadline, 'no approval card for the alert');
      await paul.page.waitForTimeout(1000);
      await paul.page.reload();
    }
    await inbox.getByRole('cell', { name: 'nadia.benali@chru-exemple.fr' }).waitFor();
    await paul.page.screenshot({ path: join(ARTIFACTS, 'automations-paul-inbox.png') });
    await inbox.getByRole('button', { name: 'Approuver' }).click();
    await inbox.getByText('Décision de Paul Henry').waitFor();

    // Paul follows the job to its end.
    await paul.page.getByRole('tab', { name: /^Tâches/ }).click();
    await paul.page.waitForFunction(
      () => document.querySelector('[data-testid="job-card"]')?.getAttribute('data-status') === 'succeeded',
      null,
      { timeout: JOB_TIMEOUT_MS },
    );
    await paul.page.screenshot({ path: join(ARTIFACTS, 'automations-paul-job.png') });

    // The SOC is answered, and the firing shows in the automation's history.
    let replies = [];
    while (replies.length === 0) {
      assert.ok(Date.now() < deadline + JOB_TIMEOUT_MS, 'no reply to the SOC');
      const outbound = await (await fetch(`${ariane.tenantOrigin}/mail-api/outbound`, { headers: MAIL_KEY })).json();
      replies = outbound.filter((mail) => mail.subject.startsWith('RE: [Vigie Santé] Compte compromis'));
      if (replies.length === 0) await paul.page.waitForTimeout(1000);
    }
    assert.equal(replies[0].to.address, 'soc@vigiesante-exemple.fr');
    await paul.page.goto(`${appOrigin}/automatisations`);
    await paul.page.getByRole('button', { name: 'Historique' }).click();
    await paul.page.getByRole('region', { name: 'Historique des déclenchements' }).getByText('terminé', { exact: false }).waitFor();
  } finally {
    await Promise.all([julien.context.close(), thomas.context.close(), paul.context.close()]);
  }
}
