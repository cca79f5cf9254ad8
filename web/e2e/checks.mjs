// Checks every page of the browser tests must pass: no horizontal overflow on a phone, no overlapping
// table cells, no serious or critical accessibility violation (axe-core, run in the page).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now (none expected). */
export async function assertAccessible(page, label) {
  // Evaluated through the DevTools protocol: the page's Content Security Policy does not apply.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // Colours are judged as they settle: a control whose transition is still running (a button
    // enabled again after a save fades from its disabled grey) has in-between colours for ~100 ms.
    // Endless animations (spinners) never finish and are not waited for; nothing waits over 2 s.
    const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity);
    const settled = Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 2000))]);
    // Fluent's focus manager (tabster) adds focusable, aria-hidden `<i data-tabster-dummy>` guards that
    // only pass focus on; axe's aria-hidden-focus flags them, a false positive Fluent documents as by
    // design (microsoft/fluentui#27517). Only those guards are left out, nothing of the app itself.
    const context = { include: [document], exclude: [['[data-tabster-dummy]']] };
    const result = await window.axe.run(context, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.slice(0, 5).map((node) => `${node.target.join(' ')}: ${node.html.slice(0, 160)}`),
      }));
  });
  assert.deepEqual(violations, [], `${label}: accessibility violations\n${JSON.stringify(violations, null, 2)}`);
}

/** The page is no wider than the viewport, and no two cells of a table row overlap. */
export async function assertLayoutHolds(page, label) {
  const layout = await page.evaluate(() => {
    const overlaps = [];
    for (const row of document.querySelectorAll('tr')) {
      const cells = [...row.children].map((cell) => cell.getBoundingClientRect()).filter((box) => box.width > 0);
      for (let i = 1; i < cells.length; i += 1) {
        if (cells[i].left < cells[i - 1].right - 1 && cells[i].top < cells[i - 1].bottom - 1) {
          overlaps.push(row.innerText.slice(0, 80));
        }
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth, overlaps };
  });
  assert.ok(layout.scrollWidth <= layout.viewport, `${label}: ${layout.scrollWidth} px wide in a ${layout.viewport} px viewport`);
  assert.deepEqual(layout.overlaps, [], `${label}: overlapping table cells`);
}
