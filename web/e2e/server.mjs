// Shared by the browser tests (@playwright/test driving Debian's chromium, see playwright.config.ts):
// build the web app if needed, start `ariane up` on free ports with a data directory of its own, sign
// in through the local identity provider, and stop everything cleanly.
//
// The first start of a data directory (PostgreSQL's initdb, migrations, the seeded catalogue and
// knowledge) takes about 20 s more than a restart. The global setup (e2e/global-setup.mjs) makes one
// such directory with a cold start and a clean stop; each test starts on a copy of it, which is what
// a restarted server meets. Without it (a test run alone), a test starts on an empty directory.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = join(WEB_DIR, 'e2e', 'artifacts');
const UI_TIMEOUT_MS = 20_000;
const ARIANE = resolve(WEB_DIR, '../.venv/bin/ariane');
export const CHROMIUM = '/usr/bin/chromium';
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
/** Where the global setup leaves the data directory the tests start from (a copy each). */
export const TEMPLATE_ENV = 'ARIANE_E2E_DATA_TEMPLATE';

/** The browser tests fail (never skip) when what they need is missing: a skipped test proves nothing. */
export function requireTools() {
  assert.ok(existsSync(ARIANE), `${ARIANE} does not exist: run \`make setup\` (the Python project in ../.venv)`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run \`make chromium\` (apt-get install -y chromium)`);
}

/**
 * `ariane up` on free ports with its own data directory, ready to serve. `stop()` sends SIGINT and
 * returns how it exited; `dispose()` kills whatever is left and removes the data directory.
 * `fromTemplate`: start on a copy of the global setup's data directory when there is one.
 */
export async function startAriane(env = {}, { fromTemplate = true } = {}) {
  requireTools();
  buildWebAppIfStale();
  mkdirSync(ARTIFACTS, { recursive: true });
  const [port, tenantPort] = await twoFreePorts();
  const dataDir = mkdtempSync(join(tmpdir(), 'ariane-e2e-'));
  const template = process.env[TEMPLATE_ENV];
  if (fromTemplate && template) copyDataDir(template, dataDir);
  const server = startServer(port, tenantPort, dataDir, env);
  const ariane = {
    origin: `http://${HOST}:${port}`,
    tenantOrigin: `http://${HOST}:${tenantPort}`,
    dataDir,
    output: server.output,
    stop: () => stopWithSigint(server),
    kill: () => killProcessGroup(server.child),
    dispose: () => {
      killProcessGroup(server.child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilReady(`${ariane.origin}/readyz`, server);
  } catch (error) {
    console.error(`--- output of ariane up ---\n${server.output()}\n--- end of output ---`);
    ariane.dispose();
    throw error;
  }
  return ariane;
}

/** On the identity provider's account picker, pick the given user. */
export async function signInAs(page, email, displayName) {
  const account = page.locator(`button[type="submit"][name="login_hint"][value="${email}"]`);
  await account.waitFor();
  assert.match(await page.title(), /Connexion/);
  assert.match(await account.innerText(), new RegExp(displayName));
  await account.click();
}

/** The access token the web app keeps for every tab (oidc-client-ts's user, in localStorage). */
export async function accessTokenOf(page) {
  return page.evaluate(() => {
    const slot = localStorage.getItem('ariane.auth.user');
    return slot === null ? null : JSON.parse(JSON.parse(slot).user).access_token;
  });
}

/** A new browser context on `path`, signed in as the given user. */
export async function signedIn(browser, appOrigin, path, email, name, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  await page.goto(`${appOrigin}${path}`);
  await signInAs(page, email, name);
  await page.waitForURL(`${appOrigin}${path}`);
  return { context, page };
}

/** On the Chat page: start a new conversation and send `message` (the conversation exists from then on). */
export async function askInNewConversation(page, message) {
  await page.getByRole('button', { name: 'Nouvelle conversation', exact: true }).click();
  await page.waitForURL(/\/chat(\?.*)?$/);
  const composer = page.getByRole('textbox', { name: 'Votre message' });
  await composer.fill(message);
  await composer.press('Enter');
  await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
}

/** Wait until the conversation's last answer is no longer being written; returns that answer. */
export async function lastAnswerSettled(page, timeout) {
  await page.waitForFunction(
    () => {
      const status = [...document.querySelectorAll('[data-testid="assistant-message"]')].at(-1)?.getAttribute('data-status');
      return status && status !== 'running' && status !== 'sending';
    },
    null,
    { timeout },
  );
  return page.getByTestId('assistant-message').last();
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

/** `cp -a`: ownership kept (as root, the embedded PostgreSQL runs as its own user and owns its files). */
function copyDataDir(template, dataDir) {
  const copy = spawnSync('cp', ['-a', `${template}/.`, dataDir], { stdio: 'inherit' });
  assert.equal(copy.status, 0, `copying ${template} failed`);
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

function startServer(port, tenantPort, dataDir, env = {}) {
  const child = spawn(
    ARIANE,
    ['up', '--host', HOST, '--port', String(port), '--tenant-port', String(tenantPort)],
    {
      cwd: resolve(WEB_DIR, '..'),
      env: { ARIANE_GOVERNANCE__EVALUATIONS: 'false', ...process.env, ...env, ARIANE_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that `dispose` can stop whatever it started (e.g. Postgres).
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

// Run `scenario(browser, appOrigin, ariane)` against a fresh `ariane up`, then check that SIGINT stops the
// server by itself with exit code 0; on failure the server's output is printed. Always cleans up.
// `browser` is @playwright/test's (Debian's chromium, playwright.config.ts); `env` adds settings
// (e.g. an upstream for a provider of the policy).
export async function withAriane(browser, scenario, env = {}) {
  const ariane = await startAriane(env);
  try {
    await scenario(browser, ariane.origin, ariane);
    const exit = await ariane.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, 'ariane up must exit by itself with code 0 on SIGINT');
  } catch (error) {
    console.error(`--- output of ariane up ---\n${ariane.output()}\n--- end of output ---`);
    throw error;
  } finally {
    ariane.dispose();
  }
}
