// Durable storage end to end: two tabs of one browser keep each other's edits (the scenario of
// issue 13), a 10,000-node model is saved in IndexedDB and an earlier version is restored after
// a reload, and a browser that cannot save keeps the page working and offers Export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, waitForApp, savedModel } from './harness.mjs';

const id = (x) => `[data-testid="${x}"]`;
/** Waits until the page's model is saved (the autosave caught up with it). */
const saved = (page, timeout = 30_000) => page.waitForSelector('main.app[data-saved="true"]', { timeout });
const nodeName = (page, uid) => page.locator(`${id(`node-${uid}`)} text`).first().textContent();
const nodeCount = (page) => page.locator('g.node[data-testid^="node-"]').count();

async function rename(page, uid, name) {
  await page.click(`${id(`node-${uid}`)} .node-box`);
  await page.fill(id('insp-node-name'), name);
  await page.press(id('insp-node-name'), 'Enter');
  await page.keyboard.press('Escape');
}

async function duplicate(page, uid) {
  await page.click(`${id(`node-${uid}`)} .node-box`);
  await page.click(id('btn-duplicate'));
  await page.keyboard.press('Escape');
}

test('two tabs keep each other\'s edits: a rename in one, a node added in the other, both survive a reload', async () => {
  const app = await openApp();
  const { page: one, context } = app;
  try {
    await saved(one);
    const two = await context.newPage();
    // Tab 2 can be made deaf to the other tabs' announcements (to be out of date on purpose).
    await two.addInitScript(() => {
      const Real = window.BroadcastChannel;
      window.BroadcastChannel = class extends Real {
        addEventListener(type, listener, options) {
          super.addEventListener(type, (e) => { if (!window.deaf) listener(e); }, options);
        }
      };
    });
    await two.goto(app.url);
    await waitForApp(two);
    await saved(two);
    // Tab 1 renames node 5; tab 2 sees it without a reload.
    await rename(one, 'n5', 'renamed 1');
    await saved(one);
    await two.locator(id('node-n5'), { hasText: 'renamed 1' }).waitFor();
    // Tab 2 adds a node; tab 1 sees it.
    await duplicate(two, 'n1');
    await saved(two);
    await one.waitForFunction(() => document.querySelectorAll('g.node[data-testid^="node-"]').length === 11);
    // Both at once, on different items: merged, whichever saves second.
    await Promise.all([rename(one, 'n2', 'one again'), rename(two, 'n3', 'two again')]);
    for (const page of [one, two]) {
      await page.locator(id('node-n2'), { hasText: 'one again' }).waitFor();
      await page.locator(id('node-n3'), { hasText: 'two again' }).waitFor();
      await saved(page);
    }
    // Reloaded, both tabs show every edit.
    for (const page of [one, two]) {
      await page.reload();
      await waitForApp(page);
      assert.equal(await nodeCount(page), 11);
      assert.match(await nodeName(page, 'n5'), /renamed 1/);
      assert.match(await nodeName(page, 'n2'), /one again/);
      assert.match(await nodeName(page, 'n3'), /two again/);
    }
    // The same item changed in both, tab 2 out of date (it missed tab 1's save): tab 2's save
    // never overwrites it silently; it asks, naming the item. Other edits are kept either way.
    await two.evaluate(() => { window.deaf = true; });
    await rename(one, 'n4', 'one named');
    await duplicate(one, 'n2');
    await saved(one);
    await rename(two, 'n4', 'two named');
    const conflict = two.locator(id('conflict'));
    await conflict.waitFor();
    assert.match(await conflict.textContent(), /Another tab saved changes to node n4, which you also changed here/);
    await two.click(id('conflict-ours'));
    await saved(two);
    assert.equal(await nodeCount(two), 12, 'tab 1\'s new node is kept');
    await one.locator(id('node-n4'), { hasText: 'two named' }).waitFor();
    assert.equal(await nodeCount(one), 12);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

/** A generated model of `n` nodes: 100 nodes a subnet, one router, one registry service. */
function bigModel(n) {
  const subnets = [];
  const nodes = [];
  for (let i = 0; i < n; i++) {
    const s = Math.floor(i / 100);
    if (i % 100 === 0) subnets.push({ prefix: `10.${Math.floor(s / 200)}.${s % 200}.0/24`, network: 'dc' });
    nodes.push({ uid: `n${i + 1}`, name: `node ${i + 1}`, clusters: { A: i + 1 }, online: 'A', addresses: [`10.${Math.floor(s / 200)}.${s % 200}.${(i % 100) + 1}`] });
  }
  return {
    format: 'cluster-planner/1',
    clusters: [{ id: 'A', name: 'big', registry_servers: [1, 2, 3] }],
    networks: [{ name: 'dc', priorities: {} }],
    subnets,
    routers: [{ name: 'core', subnets: subnets.map((s) => s.prefix) }],
    nodes,
    services: [{ name: 'registry', cluster: 'A', addresses: nodes.slice(0, 3).map((x) => x.addresses[0]) }],
  };
}

test('a 10,000-node model is saved, survives a reload, and an earlier version is restored', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await saved(page);
    await rename(page, 'n5', 'before the big import');
    await saved(page);
    const text = JSON.stringify(bigModel(10_000));
    await page.setInputFiles(id('import-file'), { name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.waitForSelector(id('confirm'));
    await page.click(id('confirm-discard'));
    await page.locator(id('status-bar'), { hasText: '10000 nodes' }).waitFor({ timeout: 120_000 });
    const start = Date.now();
    await saved(page, 120_000);
    const took = Date.now() - start;
    const stored = await savedModel(page);
    assert.equal(JSON.parse(stored).nodes.length, 10_000);
    console.log(`# the 10,000-node model (${(text.length / 1e6).toFixed(1)} MB as imported, ${(stored.length / 1e6).toFixed(1)} MB as saved with its layout) saved ${took} ms after it showed`);
    await page.reload();
    await page.waitForSelector('main.app[data-ready]', { timeout: 120_000 });
    await page.locator(id('status-bar'), { hasText: '10000 nodes' }).waitFor({ timeout: 120_000 });
    // Versions: the newest is the model now; the one before it is FIG 24 with the rename.
    await page.click(id('btn-versions'));
    const rows = page.locator(`${id('versions')} ${id('version')}`);
    await rows.first().waitFor();
    assert.ok(await rows.count() >= 3, `${await rows.count()} versions`);
    assert.match(await rows.nth(0).textContent(), /10,?000 nodes.*the model now/);
    assert.match(await rows.nth(1).textContent(), /10 nodes/);
    await rows.nth(1).locator('button').click();
    // Restoring asks (the model in hand is the user's), then replaces it.
    await page.waitForSelector(id('confirm'));
    assert.match(await page.locator(id('confirm')).textContent(), /restore the version saved .*This replaces your edited model \(10000 nodes/);
    await page.click(id('confirm-discard'));
    await page.locator(id('node-n5'), { hasText: 'before the big import' }).waitFor({ timeout: 60_000 });
    await saved(page);
    await page.reload();
    await waitForApp(page);
    await page.locator(id('node-n5'), { hasText: 'before the big import' }).waitFor();
    assert.equal(await nodeCount(page), 10);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('where nothing can be saved, the page keeps working, says so and offers Export', async () => {
  const app = await openApp();
  const { page, context } = app;
  try {
    // No IndexedDB (as in some private modes) and a full local storage.
    await context.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { get: () => undefined });
      Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };
    });
    await page.reload();
    await waitForApp(page);
    const banner = page.locator(id('storage-failed'));
    await banner.waitFor();
    assert.match(await banner.textContent(), /cannot be saved in this browser: .*storage for this site is full.*export it to keep it/);
    await rename(page, 'n5', 'still editable');
    await page.locator(id('node-n5'), { hasText: 'still editable' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(id('storage-export'))]);
    assert.match(download.suggestedFilename(), /\.json$/);
    // IndexedDB present but refusing to store (quota): the same.
    const full = await app.browser.newContext();
    await full.addInitScript(() => {
      IDBObjectStore.prototype.add = function () { throw new DOMException('full', 'QuotaExceededError'); };
    });
    const other = await full.newPage();
    await other.goto(app.url);
    await waitForApp(other);
    await other.locator(id('storage-failed')).waitFor();
    assert.match(await other.locator(id('storage-failed')).textContent(), /storage for this site is full/);
    await full.close();
  } finally {
    await app.close();
  }
});
