// Once per browser-test run: a cold start of `ariane up` on an empty data directory (initdb,
// migrations, seeding), which must become ready and stop cleanly on SIGINT; its data directory is then
// the one every test starts from (a copy each, see startAriane), saving each test the first start.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';

import { startAriane, TEMPLATE_ENV } from './server.mjs';

export default async function globalSetup() {
  const ariane = await startAriane({}, { fromTemplate: false });
  let exit;
  try {
    exit = await ariane.stop();
  } catch (error) {
    console.error(`--- output of ariane up ---\n${ariane.output()}\n--- end of output ---`);
    ariane.dispose();
    throw error;
  }
  ariane.kill(); // nothing should be left of its process group; if anything is, not while copying
  if (exit.code !== 0 || exit.signal !== null) {
    ariane.dispose();
    assert.fail(`ariane up must stop by itself with code 0 on SIGINT (${JSON.stringify(exit)}):\n${ariane.output()}`);
  }
  process.env[TEMPLATE_ENV] = ariane.dataDir;
  return () => rmSync(ariane.dataDir, { recursive: true, force: true });
}
