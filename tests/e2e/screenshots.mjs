// Screenshots of the results panels for the docs: `node tests/e2e/screenshots.mjs` (after
// `trunk build --release`) writes docs/screenshots/*.png. Not a test: the files change with every
// visual change, and are committed on purpose when they do.
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, screenshot, ROOT } from './harness.mjs';

const OUT = join(ROOT, 'docs', 'screenshots');
await mkdir(OUT, { recursive: true });
/** Saves a screenshot; with ImageMagick on the PATH, reduced to 256 colours (a third the size). */
async function shot(page, name) {
  const file = await screenshot(page, name, join(OUT, `${name}.png`));
  try {
    execFileSync('convert', [file, '-colors', '256', `PNG8:${file}`], { stdio: 'ignore' });
  } catch {
    // No ImageMagick: keep the full-colour PNG.
  }
}

const app = await openApp({ width: 1280, height: 1000 });
const { page } = app;
const results = page.getByTestId('results');
const show = async () => {
  await results.scrollIntoViewIfNeeded();
  await page.waitForTimeout(350); // bar transitions
};
try {
  // Node 5 of FIG 24: its ordered lists, explained, and the rank badges on the canvas.
  await page.getByTestId('tab-node').click();
  await page.getByTestId('node-picker').selectOption('n5');
  await page.waitForTimeout(300);
  await shot(page, 'node-view');

  // The load view with server 5 failed: its five clients spread over 3, 7 and 9.
  await page.getByTestId('tab-load').click();
  await page.locator('[data-testid="load-bar"][data-server-number="5"]').click();
  await show();
  await shot(page, 'load-failure');
  await page.getByTestId('clear-failed').click();

  await page.getByTestId('tab-strategies').click();
  await show();
  await shot(page, 'strategies');

  await page.getByTestId('tab-bootstrap').click();
  for (let i = 0; i < 5; i++) await page.getByTestId('step-forward').click();
  await page.getByTestId('dep-add').click(); // Liveness -> Resource Manager: refused, a cycle
  await show();
  await shot(page, 'bootstrap');

  // The generated 1,000-node data centre: the virtualised matrix and the diagnostics.
  await page.getByTestId('btn-examples').click();
  await page.getByTestId('example-datacentre').click();
  const discard = page.getByTestId('confirm-discard');
  if (await discard.isVisible().catch(() => false)) await discard.click();
  await page.locator('[data-testid="status-bar"]', { hasText: '1000 nodes' }).waitFor({ timeout: 30_000 });
  await page.getByTestId('tab-matrix').click();
  await page.getByTestId('matrix-scroll').evaluate((el) => { el.scrollTop = 24 * 400; });
  await show();
  await shot(page, 'matrix-1000');

  await page.getByTestId('tab-diagnostics').click();
  await show();
  await shot(page, 'diagnostics');
  if (app.errors.length) console.error('page errors:', app.errors);
} finally {
  await app.close();
}
console.log(`screenshots in ${OUT}`);
