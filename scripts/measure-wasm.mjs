// The engine's compile side by side: natively (one thread and all threads) and as WASM in
// headless Chromium, the same generated models, many runs each; prints medians, spread and the
// WASM/native ratios as a Markdown table. Run by scripts/measure-wasm.sh, which builds both first
// (docs/performance.md, "WASM against native"). A measurement, not a test: nothing is asserted.
//
// Wall time on a machine shared with other builds mostly measures waiting for a core, so CPU
// time is read too: natively the compiling thread's (/proc/thread-self/schedstat, one thread
// pinned to one core); in the page, the renderer's main thread's (/proc/PID/task/PID/schedstat of
// the renderer processes this browser started) around one compile, less the same around a call
// that does nothing. The kernel adds a thread's CPU time up at scheduler ticks and switches, so
// a single short compile may read 0 or a whole tick: CPU is given as the mean of all runs (the
// sum is exact to a tick at its two ends).
import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
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
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { median: q(0.5), p10: q(0.1), p90: q(0.9), min: s[0], mean, n: s.length };
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

/** Processes descended from this one whose command line says they are Chromium renderers. */
async function renderers() {
  const parent = new Map();
  const renderer = new Set();
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) renderer.add(pid);
    } catch { /* gone */ }
  }
  const mine = (pid) => {
    for (let p = pid, i = 0; p && p !== '0' && i < 20; p = parent.get(p), i++) {
      if (p === String(process.pid)) return true;
    }
    return false;
  };
  return [...renderer].filter(mine);
}

/** CPU nanoseconds the main threads of `pids` have run. */
function cpuNs(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]);
    } catch { /* gone */ }
  }
  return total;
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
const pids = await renderers();

/** One call into the page; its result and the renderers' main-thread CPU ms it took. */
async function call(expression) {
  const before = cpuNs(pids);
  const result = await page.evaluate(expression);
  return { result, cpu: (cpuNs(pids) - before) / 1e6 };
}

const calling = [];
for (let i = 0; i < 50; i++) calling.push((await call('window.harness.nothing()')).cpu);
const overhead = stats(calling).median;

const times = {};
const entries = {};
for (const nodes of MODELS) {
  times[nodes] = { oneWall: [], oneCpu: [], all: [], wasm: [], wasmCpu: [], first: [] };
}
// Rounds alternate native and WASM so that a change in the machine's load hits both alike.
for (let round = 0; round < ROUNDS; round++) {
  for (const nodes of MODELS) {
    const t = times[nodes];
    const one = native(nodes, true);
    t.oneWall.push(...one.wall);
    t.oneCpu.push(...one.cpu);
    t.all.push(...native(nodes, false).wall);
    entries[nodes] = await page.evaluate(`window.harness.prepare(${nodes}, '${STRATEGY}')`);
    for (let r = 0; r <= RUNS; r++) {
      const { result, cpu } = await call('window.harness.compile_prepared()');
      // The first compile of a round follows a compile of the other model: reported apart.
      if (r === 0) t.first.push(result);
      else {
        t.wasm.push(result);
        t.wasmCpu.push(cpu - overhead);
      }
      await page.evaluate('window.harness.drop_plan()');
    }
  }
}
const version = browser.version();
await browser.close();
server.close();

const fmt = (x) => x.toFixed(2);
const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
console.log(`${STRATEGY}, ${ROUNDS} rounds x ${RUNS} compiles per side, ${availableParallelism()} cores, load average ${load} at the end`);
console.log(`Chromium ${version} (renderer main threads: ${pids.join(', ')}; a call into the page costs ${fmt(overhead)} ms of CPU, subtracted)`);
console.log('wall: median (p10-p90) / best; CPU: mean; ms per compile');
console.log('');
console.log('| model | list entries | native 1 thread, wall | native 1 thread, CPU (mean) | native all threads, wall | WASM, wall | WASM, CPU (mean) | **WASM / native 1 thread, CPU** | WASM / native 1 thread, wall: median (best) | WASM / native all threads, wall |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const nodes of MODELS) {
  const t = times[nodes];
  const [oneWall, oneCpu, all, wasm, wasmCpu] = [t.oneWall, t.oneCpu, t.all, t.wasm, t.wasmCpu].map(stats);
  const cell = (s) => `${fmt(s.median)} (${fmt(s.p10)}-${fmt(s.p90)}) / ${fmt(s.min)}`;
  const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
  console.log(`| ${nodes.toLocaleString('en')} | ${entries[nodes].toLocaleString('en')} | ${cell(oneWall)} | ${fmt(oneCpu.mean)} | ${cell(all)} | ${cell(wasm)} | ${fmt(wasmCpu.mean)} | **${ratio(wasmCpu.mean, oneCpu.mean)}** | ${ratio(wasm.median, oneWall.median)} (${ratio(wasm.min, oneWall.min)}) | ${ratio(wasm.median, all.median)} |`);
}
console.log('');
console.log(`WASM, the first compile of each round (after the other model's): ${MODELS.map((n) => `${n}: ${times[n].first.map(fmt).join(', ')}`).join('; ')} ms`);
