// The 10,000-node data centre (docs/editor.md, "Large models"): it opens from the gallery as
// blocks, zooming in on one subnet shows its nodes, a node selected there reads the list the
// CLI computes for it from the same model, it can be dragged, and a failed server is marked. Run after `trunk build --release` and
// `cargo build -p clusterplan-cli`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, screenshot, ROOT } from './harness.mjs';
import { nearestNode } from './measure.mjs';

const CLI = join(ROOT, 'target', 'debug', 'clusterplan');
const id = (testid) => `[data-testid="${testid}"]`;
const level = (page) => page.locator('g.world').getAttribute('data-level');
const zoom = async (page) => Number(await page.locator(id('canvas')).getAttribute('data-zoom'));

test('the 10,000-node data centre opens as blocks; zoomed in on a subnet, a node reads the CLI\'s lists, drags, and a server fails', async () => {
  assert.ok(existsSync(CLI), `build the CLI first: cargo build -p clusterplan-cli (${CLI})`);
  const app = await openApp({ width: 1400, height: 900 });
  const { page } = app;
  try {
    await page.click(id('btn-examples'));
    // The card says it is opening while the model is built, compiled and drawn (watched from
    // before the click: it is gone once the model is drawn).
    await page.evaluate(() => {
      window.sawOpening = false;
      new MutationObserver(() => {
        window.sawOpening ||= !!document.querySelector('[data-testid="example-opening"]');
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.click(id('example-datacentre-10k'));
    await page.waitForSelector('g.world[data-level="blocks"] g.block', { timeout: 30_000 });
    assert.ok(await page.evaluate(() => window.sawOpening), 'the card said it was opening');
    // Fitted, every subnet is one block (nodes are not drawn one by one), each with its count.
    assert.equal(await page.locator('g.block').count(), 1000);
    assert.equal(await page.locator('g.node').count(), 0);
    assert.equal(await page.locator(`${id('block-10.0.7.0/24')}`).getAttribute('data-count'), '10');
    // The blocks holding servers of the shown service are coloured by their load (once the
    // compile worker's plan has arrived).
    await page.waitForSelector('g.block[data-heat^="heat-"]', { timeout: 30_000 });
    const heated = await page.locator('g.block:not([data-heat=""])').count();
    assert.ok(heated > 0 && heated < 1000, `${heated} blocks with servers`);
    await screenshot(page, 'scale-10k-blocks');

    // Zoom in with the wheel over one subnet's block until its nodes are drawn with names.
    const block = await page.locator(id('block-10.0.7.0/24')).boundingBox();
    await page.mouse.move(block.x + block.width / 2, block.y + block.height / 2);
    for (let z = await zoom(page); z < 0.6;) {
      await page.mouse.wheel(0, -120);
      await page.waitForFunction((z) => Number(document.querySelector('[data-testid="canvas"]').dataset.zoom) !== z, z);
      z = await zoom(page);
    }
    assert.equal(await level(page), 'nodes');
    const drawn = await page.locator('g.node').count();
    assert.ok(drawn > 0 && drawn <= 400, `${drawn} nodes drawn, not 10,000`);
    await screenshot(page, 'scale-10k-nodes');

    // The node nearest the pointer (on that subnet): click it, read its lists.
    const pointer = { x: block.x + block.width / 2, y: block.y + block.height / 2 };
    const uid = (await nearestNode(page, pointer)).slice('node-'.length);
    await page.locator(`${id(`node-${uid}`)} .node-box`).click();
    await page.waitForSelector(`${id(`node-${uid}`)}.selected`);
    await page.waitForSelector(id('node-list'));
    const lists = await page.locator(id('node-list')).evaluateAll((sections) => sections.map((s) => ({
      cluster: s.dataset.cluster,
      service: s.dataset.service,
      number: s.querySelector('h3 .muted').textContent.match(/as node (\d+)/)[1],
      addresses: s.dataset.addresses,
    })));
    assert.equal(lists.length, 4, 'a client of the four services');

    // The CLI, on the model the page exported, gives that node the same lists.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(id('btn-export'))]);
    const file = join(await mkdtemp(join(tmpdir(), 'clusterplan-')), 'datacentre-10k.json');
    await writeFile(file, await readFile(await download.path()));
    const rows = execFileSync(CLI, ['lists', file], { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] })
      .trim().split('\n').map((l) => l.split('\t'));
    for (const list of lists) {
      const row = rows.find(([c, s, n]) => c === list.cluster && s === list.service && n === list.number);
      assert.ok(row, `the CLI lists node ${list.number} for ${list.service}`);
      assert.equal(list.addresses, row[3], `${list.service} of node ${uid}`);
    }

    // Drag the node a little: it moves and stays selected.
    const moved = await page.locator(id(`node-${uid}`)).getAttribute('transform');
    const nodeBox = await page.locator(`${id(`node-${uid}`)} .node-box`).boundingBox();
    const from = { x: nodeBox.x + nodeBox.width / 2, y: nodeBox.y + nodeBox.height / 2 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 24, from.y + 36, { steps: 6 });
    await page.mouse.up();
    await page.waitForFunction(([sel, t]) => document.querySelector(sel)?.getAttribute('transform') !== t,
      [`[data-testid="node-${uid}"]`, moved]);
    assert.equal(await page.locator(`${id(`node-${uid}`)}.selected`).count(), 1);

    // Fail a server from the Load tab: its bar says so, and its node is marked down.
    await page.getByTestId('tab-load').click();
    const bar = page.locator('[data-testid="load-bar"]').first();
    const number = await bar.getAttribute('data-server-number');
    await bar.click();
    await page.locator(`[data-testid="load-bar"][data-server-number="${number}"][data-failed="true"]`).waitFor();

    // Zoomed out again, the selected node, the servers its lists rank (with their badges) and
    // the failed server stay drawn over the blocks.
    await page.click(id('zoom-fit'));
    await page.waitForSelector('g.world[data-level="blocks"]');
    assert.equal(await page.locator(`${id(`node-${uid}`)}.selected`).count(), 1);
    assert.ok(await page.locator('[data-testid^="rank-"]').count() > 0, 'rank badges drawn zoomed out');
    assert.equal(await page.locator('[data-testid^="down-"]').count(), 1, 'the failed server is marked down');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
