// Browser test of the Outils page against the real server (`ariane up`): a tool developer declares a
// third-party MCP server by package and version (nothing runs), another person (an AI administrator)
// inspects it — the server starts in its sandbox — and approves it, judging one tool read-only.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test } from '@playwright/test';
import { ARTIFACTS, WEB_DIR, signInAs, withAriane } from './server.mjs';

const UI_TIMEOUT_MS = 30_000;
const PYTHON = resolve(WEB_DIR, '../.venv/bin/python');
const VERSION = execFileSync(PYTHON, ['-c', "import importlib.metadata as m; print(m.version('mcp-server-time'))"], {
  encoding: 'utf-8',
}).trim();

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
    await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('time');
    await page.getByRole('textbox', { name: 'Paquet Python (nom sur PyPI)' }).fill('mcp-server-time');
    await page.getByRole('textbox', { name: 'Version exacte' }).fill(VERSION);
    await page.getByRole('textbox', { name: 'Arguments (un par ligne)' }).fill('--local-timezone\nEurope/Paris');
    await page.getByRole('button', { name: 'Déclarer pour revue' }).click();

    const server = page.getByRole('region', { name: 'time' });
    await server.getByText('En attente de revue').first().waitFor();
    await server.getByText("Pas encore inspecté : rien n'a été démarré ni contacté.").waitFor();
    assert.equal(await server.getByRole('article').count(), 0);
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
    await page.getByRole('button', { name: 'Inspecter (démarrer dans le bac à sable)' }).click();
    const tool = page.getByRole('article', { name: 'get_current_time' });
    await tool.getByRole('checkbox', { name: 'Lecture seule (pas de confirmation à chaque appel)' }).check();
    await page.getByRole('button', { name: 'Approuver', exact: true }).click();
    await tool.getByText('Actif').waitFor();
    assert.equal(await tool.getByText('Confirmation à chaque appel', { exact: true }).count(), 0);
    const other = page.getByRole('article', { name: 'convert_time' });
    await other.getByText('Confirmation à chaque appel', { exact: true }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'thomas-outils-approved.png') });
  } finally {
    await context.close();
  }
}
