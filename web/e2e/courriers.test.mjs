// Browser test of the batch letters (Courriers en série) against the real server (`ariane up`), its
// HDS provider pointed at a scripted model (a loopback HTTP server of this test that writes each letter
// from the filled-in skeleton): Inès Moreau imports a table, writes the template, picks the HDS model
// (the only one offered for health data), previews three rows, launches, reviews and exports.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { ARTIFACTS, signedIn, withAriane } from './server.mjs';

const ROWS = [
  ['Civilité', 'Nom', 'Pathologie', 'Date du rendez-vous', 'Consigne'],
  ['Madame', 'BERTIN', 'diabète de type 2', '07/12/2026', 'Venir à jeun.'],
  ['Monsieur', 'LACROIX', 'hypertension artérielle', '08/12/2026', 'Apporter le relevé tensionnel.'],
  ['Madame', 'VIDAL', 'glaucome', '09/12/2026', 'Ne pas conduire après la consultation.'],
  ['Monsieur', 'FAURE', 'arthrose du genou', '10/12/2026', "Apporter l'IRM du genou."],
];
const BODY = 'Bonjour {{civilite}} {{nom}},\n\nVotre rendez-vous est fixé au {{date_du_rendez_vous}}. {{consigne}}';

/** The scripted HDS model: « Courrier rédigé : » and the skeleton it was given. */
function scriptedModel() {
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      const body = JSON.parse(raw || '{}');
      const user = (body.messages ?? []).find((message) => message.role === 'user')?.content ?? '';
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({
        id: 'chatcmpl-scripted', object: 'chat.completion', created: 1_700_000_000, model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: `Courrier rédigé : ${user}` }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 50, completion_tokens: 40, total_tokens: 90 },
      }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('courriers: import, template, HDS model, preview, run, review, export', async ({ browser }) => {
  test.setTimeout(300_000);
  const model = await scriptedModel();
  try {
    const env = {
      ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__BASE_URL: `http://127.0.0.1:${model.address().port}/v1`,
      ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__API_KEY: 'sk-scripted',
    };
    await withAriane(browser, inesWritesLetters, env);
  } finally {
    model.close();
  }
});

async function inesWritesLetters(browser, appOrigin) {
  const ines = await signedIn(browser, appOrigin, '/courriers', 'ines.moreau@chru-exemple.fr', 'Inès Moreau');
  const page = ines.page;
  try {
    const csv = ROWS.map((row) => row.join(';')).join('\r\n');
    await page.getByLabel('Tableau (CSV ou XLSX)').setInputFiles({ name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Importer' }).click();
    await page.waitForURL(/\/courriers\/[0-9a-f-]{36}$/);
    await page.getByText('4 lignes lues dans export.csv.').waitFor();

    const models = page.getByLabel('Modèle', { exact: true });
    // The models the batch may use come in their own request, after the placeholder option.
    await models.locator('option').nth(1).waitFor({ state: 'attached' });
    const offered = await models.locator('option').allInnerTexts();
    assert.deepEqual(offered.slice(1), ['Mistral Small 3.2 (vLLM, hébergement HDS) — hébergeur certifié HDS']);
    await models.selectOption('mistral-small-hds');
    await page.getByLabel('Modèle de courrier').fill(BODY);
    await page.getByRole('button', { name: 'Aperçu de trois lignes' }).click();
    const previews = page.getByTestId('preview-row');
    await previews.nth(2).waitFor();
    assert.equal(await previews.count(), 3);
    assert.match(await previews.first().innerText(), /Bonjour Madame BERTIN,/);
    await page.screenshot({ path: join(ARTIFACTS, 'courriers-preview.png'), fullPage: true });

    await page.getByRole('button', { name: 'Lancer' }).click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="batch-run"]')?.getAttribute('data-status') === 'completed',
      null,
      { timeout: 60_000 },
    );
    const rows = page.getByTestId('batch-row');
    await rows.nth(3).waitFor();
    assert.match(await rows.first().innerText(), /Courrier rédigé : Bonjour Madame BERTIN,/);

    await rows.nth(1).getByRole('button', { name: 'Corriger' }).click();
    await page.getByLabel('Texte corrigé du courrier').fill('Bonjour Monsieur LACROIX, courrier corrigé.');
    await page.getByRole('button', { name: 'Enregistrer la correction' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-review="edited"]').length === 1);
    await rows.nth(3).getByRole('button', { name: 'Rejeter' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-review="rejected"]').length === 1);
    await page.getByRole('button', { name: 'Tout accepter' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-review="accepted"]').length === 2);
    await page.screenshot({ path: join(ARTIFACTS, 'courriers-review.png'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Exporter en CSV' }).click(),
    ]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const exported = readFileSync(path, 'utf-8');
    assert.match(exported, /courrier corrigé\./);
    assert.match(exported, /Courrier rédigé : Bonjour Madame BERTIN,/);
    assert.doesNotMatch(exported, /FAURE/); // rejected: it never leaves
  } finally {
    await ines.context.close();
  }
}
