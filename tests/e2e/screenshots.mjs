// Screenshots of the results panels for the docs: `node tests/e2e/screenshots.mjs` (after
// `trunk build --release`) writes docs/screenshots/*.png. Not a test: the files change with every
// visual change, and are committed on purpose when they do. `SIMULATE_ONLY=1` writes only
// simulate.png.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, screenshot, ROOT } from './harness.mjs';

const OUT = join(ROOT, 'docs', 'screenshots');
const THREE = join(ROOT, 'crates', 'cli', 'tests', 'fixtures', 'three-servers.json');
const NODES = JSON.parse(await readFile(THREE, 'utf8')).nodes.length;
await mkdir(OUT, { recursive: true });
/** Saves the whole window, or only the results panel (`panel`), as docs/screenshots/NAME.png. */
async function shot(page, name, panel = false) {
  const path = join(OUT, `${name}.png`);
  if (panel) await page.getByTestId('results').screenshot({ path });
  else await screenshot(page, name, path);
}

/** The Simulate tab: the FIG 13 lesson failing at step 9, stepped to its end, n9 inspected. */
export async function simulateShot(page, shot) {
  // Taller, so the event list, its outcomes and the inspector fit below the drawing.
  await page.setViewportSize({ width: 1280, height: 1500 });
  await page.getByTestId('tab-simulate').click();
  await page.getByTestId('lesson-picker').selectOption('fig13-define-fails-step-9');
  const discard = page.getByTestId('confirm-discard');
  if (await discard.isVisible().catch(() => false)) await discard.click();
  await page.locator('[data-testid="sim-position"]', { hasText: 'event 0 of' }).waitFor();
  await page.getByTestId('sim-node').selectOption('n9');
  await page.locator('[data-testid="sim-events"] tr[data-seq="126"]').click();
  // The click scrolled the panel to the row: back to its top, the lesson's head in view.
  await page.locator('.results-body').evaluate((el) => { el.scrollTop = 0; });
  await page.waitForTimeout(300);
  await shot(page, 'simulate');
}

if (process.env.SIMULATE_ONLY) {
  const app = await openApp({ width: 1280, height: 1200 });
  try {
    await simulateShot(app.page, (page, name) => screenshot(page, name, join(OUT, `${name}.png`)));
    if (app.errors.length) console.error('page errors:', app.errors);
  } finally {
    await app.close();
  }
  process.exit(0);
}

const app = await openApp({ width: 1280, height: 1200 });
const { page } = app;
/** Waits for the bars' transitions, with the panel's body scrolled back to its top. */
async function settle() {
  await page.locator('.results-body').evaluate((el) => { el.scrollTop = 0; });
  await page.waitForTimeout(350);
}
try {
  // Node 5 of FIG 24: its ordered lists, explained, and the rank badges on the canvas.
  await page.getByTestId('tab-node').click();
  await page.getByTestId('node-picker').selectOption('n5');
  await page.waitForTimeout(300);
  await shot(page, 'node-view');

  // The load view with server 5 failed: its four other clients spread over 3, 7 and 9, and
  // node 5 itself, failed, is no client.
  await page.getByTestId('tab-load').click();
  await page.locator('[data-testid="load-bar"][data-server-number="5"]').click();
  await settle();
  await shot(page, 'load-failure', true);
  // The same failure on the canvas: server 5 drawn down, node 8's badge #1 (node 5) struck
  // through and its path going over r1 to server 9, which serves it now.
  await page.getByTestId('tab-node').click();
  await page.getByTestId('node-picker').selectOption('n8');
  await page.locator('[data-testid="node-n5"].down').waitFor();
  await page.waitForTimeout(300);
  await shot(page, 'canvas-failure');
  await page.getByTestId('tab-load').click();
  await page.getByTestId('clear-failed').click();

  await page.getByTestId('tab-bootstrap').click();
  for (let i = 0; i < 5; i++) await page.getByTestId('step-forward').click();
  await page.getByTestId('dep-add').click(); // Liveness -> Resource Manager: refused, a cycle
  await settle();
  await shot(page, 'bootstrap', true);

  // Two clusters sharing a node: the node online in A is down for B (its row kept, 0 clients).
  await page.getByTestId('btn-examples').click();
  await page.getByTestId('example-two-clusters').click();
  const confirm = page.getByTestId('confirm-discard');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.getByTestId('node-shared').waitFor();
  await page.getByTestId('tab-load').click();
  const picker = page.getByTestId('service-picker');
  const labels = await picker.locator('option').allTextContents();
  await picker.selectOption(String(labels.findIndex((l) => l.includes('cluster B'))));
  await settle();
  await shot(page, 'load-not-online');

  // Three equidistant servers (the CLI's fixture): rotation piles a failed server's clients
  // onto one neighbour, spread shares them out; the strategies side by side, and rotation's
  // worst single failure in the load view.
  await page.getByTestId('import-file').setInputFiles(THREE);
  const replace = page.getByTestId('confirm-discard');
  if (await replace.isVisible().catch(() => false)) await replace.click();
  await page.locator('[data-testid="status-bar"]', { hasText: `${NODES} nodes` }).waitFor({ timeout: 10_000 });
  await page.getByTestId('tab-strategies').click();
  await page.locator('[data-testid="strategy-row"]').first().waitFor();
  await settle();
  await shot(page, 'strategies', true);
  await page.getByTestId('tab-load').click();
  await page.locator('[data-testid="load-bar"]').first().click();
  await settle();
  await shot(page, 'load-pileup', true);
  await page.getByTestId('clear-failed').click();

  // The generated 1,000-node data centre: the virtualised matrix and the diagnostics.
  await page.getByTestId('btn-examples').click();
  await page.getByTestId('example-datacentre').click();
  const discard = page.getByTestId('confirm-discard');
  if (await discard.isVisible().catch(() => false)) await discard.click();
  await page.locator('[data-testid="status-bar"]', { hasText: '1000 nodes' }).waitFor({ timeout: 30_000 });
  await page.getByTestId('tab-matrix').click();
  await page.getByTestId('matrix-scroll').evaluate((el) => { el.scrollTop = 24 * 400; });
  await settle();
  await shot(page, 'matrix-1000', true);

  await page.getByTestId('tab-diagnostics').click();
  await settle();
  await shot(page, 'diagnostics', true);

  await simulateShot(page, shot);
  if (app.errors.length) console.error('page errors:', app.errors);
} finally {
  await app.close();
}
console.log(`screenshots in ${OUT}`);
