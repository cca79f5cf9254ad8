// Browser test of the Gouvernance page against the real server (`ariane up`, fresh data directory):
// Thomas Roux (AI administrator) finds every built-in system on the map, asks for an evaluation (a
// worker runs the live suites against this Ariane), opens the coach's sheet and sees its drift chart,
// reads the shadow-AI report of the tenant's sample proxy log, adds a service to the catalogue of AI
// services, downloads the signed certification pack; axe-core and layout checks on each view, at
// desktop and phone sizes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { assertAccessible, assertLayoutHolds } from './checks.mjs';
import { ARTIFACTS, signedIn, withAriane } from './server.mjs';

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 780 };
const EVALUATION_TIMEOUT_MS = 240_000;
const COACH = 'Coach Temps de Travail';

test('gouvernance: map, a sheet with its drift chart, shadow-AI charts, the certification pack', async ({ browser }) => {
  test.setTimeout(420_000);
  await withAriane(browser, thomasGoverns);
});

async function checked(page, label) {
  for (const viewport of [DESKTOP, PHONE]) {
    await page.setViewportSize(viewport);
    await assertLayoutHolds(page, `${label} at ${viewport.width} px`);
    await assertAccessible(page, `${label} at ${viewport.width} px`);
  }
  await page.setViewportSize(DESKTOP);
}

async function thomasGoverns(browser, appOrigin) {
  const { context, page } = await signedIn(browser, appOrigin, '/gouvernance', 'thomas.roux@chru-exemple.fr', 'Thomas Roux', DESKTOP);
  try {
    // The map: every built-in system, filled from the catalogue (owner, status, risk level).
    const map = page.getByRole('table', { name: "Systèmes d'IA" });
    const coach = map.getByRole('row').filter({ hasText: COACH });
    await coach.waitFor();
    const row = await coach.innerText();
    assert.match(row, /Nadia Benali/);
    assert.match(row, /En service/);
    assert.match(row, /Risque limité/);
    for (const name of ['Ariane', 'Courrier entrant']) {
      assert.ok((await map.getByRole('row').filter({ hasText: name }).count()) >= 1, `${name} is on the map`);
    }
    await checked(page, 'gouvernance map');

    // An evaluation on request: a worker runs the live suites; the coach's sheet then charts its scores.
    await page.getByRole('button', { name: 'Lancer une évaluation' }).click();
    await page.getByText('Évaluation demandée').waitFor();
    await coach.getByRole('link', { name: COACH }).click();
    const sheet = page.getByRole('article', { name: COACH });
    await sheet.getByRole('heading', { name: 'Évaluations et dérive' }).waitFor();
    const chart = sheet.getByRole('img', { name: /^Scores de la suite « .+ » dans le temps$/ });
    const deadline = Date.now() + EVALUATION_TIMEOUT_MS;
    while (!(await chart.count())) {
      assert.ok(Date.now() < deadline, 'the requested evaluation reached the drift chart in time');
      await page.waitForTimeout(3000);
      await page.reload();
      await sheet.getByRole('heading', { name: 'Évaluations et dérive' }).waitFor();
      await page.waitForLoadState('networkidle');
    }
    const runs = sheet.getByRole('table', { name: /^Évaluations de la suite/ }).first();
    assert.match(await runs.innerText(), /à la demande/);
    await sheet.getByText('Qualité des documents de référence').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'thomas-gouvernance-sheet.png'), fullPage: true });
    await checked(page, 'gouvernance sheet');

    // Shadow AI: the sample proxy log's report, in counts (Thomas is not in the security role).
    await page.getByRole('tab', { name: 'IA fantôme' }).click();
    await page.getByRole('img', { name: "Services d'IA les plus utilisés (requêtes)" }).waitFor();
    await page.getByText(/Vue pseudonymisée/).waitFor();
    assert.equal(await page.getByRole('table', { name: 'Personnes' }).count(), 0);
    await page.getByRole('img', { name: 'Requêtes par semaine' }).waitFor();
    await page.getByRole('img', { name: 'Par catégorie de métier (requêtes)' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'thomas-gouvernance-shadow.png'), fullPage: true });
    await checked(page, 'gouvernance shadow AI');

    // The catalogue of AI services: Thomas adds one; a host name that is none is refused in French first.
    const catalogue = page.getByRole('table', { name: "Catalogue des services d'IA" });
    await catalogue.getByRole('row').filter({ hasText: 'chatgpt.com' }).waitFor();
    await page.getByRole('button', { name: 'Ajouter un service' }).click();
    const form = page.getByRole('form', { name: 'Service du catalogue' });
    await form.getByRole('textbox', { name: /^Identifiant/ }).fill('chatbot-maison');
    await form.getByRole('textbox', { name: /^Nom$/ }).fill('Chatbot maison');
    await form.getByRole('textbox', { name: /^Fournisseur/ }).fill('Exemple');
    await form.getByRole('textbox', { name: /^Pays/ }).fill('fr');
    await form.getByRole('textbox', { name: /^Noms de domaine/ }).fill('chatbot_maison');
    await form.getByRole('button', { name: 'Enregistrer le service' }).click();
    await page.getByText(/format attendu : nom de domaine/).waitFor();
    await checked(page, 'gouvernance catalogue editor');
    await form.getByRole('textbox', { name: /^Noms de domaine/ }).fill('chatbot.example.org');
    await form.getByRole('button', { name: 'Enregistrer le service' }).click();
    await page.getByText('Catalogue enregistré (version 1).').waitFor();
    const added = await catalogue.getByRole('row').filter({ hasText: 'Chatbot maison' }).innerText();
    assert.match(added, /Exemple[\s\S]*FR[\s\S]*chatbot\.example\.org/);

    // The certification pack: one self-contained HTML file, signed.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger le dossier de certification' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'dossier-certification-ia.html');
    const html = readFileSync(await download.path(), 'utf8');
    assert.match(html, /Coach Temps de Travail/);
    assert.doesNotMatch(html, /<script/i);
  } finally {
    await context.close();
  }
}
