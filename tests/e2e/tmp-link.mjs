import { openApp } from './harness.mjs';
import { readFileSync } from 'node:fs';
const id = (t) => `[data-testid="${t}"]`;
const fragment = readFileSync('target/models/dc20k.link', 'utf8').trim();
const app = await openApp();
const { page } = app;
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
const t0 = Date.now();
await page.goto(`${app.url}${fragment}`);
await page.locator(id('status-bar'), { hasText: '20000 nodes' }).waitFor({ timeout: 120_000 });
await page.waitForSelector('main.app[data-compiling="false"]');
console.log('open ms', Date.now() - t0);
const { profile } = await cdp.send('Profiler.stop');
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map(); const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const seen = new Set();
  let idn = profile.samples[i];
  const sn = byId.get(idn).callFrame.functionName || '(anon)';
  self.set(sn, (self.get(sn) ?? 0) + (dt[i] ?? 0) / 1000);
  while (idn !== undefined) {
    const name = byId.get(idn).callFrame.functionName || '(anon)';
    if (!seen.has(name)) { seen.add(name); incl.set(name, (incl.get(name) ?? 0) + (dt[i] ?? 0) / 1000); }
    idn = parent.get(idn);
  }
}
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, t]) => `${t.toFixed(0).padStart(6)} ms  ${n.slice(0, 150)}`).join('\n');
console.log('SELF\n' + top(self, 25));
console.log('INCLUSIVE\n' + top(incl, 80));
await app.close();
