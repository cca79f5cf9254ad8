// Browser test of the Outils page against the real server (`ariane up`): a tool developer registers a
// third-party MCP server by command, another person (an AI administrator) approves it.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from '@playwright/test';
import { ARTIFACTS, WEB_DIR, signInAs, withAriane } from './server.mjs';

const UI_TIMEOUT_MS = 30_000;
const PYTHON = resolve(WEB_DIR, '../.venv/bin/python');
const COMMAND = `${PYTHON} -m mcp_server_time --local-timezone Europe/Paris`;

test('outils: register a third-party MCP server, then approve it', async ({ browser }) => {
  test.setTimeout(300_000);
  await withAriane(browser, async (browser, appOrigin) => {
    await sophieRegistersTheTimeServer(browser, appOrigin);
    await thomasApprovesIt(browser, appOrigin);
  });
});

async function sophieRegistersTheTimeServer(browser, appOrigin) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  try {
    await page.goto(`${appOrigin}/outils`);
    await signInAs(page, 'sophie.girard@chru-exemple.fr', 'Sophie Girard');
    await page.getByRole('heading', { name: 'Outils', level: 1 }).waitFor();
    await page.getByRole('textbox', { name: 'Nom' }).fill('time');
    await page.getByRole('textbox', { name: 'Commande' }).fill(COMMAND);
    await page.getByRole('button', { name: 'Enregistrer et vérifier' }).click();

    const server = page.getByRole('region', { name: 'time' });
    await server.getByText('En attente de revue').first().waitFor();
    await server.getByRole('article', { name: 'get_current_time' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Approuver' }).count(), 0);
    await page.screenshot({ path: join(ARTIFACTS, 'sophie-outils-registered.png') });
  } finally {
    await context.close();
  }
}

async function thomasApprovesIt(browser, appOrigin) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  try {
    await page.goto(`${appOrigin}/outils`);
    await signInAs(page, 'thomas.roux@chru-exemple.fr', 'Thomas Roux');
    await page.getByRole('tab', { name: /^time/ }).click();
    await page.getByRole('button', { name: 'Approuver', exact: true }).click();
    const tool = page.getByRole('article', { name: 'get_current_time' });
    await tool.getByText('Actif').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'thomas-outils-approved.png') });
  } finally {
    await context.close();
  }
}
