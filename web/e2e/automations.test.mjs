// Browser test of a mail trigger against the real server (`ariane up`): Thomas Roux (AI administrator)
// creates the compromised-account trigger on behalf of Julien Perrin; Paul Henry (security officer)
// approves it on the Automatisations page; an alert mail arrives in the shared mailbox; Paul sees the
// alert's approval card in Activité, approves the exact inputs and follows the job to its end; the SOC
// gets a reply mail; the firing shows in the automation's history.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { ARTIFACTS, accessTokenOf, signedIn, withAriane } from './server.mjs';

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
  return accessTokenOf(page);
}

// What the server says of the automation's firings: put in every failure message, so that a failure
// on a slow machine says which step the flow had reached (queued, awaiting approval, robot started…).
async function firingsOf(appOrigin, token, automationId) {
  const response = await fetch(`${appOrigin}/api/automations/${automationId}/firings`, { headers: { Authorization: `Bearer ${token}` } });
  const firings = response.ok ? await response.json() : [];
  return JSON.stringify(firings.map(({ status, detail, approval_id, job_id, reply_sent_at }) => ({ status, detail, approval_id, job_id, reply_sent_at })));
}

async function alertToReply(browser, appOrigin, ariane) {
  const julien = await signedIn(browser, appOrigin, '/chat', 'julien.perrin@chru-exemple.fr', 'Julien Perrin');
  const thomas = await signedIn(browser, appOrigin, '/chat', 'thomas.roux@chru-exemple.fr', 'Thomas Roux');
  const paul = await signedIn(browser, appOrigin, '/automatisations', 'paul.henry@chru-exemple.fr', 'Paul Henry');
  try {
    const thomasToken = await tokenOf(thomas.page);
    const automation = await test.step('Thomas creates the mail trigger on behalf of Julien', async () => {
      const created = await fetch(`${appOrigin}/api/automations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${thomasToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(TRIGGER),
      });
      assert.equal(created.status, 201, `creating the trigger: ${await created.clone().text()}`);
      return created.json();
    });
    const firings = () => firingsOf(appOrigin, thomasToken, automation.id);

    await test.step('Paul, one of the robot\'s approvers, approves the automation itself', async () => {
      await paul.page.reload();
      const card = paul.page.getByTestId('automation-card');
      await card.getByText("À l'arrivée d'un message dans alertes-securite@chru-exemple.fr", { exact: false }).waitFor();
      await card.getByRole('button', { name: "Valider l'automatisation" }).click();
      await card.getByText('Validée par Paul Henry').waitFor();
      await paul.page.screenshot({ path: join(ARTIFACTS, 'automations-paul-approved.png') });
    });

    await test.step('the alert mail arrives in the shared mailbox', async () => {
      const delivered = await fetch(`${ariane.tenantOrigin}/mail-api/inbound`, { method: 'POST', headers: MAIL_KEY, body: JSON.stringify(ALERT) });
      assert.equal(delivered.status, 200, `delivering the alert: ${await delivered.clone().text()}`);
    });

    const deadline = Date.now() + JOB_TIMEOUT_MS;
    const inbox = paul.page.getByTestId('approval-card');
    await test.step("the alert's approval card reaches Paul in Activité, with the account read from the mail", async () => {
      // Opened once: the page reads its lists again when the app bar's counts change (every 20 s), so
      // the card appears without a reload (a reload loop could also outrun a slow page load).
      await paul.page.goto(`${appOrigin}/activite`);
      try {
        await inbox.first().waitFor({ timeout: Math.max(deadline - Date.now(), 1000) });
      } catch (error) {
        assert.fail(`no approval card for the alert after ${JOB_TIMEOUT_MS / 1000} s; firings: ${await firings()}; ${error}`);
      }
      await inbox.getByRole('cell', { name: 'nadia.benali@chru-exemple.fr' }).waitFor();
      await paul.page.screenshot({ path: join(ARTIFACTS, 'automations-paul-inbox.png') });
    });

    await test.step('Paul approves the exact inputs', async () => {
      await inbox.getByRole('button', { name: 'Approuver' }).click();
      await inbox.getByText('Décision de Paul Henry').waitFor();
    });

    await test.step('Paul follows the job to its end', async () => {
      await paul.page.getByRole('tab', { name: /^Tâches/ }).click();
      try {
        await paul.page.waitForFunction(
          () => document.querySelector('[data-testid="job-card"]')?.getAttribute('data-status') === 'succeeded',
          null,
          { timeout: JOB_TIMEOUT_MS },
        );
      } catch (error) {
        const shown = await paul.page.getByTestId('job-card').first().getAttribute('data-status').catch(() => 'no job card');
        assert.fail(`the job did not succeed within ${JOB_TIMEOUT_MS / 1000} s (job card: ${shown}); firings: ${await firings()}; ${error}`);
      }
      await paul.page.screenshot({ path: join(ARTIFACTS, 'automations-paul-job.png') });
    });

    await test.step('the SOC gets a reply mail', async () => {
      let replies = [];
      while (replies.length === 0) {
        assert.ok(Date.now() < deadline + JOB_TIMEOUT_MS, `no reply to the SOC; firings: ${await firings()}`);
        const outbound = await (await fetch(`${ariane.tenantOrigin}/mail-api/outbound`, { headers: MAIL_KEY })).json();
        replies = outbound.filter((mail) => mail.subject.startsWith('RE: [Vigie Santé] Compte compromis'));
        if (replies.length === 0) await paul.page.waitForTimeout(1000);
      }
      assert.equal(replies[0].to.address, 'soc@vigiesante-exemple.fr');
    });

    // The firing's outcome is recorded before anyone is told (server/automations/runner.py::follow):
    // once the SOC has its reply, the history shows it, read once.
    await test.step("the firing shows as « terminé » in the automation's history", async () => {
      await paul.page.goto(`${appOrigin}/automatisations`);
      await paul.page.getByRole('button', { name: 'Historique' }).click();
      const history = paul.page.getByRole('region', { name: 'Historique des déclenchements' });
      try {
        await history.getByText('terminé', { exact: false }).waitFor();
      } catch (error) {
        assert.fail(`history: « ${await history.innerText().catch(() => 'absent')} »; firings: ${await firings()}; ${error}`);
      }
    });
  } finally {
    await Promise.all([julien.context.close(), thomas.context.close(), paul.context.close()]);
  }
}
