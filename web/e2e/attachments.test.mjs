// Browser test of attachments in the Chat page against the real server (`ariane up`): Claire attaches
// a procedure before her first message (the conversation is created for it), asks about it, and the
// answer cites the file by its name; an unsupported file is refused in French; the file is removed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { assertAccessible, assertLayoutHolds } from './checks.mjs';
import { ARTIFACTS, lastAnswerSettled, signedIn, withAriane } from './server.mjs';

const RUN_TIMEOUT_MS = 90_000;
const PROCEDURE = `# Prêt de matériel informatique

Le service informatique prête des ordinateurs portables aux agents en formation pour une durée
maximale de quinze jours ouvrés. La demande de prêt se fait sur le portail du support au moins trois
jours avant la date souhaitée.

# Restitution

Le matériel est restitué au support du bâtiment B, qui vérifie son état et efface les données locales.
`;
const QUESTION = "Combien de temps dure le prêt d'un ordinateur portable en formation ?";

test('chat: a question on an attached file is answered citing the file', async ({ browser }) => {
  test.setTimeout(300_000);
  await withAriane(browser, claireAsksAboutHerFile);
});

async function claireAsksAboutHerFile(browser, appOrigin) {
  const { context, page } = await signedIn(browser, appOrigin, '/chat', 'claire.dubois@chru-exemple.fr', 'Claire Dubois');
  try {
    // Attached before the first message: the conversation is created for the file.
    await page.getByTestId('attach-input').setInputFiles({
      name: 'pret-materiel.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(PROCEDURE, 'utf8'),
    });
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    const chip = page.getByTestId('attachment-chip');
    await chip.waitFor({ timeout: 60_000 });
    assert.equal(await chip.innerText(), 'pret-materiel.txt');
    await assertAccessible(page, 'chat with an attached file');

    // A format the server does not read: refused at once, in French, nothing sent.
    await page.getByTestId('attach-input').setInputFiles({ name: 'outil.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
    const refusal = page.getByTestId('attachment-error');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /« outil\.exe » n'est pas pris en charge : joignez un fichier PDF, DOCX, TXT/);
    await refusal.getByRole('button', { name: 'Fermer le message' }).click();

    const composer = page.getByRole('textbox', { name: 'Votre message' });
    await composer.fill(QUESTION);
    await composer.press('Enter');
    const message = await lastAnswerSettled(page, RUN_TIMEOUT_MS);
    assert.equal(await message.getAttribute('data-status'), 'done', await message.innerText());
    const citations = message.getByTestId('citation');
    assert.ok((await citations.count()) >= 1, `a citation expected in:\n${await message.innerText()}`);
    assert.match(await citations.first().innerText(), /pret-materiel\.txt \(fichier joint\)/);
    assert.match(await message.getByTestId('citation-quote').first().innerText(), /quinze jours/);
    await message.getByRole('button', { name: 'Télécharger « pret-materiel.txt »' }).first().waitFor();
    // Created for the file, the conversation is titled by its first message.
    await page.getByRole('heading', { name: /^Combien de temps dure le prêt/, level: 1 }).waitFor();
    await assertAccessible(page, 'answer citing an attached file');
    await assertLayoutHolds(page, 'answer citing an attached file');
    await page.screenshot({ path: join(ARTIFACTS, 'claire-chat-attachment.png') });

    // On a phone the composer, its chip and the answer's sources hold in the width.
    await page.setViewportSize({ width: 390, height: 780 });
    await assertLayoutHolds(page, 'attachment on a phone');
    await page.screenshot({ path: join(ARTIFACTS, 'claire-chat-attachment-narrow.png') });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Removed from the conversation: the chip goes.
    await page.getByRole('button', { name: 'Retirer « pret-materiel.txt » de la conversation' }).click();
    await chip.waitFor({ state: 'detached' });
  } finally {
    await context.close();
  }
}
