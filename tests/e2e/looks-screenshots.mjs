// Screenshots of the dark theme and of an exported picture for docs/editor.md:
// `node tests/e2e/looks-screenshots.mjs` (after `trunk build --release`) writes
// docs/screenshots/dark-mode.png and docs/screenshots/export-picture.png. Not a test.
import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, screenshot, chooseTheme, ROOT } from './harness.mjs';

const OUT = join(ROOT, 'docs', 'screenshots');
const app = await openApp({ width: 1280, height: 860 });
const { page } = app;
try {
  await page.getByTestId('first-hint-close').click();
  await page.getByTestId('node-n5').click();
  await page.getByTestId('node-list').first().waitFor();
  await chooseTheme(page, 'dark');
  await page.waitForTimeout(300);
  await screenshot(page, 'dark-mode', join(OUT, 'dark-mode.png'));
  await chooseTheme(page, 'light');
  await page.getByTestId('btn-picture').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('picture-png').click()]);
  await writeFile(join(OUT, 'export-picture.png'), await readFile(await download.path()));
  if (app.errors.length) console.error('page errors:', app.errors);
} finally {
  await app.close();
}
