// Measures the compile off the page's thread on the 10,000-node benchmark-shaped model, and how
// long a large share link takes to open. A measurement script, not a test: run it after
// `trunk build --release` with the models written by the engine's `model` example:
//
//   cargo run --profile bench -p clusterplan-engine --example model -- 10000 > target/models/dc10k.json
//   cargo run --profile bench -p clusterplan-engine --example model -- 20000 --link "" > target/models/dc20k.link
//   node tests/e2e/measure-compile.mjs [page|worker]...
//
// For each compile mode given (default: both; `?compile=page` forces the page's thread,
// `?compile=worker` the worker), it imports the 10k model, then recompiles it a few times (the
// results' strategy switched, a node duplicated, undone) while the mouse moves over the canvas
// every 8 ms,
// and reports the input latency of those moves (from the event's time stamp to its handler
// running) and how long each compile took to show. Then it opens the 20,000-node link and
// reports the time until its plan is on screen, with the progress texts the page showed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, ROOT } from './harness.mjs';
import { importModel } from './measure.mjs';

const id = (t) => `[data-testid="${t}"]`;
const MODELS = join(ROOT, 'target', 'models');

function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  if (!v.length) return { n: 0 };
  const at = (q) => v[Math.min(v.length - 1, Math.floor(q * v.length))];
  return { n: v.length, median: +at(0.5).toFixed(1), p95: +at(0.95).toFixed(1), max: +v[v.length - 1].toFixed(1) };
}

const settled = (page, timeout = 120_000) =>
  page.waitForSelector('main.app[data-ready][data-compiling="false"]', { timeout });

async function tenK(mode) {
  const app = await openApp({ query: `?compile=${mode}` });
  const { page } = app;
  try {
    await importModel(page, 'dc10k.json', readFileSync(join(MODELS, 'dc10k.json')), 10000);
    // Every pointer move's delay: from its time stamp (when the browser got it) to its handler.
    await page.evaluate(() => {
      window.delays = [];
      window.addEventListener('pointermove', (e) => window.delays.push(performance.now() - e.timeStamp), true);
    });
    const box = await page.locator(id('canvas')).boundingBox();
    // A node selected (for the duplicate edits), found by the node view's search field: fitted,
    // a model this large is drawn as subnet blocks.
    const first = JSON.parse(readFileSync(join(MODELS, 'dc10k.json'), 'utf8')).nodes[0].uid;
    await page.fill(id('node-find'), first);
    await page.press(id('node-find'), 'Enter');
    await page.waitForSelector(`${id('btn-duplicate')}:not([disabled])`);
    await settled(page);
    const rounds = [];
    // (One duplicate and its undo: the undo clears the selection.)
    const edits = ['strategy:spread', 'strategy:rotation', 'duplicate', 'undo', 'strategy:spread', 'strategy:rotation'];
    // The floor: a frame in which one text of the page changed (no compile, no edit).
    const frameFloor = await page.evaluate(async () => {
      const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
      const times = [];
      for (let i = 0; i < 5; i++) {
        await frame();
        const t0 = performance.now();
        const bar = document.querySelector('[data-testid="status-bar"]');
        bar.textContent = `${bar.textContent} `;
        await frame();
        await frame();
        times.push(+(performance.now() - t0).toFixed(1));
      }
      return times;
    });
    for (const edit of edits) {
      await page.evaluate(() => { window.delays = []; });
      // The edit starts in the page 30 ms from now; meanwhile and after, the mouse keeps moving.
      const started = page.evaluate((edit) => new Promise((ok) => setTimeout(() => {
        const t0 = performance.now();
        const [kind, arg] = edit.split(':');
        if (kind === 'strategy') {
          const select = document.querySelector('[data-testid="strategy-picker"]');
          select.value = arg;
          select.dispatchEvent(new Event('change', { bubbles: true }));
        } else if (kind === 'duplicate') {
          document.querySelector('[data-testid="btn-duplicate"]').click();
        } else {
          document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, cancelable: true }));
        }
        const handled = performance.now() - t0;
        // Until the plan for it is shown.
        const poll = () => {
          if (document.querySelector('main.app[data-compiling="true"]')) return requestAnimationFrame(poll);
          ok({ handled: +handled.toFixed(1), shown: +(performance.now() - t0).toFixed(1) });
        };
        setTimeout(() => requestAnimationFrame(poll), 0);
      }, 30)), edit);
      let done = false;
      started.then(() => { done = true; });
      const t0 = Date.now();
      let i = 0;
      while (!done || Date.now() - t0 < 200) {
        await page.mouse.move(box.x + 40 + (i % 50) * 4, box.y + 40 + (i % 7) * 3);
        await new Promise((ok) => setTimeout(ok, 8));
        i++;
        if (Date.now() - t0 > 60_000) break;
      }
      const times = await started;
      await settled(page);
      const delays = await page.evaluate(() => window.delays);
      rounds.push({ edit, ...times, moves: stats(delays) });
    }
    const all = rounds.flatMap((r) => r.moves.n ? [r.moves.max] : []);
    const status = await page.textContent(id('status-bar'));
    const readMs = await page.getAttribute('main.app', 'data-read-ms');
    return { mode, status, readMs, compiledIn: await page.getAttribute('main.app', 'data-compile'), frameFloor, worstMoveDelayPerRound: all, rounds, errors: app.errors };
  } finally {
    await app.close();
  }
}

async function link() {
  const fragment = readFileSync(join(MODELS, 'dc20k.link'), 'utf8').trim();
  const app = await openApp();
  const { page } = app;
  try {
    const texts = [];
    await page.exposeFunction('progress', (t, text) => texts.push([Math.round(t), text]));
    const t0 = Date.now();
    await page.goto(`${app.url}${fragment}`);
    // Watch what the page says while it opens.
    await page.evaluate(() => {
      const seen = new Set();
      const look = () => {
        const text = document.querySelector('[data-testid="loading"]')?.textContent
          ?? document.querySelector('[data-testid="status-bar"]')?.textContent?.split(' · ')[0];
        if (text && !seen.has(text)) { seen.add(text); window.progress(performance.now(), text); }
        if (!document.querySelector('main.app[data-ready][data-compiling="false"]')) requestAnimationFrame(look);
      };
      look();
    });
    await page.locator(id('status-bar'), { hasText: '20000 nodes' }).waitFor({ timeout: 120_000 });
    await settled(page);
    const took = Date.now() - t0;
    const status = await page.textContent(id('status-bar'));
    const readMs = await page.getAttribute('main.app', 'data-read-ms');
    return { readMs, linkBytes: fragment.length, openMs: took, status, progress: texts, errors: app.errors };
  } finally {
    await app.close();
  }
}

const modes = process.argv.slice(2).filter((a) => a === 'page' || a === 'worker');
const result = {};
// `--link-only`: only the 20,000-node link.
const tenKModes = process.argv.includes('--link-only') ? [] : modes.length ? modes : ['page', 'worker'];
for (const mode of tenKModes) result[mode] = await tenK(mode);
if (!process.argv.includes('--no-link')) result.link = await link();
console.log(JSON.stringify(result, null, 2));
