// Pictures and themes: the Picture menu's SVG opens on its own (no app) and draws the nodes; its
// PNG is twice the size and not blank; the dark theme is remembered and every part of the page
// turns dark; printing lays the diagram and the lists on A4 and Letter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, screenshot, chooseTheme, ROOT } from './harness.mjs';

const id = (x) => `[data-testid="${x}"]`;
const OUT = join(ROOT, 'target', 'screenshots');

/** Clicks a Picture menu entry and returns the downloaded file's name and bytes. */
async function exportPicture(page, entry) {
  await page.click(id('btn-picture'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(id(entry))]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: await readFile(path) };
}

test('an exported SVG draws the diagram on its own; a PNG is 2x and not blank', async () => {
  const app = await openApp({ width: 1400, height: 900 });
  const { page, browser } = app;
  try {
    await page.click(id('node-n5'));
    await page.waitForSelector(id('node-list'));
    const svg = await exportPicture(page, 'picture-svg');
    assert.match(svg.name, /\.svg$/);
    const text = svg.bytes.toString('utf8');
    assert.match(text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/);
    // Self-contained: no stylesheet, script or external reference; styles inline.
    assert.ok(!/<link|<script|href="http|url\(#grid/.test(text), 'nothing outside the file');
    assert.match(text, /style="fill:/);
    // Node 5's list (FIG 24: 1, 9, 3, 7, 2, 12) and the legend beside the drawing.
    assert.match(text, /The ordered lists of node 5 \(server 1\)/);
    assert.match(text, /1\. 10\.0\.0\.1 on node 5/);
    assert.match(text, /6\. 10\.0\.2\.12 on node 12/);
    assert.match(text, />Clusters</);
    await mkdir(OUT, { recursive: true });
    const file = join(OUT, 'export-fig24.svg');
    await writeFile(file, svg.bytes);
    // Opened alone in the browser (a file:// page with nothing else), it draws the 10 nodes.
    const alone = await browser.newPage();
    await alone.goto(`file://${file}`);
    assert.equal(await alone.locator('g.node').count(), 10);
    const box = await alone.locator('[data-testid="node-n5"] rect.node-box').boundingBox();
    assert.ok(box.width > 100 && box.height > 40, `node 5 drawn at ${JSON.stringify(box)}`);
    const fill = await alone.locator('[data-testid="node-n5"] rect.node-box').evaluate((r) => getComputedStyle(r).fill);
    assert.equal(fill, 'rgb(255, 255, 255)');
    await alone.setViewportSize({ width: 1200, height: 800 });
    await alone.screenshot({ path: join(OUT, 'export-svg-alone.png') });
    const [w, h] = text.match(/width="(\d+)" height="(\d+)"/).slice(1).map(Number);
    await alone.close();

    const png = await exportPicture(page, 'picture-png');
    assert.match(png.name, /\.png$/);
    assert.equal(png.bytes.subarray(1, 4).toString('latin1'), 'PNG');
    const [pw, ph] = [png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)];
    assert.deepEqual([pw, ph], [2 * w, 2 * h], 'twice the SVG size');
    await writeFile(join(OUT, 'export-fig24.png'), png.bytes);
    // Not blank: decoded in the page, its pixels take many colours.
    const colours = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      [c.width, c.height] = [img.width, img.height];
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set();
      for (let i = 0; i < data.length; i += 4 * 97) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      return seen.size;
    }, png.bytes.toString('base64'));
    assert.ok(colours > 20, `${colours} colours`);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('the dark theme is chosen, remembered, and turns the page and the diagram dark', async () => {
  const app = await openApp({ width: 1400, height: 900 });
  const { page } = app;
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  };
  const style = (sel, prop) => page.locator(sel).first().evaluate((e, p) => getComputedStyle(e)[p], prop);
  try {
    await page.click(id('node-n5'));
    await screenshot(page, 'theme-light');
    assert.ok(luminance(await style(id('node-n5') + ' .node-box', 'fill')) > 0.9);
    await chooseTheme(page, 'dark');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(await page.evaluate(() => localStorage.getItem('clusterplan.theme')), 'dark');
    for (const [sel, prop] of [['body', 'backgroundColor'], ['.canvas-wrap', 'backgroundColor'], ['.inspector', 'backgroundColor'],
      ['.results', 'backgroundColor'], ['header.toolbar', 'backgroundColor'], [id('node-n5') + ' .node-box', 'fill']]) {
      assert.ok(luminance(await style(sel, prop)) < 0.3, `${sel} is dark`);
    }
    assert.ok(luminance(await style(id('node-n5') + ' .node-name', 'fill')) > 0.6, 'node names are light');
    await screenshot(page, 'theme-dark');
    await page.click(id('tab-load'));
    await screenshot(page, 'theme-dark-load');
    // Remembered across a reload; "system" follows the system's setting.
    await page.reload();
    await page.waitForSelector(id('node-n5'));
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await chooseTheme(page, 'system');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('printing puts the diagram and the lists on A4 and Letter pages', async () => {
  const app = await openApp({ width: 1400, height: 900 });
  const { page } = app;
  try {
    await page.click(id('node-n5'));
    await page.waitForSelector(id('node-list'));
    await page.emulateMedia({ media: 'print' });
    // The toolbar, inspector and controls are left out; diagram and lists stay.
    assert.equal(await page.locator('header.toolbar').evaluate((e) => getComputedStyle(e).display), 'none');
    assert.equal(await page.locator('.inspector').evaluate((e) => getComputedStyle(e).display), 'none');
    assert.notEqual(await page.locator(id('canvas')).evaluate((e) => getComputedStyle(e).display), 'none');
    assert.ok(await page.locator(id('node-list')).first().isVisible());
    for (const format of ['A4', 'Letter']) {
      const pdf = await page.pdf({ format, printBackground: true });
      assert.equal(pdf.subarray(0, 4).toString('latin1'), '%PDF');
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      assert.ok(pages >= 1 && pages <= 4, `${format}: ${pages} pages`);
      await writeFile(join(OUT, `print-${format}.pdf`), pdf);
    }
    await page.setViewportSize({ width: 794, height: 1123 });
    await screenshot(page, 'print-a4');
  } finally {
    await app.close();
  }
});
