// Browser test of the web shell against the real server (`ariane up`) and its local identity
// provider: sign-in with the authorization-code flow, roles in the app bar, language switch,
// sign-out, and a clean stop of the server on SIGINT.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ARIANE = resolve(WEB_DIR, '../.venv/bin/ariane');
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(WEB_DIR, 'e2e', 'artifacts');
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
const UI_TIMEOUT_MS = 20_000;

const skipReason = !existsSync(ARIANE)
  ? `${ARIANE} does not exist yet: install the Python project into ../.venv to run this test`
  : !existsSync(CHROMIUM)
    ? `${CHROMIUM} is missing: apt-get install -y chromium`
    : false;

test('web shell: sign-in, roles, language, sign-out, clean stop', { skip: skipReason, timeout: 300_000 }, async () => {
  buildWebAppIfStale();
  mkdirSync(ARTIFACTS, { recursive: true });
  const [port, tenantPort] = await twoFreePorts();
  const dataDir = mkdtempSync(join(tmpdir(), 'ariane-e2e-'));
  const server = startServer(port, tenantPort, dataDir);
  const appOrigin = `http://${HOST}:${port}`;
  let browser;
  try {
    await waitUntilReady(`${appOrigin}/readyz`, server);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    await staffMemberSeesTheirAppsAndSwitchesLanguage(browser, appOrigin);
    await aiAdminSeesAdministrationAndOutils(browser, appOrigin);

    const exit = await stopWithSigint(server);
    assert.deepEqual(exit, { code: 0, signal: null }, 'ariane up must exit by itself with code 0 on SIGINT');
  } catch (error) {
    console.error(`--- output of ariane up ---\n${server.output()}\n--- end of output ---`);
    throw error;
  } finally {
    await browser?.close();
    killProcessGroup(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

async function staffMemberSeesTheirAppsAndSwitchesLanguage(browser, appOrigin) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  try {
    await page.goto(`${appOrigin}/`);
    await signInAs(page, 'claire.dubois@chru-exemple.fr', 'Claire Dubois');
    await page.waitForURL(`${appOrigin}/chat`);

    const topBar = page.getByRole('banner');
    await topBar.getByText('Claire Dubois', { exact: true }).waitFor();
    assert.deepEqual(await appBarLabels(page), ['Chat', 'Assistants', 'Activité']);
    await activeApp(page, 'Chat').waitFor();
    await page.getByText('Vos conversations avec les assistants apparaîtront ici.', { exact: false }).waitFor();

    await openAppWithKeyboard(page, 'Assistants');
    await page.waitForURL(`${appOrigin}/assistants`);
    await activeApp(page, 'Assistants').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'claire-assistants-keyboard.png') });
    await page.getByRole('link', { name: 'Chat' }).click();

    await page.getByRole('button', { name: 'Langue : Français' }).click();
    await page.getByRole('menuitemradio', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Activity' }).waitFor();
    await page.getByText('Your conversations with the assistants will appear here.', { exact: false }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'claire-chat-en.png') });

    // The token lives in sessionStorage and the language in localStorage: both survive a reload.
    await page.reload();
    await topBar.getByText('Claire Dubois', { exact: true }).waitFor();
    assert.deepEqual(await appBarLabels(page), ['Chat', 'Assistants', 'Activity']);

    await page.setViewportSize({ width: 390, height: 780 });
    await page.screenshot({ path: join(ARTIFACTS, 'claire-chat-en-narrow.png') });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'signed-out-en.png') });
    assert.equal(await page.evaluate(() => sessionStorage.getItem('ariane.auth.token')), null);
  } finally {
    await context.close();
  }
}

async function aiAdminSeesAdministrationAndOutils(browser, appOrigin) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  try {
    // Asking for a page before signing in lands on that page afterwards.
    await page.goto(`${appOrigin}/administration`);
    await signInAs(page, 'thomas.roux@chru-exemple.fr', 'Thomas Roux');
    await page.waitForURL(`${appOrigin}/administration`);

    await page.getByRole('banner').getByText('Thomas Roux', { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    const labels = await appBarLabels(page);
    assert.ok(labels.includes('Administration'), `app bar: ${labels}`);
    assert.ok(labels.includes('Outils'), `app bar: ${labels}`);
    assert.ok(!labels.includes('Audit'), `app bar: ${labels}`);
    await page.screenshot({ path: join(ARTIFACTS, 'thomas-administration.png') });
  } finally {
    await context.close();
  }
}

/** On the identity provider's account picker, pick the given user. */
async function signInAs(page, email, displayName) {
  const account = page.locator(`button[type="submit"][name="login_hint"][value="${email}"]`);
  await account.waitFor();
  assert.match(await page.title(), /Connexion/);
  assert.match(await account.innerText(), new RegExp(displayName));
  await account.click();
}

/** The app bar link marked as the current page, if it is `label`. */
function activeApp(page, label) {
  return page.locator(`nav a[aria-current="page"][aria-label="${label}"]`);
}

/** Reach an app of the app bar with Tab only, and open it with Enter. */
async function openAppWithKeyboard(page, label) {
  for (let presses = 0; presses < 15; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    if (focused === label) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  assert.fail(`the ${label} app cannot be reached with the Tab key`);
}

async function appBarLabels(page) {
  const links = page.getByRole('navigation').getByRole('link');
  await links.first().waitFor();
  return links.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label')));
}

/** The server serves web/dist: rebuild it when a source file is newer, so the test never runs old code. */
function buildWebAppIfStale() {
  const index = join(WEB_DIR, 'dist', 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = [join(WEB_DIR, 'src'), join(WEB_DIR, 'index.html'), join(WEB_DIR, 'vite.config.ts')];
  if (builtAt > 0 && sources.every((path) => newestMtime(path) <= builtAt)) return;
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: WEB_DIR, stdio: 'inherit' });
  assert.equal(build.status, 0, 'vite build failed');
}

function newestMtime(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

async function twoFreePorts() {
  const ports = new Set();
  while (ports.size < 2) ports.add(await freePort());
  return [...ports];
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

function startServer(port, tenantPort, dataDir) {
  const child = spawn(
    ARIANE,
    ['up', '--host', HOST, '--port', String(port), '--tenant-port', String(tenantPort)],
    {
      cwd: resolve(WEB_DIR, '..'),
      env: { ...process.env, ARIANE_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that the `finally` can stop whatever it started (e.g. Postgres).
      detached: true,
    },
  );
  const chunks = [];
  const keep = (chunk) => {
    chunks.push(chunk.toString());
    if (chunks.length > 2000) chunks.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
  });
  return { child, exited, output: () => chunks.join('') };
}

async function waitUntilReady(url, server) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exit = null;
  server.exited.then((value) => {
    exit = value;
  });
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (exit) assert.fail(`ariane up exited before being ready: ${JSON.stringify(exit)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
  assert.fail(`${url} not ready after ${READY_TIMEOUT_MS / 1000} s (last: ${last})`);
}

async function stopWithSigint(server) {
  server.child.kill('SIGINT');
  const timeout = new Promise((resolveTimeout) => setTimeout(() => resolveTimeout('timeout'), STOP_TIMEOUT_MS).unref());
  const exit = await Promise.race([server.exited, timeout]);
  if (exit === 'timeout') assert.fail(`ariane up did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGINT`);
  return exit;
}

function killProcessGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch (error) {
    if (error.code !== 'ESRCH') throw error; // ESRCH: the group is already gone, as it should be
  }
}
