// Browser tests: @playwright/test driving Debian's chromium (`/usr/bin/chromium`, `make chromium`);
// nothing is downloaded. Each test file starts its own `ariane up` (e2e/server.mjs) on a copy of the
// data directory the global setup made with one cold start.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.test.mjs',
  globalSetup: './e2e/global-setup.mjs',
  outputDir: 'e2e/artifacts/results',
  // Two test files at a time, each with its own server, data directory and browser context: the
  // machine has two cores, and much of a test is waiting (the session's token lifetime, a robot's run).
  workers: 2,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 300_000,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
