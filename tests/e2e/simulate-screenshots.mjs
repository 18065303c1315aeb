// Screenshots of the Simulate tab's lessons and of the list walkthrough for docs/lifecycle.md:
// `node tests/e2e/simulate-screenshots.mjs` (after `trunk build --release`) writes
// docs/screenshots/lesson-*.png (each lesson at its most telling "watch" item), the FIG 8 lesson as
// a first-time reader plays it from the gallery (fig8-phase1, fig8-phase2) and walkthrough.png.
// Not a test: the files change with every visual change and are committed on purpose.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, screenshot, ROOT } from './harness.mjs';

const OUT = join(ROOT, 'docs', 'screenshots');
await mkdir(OUT, { recursive: true });
const shot = (page, name) => screenshot(page, name, join(OUT, `${name}.png`));

/** Which watch item each lesson is shown at (default: its last). */
const AT = { 'fig8-stale-replica': 2, 'fig8-registry-server-down': 2, 'fig13-define-committed': 2, 'fig18-move-committed': 0 };

const app = await openApp({ width: 1280, height: 1400 });
const { page } = app;
/** The panel's body scrolled back to its top, the drawing settled. */
async function settle() {
  await page.locator('.results-body').evaluate((el) => { el.scrollTop = 0; });
  await page.waitForTimeout(350);
}
try {
  // A first-time reader: the lessons' cluster from the gallery, the FIG 8 lesson played.
  await page.getByTestId('btn-examples').click();
  await page.getByTestId('example-lifecycle').click();
  // The untouched example is replaced without a question.
  { const discard = page.getByTestId('confirm-discard'); if (await discard.isVisible().catch(() => false)) await discard.click(); }
  await page.getByTestId('sim-speed').selectOption('8');
  await page.getByTestId('sim-play').click();
  // Phase 1 done (event 32: n2 read-only, n1 and n3 stale), then phase 2 (n1 and n3 updated).
  await page.locator('[data-testid="sim-position"]', { hasText: /^event (3[2-9]|4\d) of/ }).waitFor();
  await page.getByTestId('sim-play').click();
  await page.locator('[data-testid="sim-events"] tr[data-seq="32"]').click();
  await settle();
  await shot(page, 'fig8-phase1');
  await page.getByTestId('sim-play').click();
  await page.locator('[data-testid="sim-position"]', { hasText: /^event (8[1-9]|9\d) of/ }).waitFor({ timeout: 60_000 });
  await page.getByTestId('sim-play').click();
  await page.locator('[data-testid="sim-events"] tr[data-seq="81"]').click();
  await settle();
  await shot(page, 'fig8-phase2');

  // Every lesson at its most telling watch item.
  const lessons = await page.locator('[data-testid="lesson-picker"] option').evaluateAll(
    (options) => options.map((o) => o.value).filter((v) => v && v !== 'model' && v !== 'new'));
  for (const lesson of lessons) {
    await page.getByTestId('lesson-picker').selectOption(lesson);
    const items = page.getByTestId('sim-watch-item');
    const n = await items.count();
    await items.nth(AT[lesson] ?? n - 1).click();
    await settle();
    await shot(page, `lesson-${lesson}`);
  }

  // The list walkthrough: FIG 24's node 5, the rotation of the 1-hop group.
  await page.getByTestId('btn-examples').click();
  await page.getByTestId('example-fig24').click();
  const discard = page.getByTestId('confirm-discard');
  if (await discard.isVisible().catch(() => false)) await discard.click();
  await page.getByTestId('tab-node').click();
  await page.getByTestId('node-picker').selectOption('n5');
  await page.locator('[data-testid="node-list"][data-service="registry"] [data-testid="walk-open"]').click();
  await page.locator('[data-testid="walk-step"][data-step="11"] .walk-title').click();
  await settle();
  await shot(page, 'walkthrough');
  if (app.errors.length) console.error('page errors:', app.errors);
} finally {
  await app.close();
}
console.log(`screenshots in ${OUT}`);
