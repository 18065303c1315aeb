// The engine's compile side by side: natively (one thread and all threads) and as WASM in
// headless Chromium, the same generated models, many runs each; prints medians, spread and the
// WASM/native ratio as a Markdown table. Run by scripts/measure-wasm.sh, which builds both first
// (docs/performance.md, "WASM against native"). A measurement, not a test: nothing is asserted.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const PAGE_DIR = join(ROOT, 'target', 'measure-wasm');
const NATIVE = join(ROOT, 'target', 'release', 'examples', 'timing');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const MODELS = (process.env.MODELS || '1000,10000').split(',').map(Number);
const STRATEGY = process.env.STRATEGY || 'rotation';
const RUNS = Number(process.env.RUNS || 30);
const ROUNDS = Number(process.env.ROUNDS || 3);

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

function stats(times) {
  const s = [...times].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { median: q(0.5), p10: q(0.1), p90: q(0.9), min: s[0], max: s[s.length - 1], n: s.length };
}

function native(nodes, oneThread) {
  const args = [String(nodes), STRATEGY, String(RUNS), '--each'];
  // `taskset -c 0`: one core, so the engine's available_parallelism() is 1 and it plans on one
  // thread, as in the browser.
  const out = oneThread
    ? execFileSync('taskset', ['-c', '0', NATIVE, ...args], { encoding: 'utf8' })
    : execFileSync(NATIVE, args, { encoding: 'utf8' });
  return JSON.parse(out.trim());
}

async function serve() {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(PAGE_DIR, path === '/' ? 'index.html' : path));
    if (!file.startsWith(PAGE_DIR)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

const server = await serve();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const page = await browser.newPage();
page.on('pageerror', (e) => console.error('page error:', String(e)));
await page.goto(server.url);
await page.waitForFunction(() => window.harness !== undefined, null, { timeout: 60_000 });

const times = {};
for (const nodes of MODELS) times[nodes] = { one: [], all: [], wasm: [], first: [] };
// Rounds alternate native and WASM so that a change in the machine's load hits both alike.
for (let round = 0; round < ROUNDS; round++) {
  for (const nodes of MODELS) {
    times[nodes].one.push(...native(nodes, true));
    times[nodes].all.push(...native(nodes, false));
    const wasm = await page.evaluate(([n, s, r]) => Array.from(window.harness.compile_runs(n, s, r)),
      [nodes, STRATEGY, RUNS]);
    // The first compile of each round is the page's first of that model (memory grows):
    // reported apart, as the status bar would show it on opening the model.
    times[nodes].first.push(wasm.shift());
    times[nodes].wasm.push(...wasm);
  }
}
const version = browser.version();
const entries = {};
for (const nodes of MODELS) entries[nodes] = await page.evaluate((n) => window.harness.list_entries(n), nodes);
await browser.close();
server.close();

const fmt = (x) => x.toFixed(2);
const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
console.log(`${STRATEGY}, ${ROUNDS} rounds x ${RUNS} compiles per side, ${availableParallelism()} cores, load average ${load}`);
console.log(`Chromium ${version}; cells: median (p10-p90) / best, ms per compile`);
console.log('');
console.log('| model | list entries | native, 1 thread | native, all threads | WASM in Chromium | WASM / native 1 thread: median (best) | WASM / native all threads | WASM, first compile in the page |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const nodes of MODELS) {
  const [one, all, wasm] = ['one', 'all', 'wasm'].map((k) => stats(times[nodes][k]));
  const cell = (s) => `${fmt(s.median)} (${fmt(s.p10)}-${fmt(s.p90)}) / ${fmt(s.min)}`;
  console.log(`| ${nodes.toLocaleString('en')} | ${entries[nodes].toLocaleString('en')} | ${cell(one)} | ${cell(all)} | ${cell(wasm)} | **${(wasm.median / one.median).toFixed(2)}x** (${(wasm.min / one.min).toFixed(2)}x) | ${(wasm.median / all.median).toFixed(2)}x | ${times[nodes].first.map(fmt).join(', ')} |`);
}
