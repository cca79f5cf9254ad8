// Browser test of the courrier entrant against the real server (`ariane up`, real Tesseract): Inès
// Moreau, medical secretary, uploads two scanned lab results. The first names its patient fully and
// goes straight into the sample DPI; the second came by fax without the birth date and waits in the
// queue, where she picks the patient's stay and files it. The DPI then holds both.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from '@playwright/test';
import { ARTIFACTS, WEB_DIR, signedIn, withAriane } from './server.mjs';

const PYTHON = resolve(WEB_DIR, '../.venv/bin/python');
const OCR_TIMEOUT_MS = 120_000;
const DPI_KEY = 'ariane-dpi-local-key'; // the local tenant's default, as ARIANE_INTAKE__DPI_KEY's

test('courrier entrant: one scan straight through, one validated by the secretary', async ({ browser }) => {
  test.setTimeout(420_000);
  const folder = mkdtempSync(join(tmpdir(), 'ariane-scans-'));
  try {
    const made = spawnSync(PYTHON, ['-m', 'tools.tenant.scans.build', '--demo', folder], { cwd: resolve(WEB_DIR, '..') });
    assert.equal(made.status, 0, String(made.stderr));
    await withAriane(browser, (_, appOrigin, ariane) => inesFilesTheMail(browser, appOrigin, ariane, folder));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

async function inesFilesTheMail(browser, appOrigin, ariane, folder) {
  const ines = await signedIn(browser, appOrigin, '/courrier', 'ines.moreau@chru-exemple.fr', 'Inès Moreau');
  const { page } = ines;
  try {
    await page.getByTestId('intake-upload').setInputFiles([join(folder, 'courrier-direct.png'), join(folder, 'courrier-a-valider.png')]);
    await page.getByRole('status').getByText('2 scans importés').waitFor();

    // The faxed result reaches the queue once read, structured and matched (real OCR).
    const queued = page.getByTestId('intake-item');
    await queued.first().waitFor({ timeout: OCR_TIMEOUT_MS });
    assert.equal(await queued.count(), 1);
    assert.match(await queued.first().innerText(), /FONTAINE Gérard[\s\S]*Patient inconnu du DPI/);
    await queued.first().click();
    const review = page.getByTestId('intake-review');
    await review.waitFor();
    await review.getByRole('img', { name: 'Page 1' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'intake-queue.png') });

    // Keyboard first: the stay is a radio button, Ctrl+Enter files the document.
    await review.getByRole('radio', { name: /FONTAINE Gérard .*S26962662/ }).check();
    await review.getByRole('radio', { name: /S26962662/ }).press('Control+Enter');
    await page.getByTestId('intake-integrated').waitFor({ timeout: OCR_TIMEOUT_MS });
    // Its history says who validated it, and that its hash chain checks out.
    const history = review.getByTestId('intake-history');
    await history.getByText(/Validé \(ines\.moreau@chru-exemple\.fr\)/).waitFor();
    await history.getByTestId('intake-history-intact').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'intake-integrated.png') });

    // The DPI now holds both: one straight through, one validated by Inès.
    await page.getByRole('tab', { name: 'Récents' }).click();
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="intake-item"]')].filter((item) => item.innerText.includes('Intégré')).length === 2,
      null,
      { timeout: OCR_TIMEOUT_MS },
    );
    const response = await fetch(`${ariane.tenantOrigin}/dpi-api/documents`, { headers: { 'X-Dpi-Key': DPI_KEY } });
    const filed = await response.json();
    assert.deepEqual(
      filed.map((document) => [document.ipp, document.nda, document.type]).sort(),
      [
        ['9123796', 'S26492945', 'biologie'],
        ['9155524', 'S26962662', 'biologie'],
      ],
    );
  } finally {
    await ines.context.close();
  }
}
