// End-to-end harness: serves the release build (dist/) on 127.0.0.1 and drives Debian's
// Chromium with playwright-core. Never downloads a browser.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const SCREENSHOTS = join(ROOT, 'target', 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Serves dist/ on an ephemeral loopback port; resolves to { url, close }. */
export async function serveDist() {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(DIST, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/**
 * Opens the app in a fresh browser context (empty local storage, so it starts with the built-in
 * example) and waits until it has rendered. Returns { browser, context, page, url, close }.
 * Page errors and console errors are collected in `errors` for tests to assert on.
 */
export async function openApp({ width = 1400, height = 900, query = '' } = {}) {
  const server = await serveDist();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const url = server.url + query;
  await page.goto(url);
  await waitForApp(page);
  const close = async () => { await browser.close(); await server.close(); };
  return { browser, context, page, url, errors, close };
}

/** Waits until the Yew app has mounted and rendered once. */
export async function waitForApp(page) {
  await page.waitForSelector('main.app[data-ready]', { timeout: 30_000 });
}

/** Saves a full-page screenshot as target/screenshots/NAME.png (or to `path`). */
export async function screenshot(page, name, path) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path ?? join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/**
 * The newest saved model's text in the page's IndexedDB (what a reload restores), once the
 * autosave has caught up with the page's model (`null`: nothing saved).
 */
export async function savedModel(page) {
  await page.waitForSelector('main.app[data-saved="true"], main.app.shared, [data-testid="shared-view-broken"]', { timeout: 30_000 });
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('clusterplan');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('texts')) { db.close(); resolve(null); return; }
      const cursor = db.transaction('texts').objectStore('texts').openCursor(null, 'prev');
      cursor.onerror = () => reject(cursor.error);
      cursor.onsuccess = () => { resolve(cursor.result ? cursor.result.value : null); db.close(); };
    };
  }));
}

/** Presses the toolbar's theme button until the theme is `choice` (system, light or dark). */
export async function chooseTheme(page, choice) {
  const button = page.locator('[data-testid="theme-picker"]');
  for (let i = 0; i < 3 && (await button.getAttribute('data-choice')) !== choice; i++) await button.click();
  if ((await button.getAttribute('data-choice')) !== choice) throw new Error(`no theme ${choice}`);
}
