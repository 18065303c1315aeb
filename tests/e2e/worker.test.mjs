// The compile worker end to end (ARCHITECTURE.md, "The compile off the page's thread"): a plan
// compiled in the worker is the plan the page compiles itself, a large model is compiled there
// with "compiling…" in the status bar meanwhile, its results arrive, and a result that a newer
// edit made stale is never shown. Functional, not timed (the timings are measure-compile.mjs's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp } from './harness.mjs';

const id = (x) => `[data-testid="${x}"]`;
const settled = (page) => page.waitForSelector('main.app[data-ready][data-compiling="false"]', { timeout: 120_000 });

/** Node 5's lists as the node view shows them: service, then each entry's rank and address. */
async function listsOfNode5(page) {
  await page.click(`${id('node-n5')} .node-box`);
  await page.click(id('tab-node'));
  await page.waitForSelector(id('list-entry'));
  return page.$$eval('[data-testid="node-list"]', (lists) => lists.map((l) => [
    l.getAttribute('data-service'),
    [...l.querySelectorAll('[data-testid="list-entry"]')].map((e) => `${e.getAttribute('data-rank')} ${e.getAttribute('data-address')}`),
  ]));
}

test('a plan compiled in the worker is the one the page compiles', async () => {
  const lists = {};
  for (const mode of ['page', 'worker']) {
    const app = await openApp({ query: `?compile=${mode}` });
    try {
      await settled(app.page);
      assert.equal(await app.page.getAttribute('main.app', 'data-compile'), mode);
      assert.match(await app.page.textContent(id('status-bar')), /^compiled in .* · 10 nodes/);
      lists[mode] = await listsOfNode5(app.page);
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  }
  assert.ok(lists.page.length > 0 && lists.page[0][1].length > 0);
  assert.deepEqual(lists.worker, lists.page);
});

/** A model large enough for the worker: 10,000 nodes, one service of 64 addresses (640,000 list entries). */
function largeModel() {
  const nodes = [];
  const subnets = [];
  for (let s = 0; s < 100; s++) subnets.push({ prefix: `10.${s}.0.0/24`, network: 'lan' });
  for (let i = 1; i <= 10_000; i++) {
    const s = (i - 1) % 100;
    nodes.push({ uid: `n${i}`, name: `node ${i}`, clusters: { A: i }, online: 'A', addresses: [`10.${s}.0.${1 + Math.floor((i - 1) / 100)}`] });
  }
  return {
    format: 'cluster-planner/1',
    clusters: [{ id: 'A', name: 'A' }],
    networks: [{ name: 'lan', priorities: {} }],
    subnets,
    routers: [{ name: 'core', subnets: subnets.map((s) => s.prefix) }],
    nodes,
    services: [{ name: 'registry', cluster: 'A', addresses: nodes.slice(0, 64).map((n) => n.addresses[0]) }],
  };
}

test('a large model compiles in the worker: "compiling…" meanwhile, results arrive, stale ones never show', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await settled(page);
    // Every plan the page shows, with the newest request at that moment, and the status texts.
    await page.evaluate(() => {
      window.shown = [];
      window.statuses = new Set();
      const main = () => document.querySelector('main.app');
      new MutationObserver(() => {
        const m = main();
        if (!m) return;
        const plan = m.getAttribute('data-plan-revision');
        const newest = m.getAttribute('data-revision');
        const last = window.shown[window.shown.length - 1];
        if (!last || last[0] !== plan) window.shown.push([plan, newest]);
        const status = document.querySelector('[data-testid="status-bar"]')?.textContent;
        if (status) window.statuses.add(status.split(' · ')[0]);
      }).observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
    });
    const model = largeModel();
    const text = JSON.stringify(model);
    await page.setInputFiles(id('import-file'), { name: 'large.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    // (The untouched example is replaced without a question; anything else asks first.)
    await page.waitForSelector(`${id('confirm-discard')}, main.app[data-compiling]`);
    if (await page.locator(id('confirm-discard')).count()) await page.click(id('confirm-discard'));
    await page.locator(id('status-bar'), { hasText: '10000 nodes' }).waitFor({ timeout: 120_000 });
    await settled(page);
    // The first plan of a large model is compiled on the page (nothing of it is shown yet, and
    // the worker's first answer would take longer); its edits are compiled in the worker.
    assert.equal(await page.getAttribute('main.app', 'data-compile'), 'page');
    // Three edits in quick succession (node 1 duplicated three times): each asks for a plan.
    // A node selected from the node lists' picker (fitted, a model this large is drawn as
    // subnet blocks, so no node is on the canvas to click).
    // A model this large has a search field for its nodes instead of a list of 10,000: a
    // part of a name offers the matching nodes, the uid typed and Enter selects it.
    await page.fill(id('node-find'), 'node 1');
    assert.equal(await page.locator('#node-offers option').count(), 20);
    await page.fill(id('node-find'), 'no such node');
    await page.press(id('node-find'), 'Enter');
    await page.waitForSelector(id('node-find-error'));
    await page.fill(id('node-find'), model.nodes[0].uid);
    await page.press(id('node-find'), 'Enter');
    await page.waitForSelector(`${id('btn-duplicate')}:not([disabled])`);
    const before = Number(await page.getAttribute('main.app', 'data-revision'));
    await page.evaluate(async () => {
      for (let i = 0; i < 3; i++) {
        document.querySelector('[data-testid="btn-duplicate"]').click();
        await new Promise((ok) => setTimeout(ok, 5));
      }
    });
    await settled(page);
    assert.equal(await page.getAttribute('main.app', 'data-compile'), 'worker');
    const status = await page.textContent(id('status-bar'));
    assert.match(status, /^compiled in .* · 10003 nodes · 1 service · 10003 lists/, status);
    const [plan, newest] = await page.evaluate(() => [document.querySelector('main.app').getAttribute('data-plan-revision'), document.querySelector('main.app').getAttribute('data-revision')]);
    assert.equal(plan, newest, 'the plan shown answers the newest request');
    assert.ok(Number(newest) >= before + 1, `${before} -> ${newest}`);
    // No plan was shown once a newer one had been asked for.
    const shown = await page.evaluate(() => window.shown);
    for (const [p, n] of shown.filter(([p]) => p !== '0')) assert.equal(p, n, `plan ${p} shown while ${n} was the newest request: ${JSON.stringify(shown)}`);
    console.log(`# plans shown (answered revision, newest request): ${JSON.stringify(shown)}`);
    const statuses = await page.evaluate(() => [...window.statuses]);
    assert.ok(statuses.includes('compiling…'), JSON.stringify(statuses));
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
