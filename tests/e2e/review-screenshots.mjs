// Screenshots of a design review for docs/review.md: `node tests/e2e/review-screenshots.mjs`
// (after the release build) writes docs/screenshots/review-*.png. Not a test: the files change
// with every visual change, and are committed on purpose when they do.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, ROOT } from './harness.mjs';

const OUT = join(ROOT, 'docs', 'screenshots');
await mkdir(OUT, { recursive: true });
const path = (name) => join(OUT, `${name}.png`);

const app = await openApp({ width: 1280, height: 1000 });
const { page } = app;
try {
  // The model after the change, from the gallery.
  await page.getByTestId('btn-examples').click();
  await page.getByTestId('example-fig24-extra-registry').click();
  await page.getByTestId('node-n13').waitFor();
  await page.getByTestId('first-hint-close').click().catch(() => {});
  // Compare with…: the dialog.
  await page.getByTestId('tab-review').click();
  await page.getByTestId('review-compare').click();
  await page.getByTestId('compare-dialog').waitFor();
  await page.waitForTimeout(200);
  await page.locator('[data-testid="compare-dialog"] .dialog').screenshot({ path: path('review-compare') });
  // FIG 24 before the change: the Review tab, node 1 (it moves) selected.
  await page.getByTestId('compare-example-fig24').click();
  await page.getByTestId('review').waitFor();
  await page.getByTestId('results-splitter').focus();
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowUp');
  await page.locator('[data-testid="review-list-A/registry-n1"] button').click();
  await page.getByTestId('tab-review').click();
  await page.waitForTimeout(400);
  await page.getByTestId('results').screenshot({ path: path('review-tab') });
  // The canvas with the new server marked: the results back to their height, nothing selected,
  // the whole model fitted.
  await page.getByTestId('results-splitter').dblclick();
  await page.getByTestId('tab-node').click();
  await page.getByTestId('zoom-fit').click();
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="node-n1"].selected').waitFor({ state: 'detached' });
  await page.waitForTimeout(400);
  await page.locator('.canvas-wrap').screenshot({ path: path('review-canvas') });
} finally {
  await app.close();
}
