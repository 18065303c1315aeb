import { openApp } from './harness.mjs';
import { readFileSync } from 'node:fs';
const id = (t) => `[data-testid="${t}"]`;
const fragment = readFileSync('target/models/dc20k.link', 'utf8').trim();
const app = await openApp();
const { page } = app;
await page.addInitScript(() => {
  window.__marks = [];
  const seen = new Set();
  const mark = (k) => { if (!seen.has(k)) { seen.add(k); window.__marks.push([k, Math.round(performance.now())]); } };
  const look = () => {
    if (document.querySelector('[data-testid=loading]')) mark('loading shown');
    if (document.querySelector('main.app[data-ready]')) mark('ready');
    if (document.querySelector('g.block')) mark('blocks drawn');
    if (document.querySelector('main.app[data-ready][data-compiling="false"]') && document.querySelector('g.block')) { mark('plan shown'); return; }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
});
const t0 = Date.now();
await page.goto(`${app.url}${process.argv[2] ?? ""}${fragment}`);
await page.locator(id('status-bar'), { hasText: '20000 nodes' }).waitFor({ timeout: 120_000 });
await page.waitForSelector('main.app[data-compiling="false"]');
await page.waitForTimeout(300);
console.log('open ms', Date.now() - t0, JSON.stringify(await page.evaluate(() => window.__marks)), 'read', await page.getAttribute('main.app', 'data-read-ms'), await page.textContent(id('status-bar')));
console.log('elements', await page.evaluate(() => document.getElementsByTagName('*').length));
await app.close();
