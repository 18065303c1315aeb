// The editor, end to end, as a person uses it: from an empty canvas, with clicks, drags and
// typing only, draw two subnets, a router, three nodes and a registry service; read a node's
// ordered list off the page; reload and find the model intact; import broken files and find the
// model still intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, waitForApp, screenshot, savedModel, ROOT } from './harness.mjs';

const CLI = join(ROOT, 'target', 'debug', 'clusterplan');

const id = (testid) => `[data-testid="${testid}"]`;

/** Centre of an element's box on the page. */
async function centre(page, selector) {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is on the page`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** A press, a move in small steps and a release: a drag as a hand makes it. */
async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 6 });
  await page.mouse.move(to.x, to.y, { steps: 6 });
  await page.mouse.up();
}

/** The autosaved model (what a reload restores). */
const saved = savedModel;

test('draw a model from an empty canvas, reload it, and survive broken imports', async () => {
  const app = await openApp({ width: 1400, height: 900 });
  const { page } = app;
  try {
    // "New" replaces the untouched built-in example without a question.
    await page.click(id('btn-new'));
    await page.waitForSelector(id('canvas-empty'));
    assert.equal(await page.locator(id('confirm')).count(), 0);

    const canvas = await page.locator(id('canvas')).boundingBox();
    const at = (fx, fy) => ({ x: canvas.x + canvas.width * fx, y: canvas.y + canvas.height * fy });

    // Two subnets, one above the other.
    await page.click(id('tool-subnet'));
    await page.mouse.click(at(0.5, 0.2).x, at(0.5, 0.2).y);
    await page.waitForSelector(id('subnet-10.0.0.0/24'));
    await page.click(id('tool-subnet'));
    await page.mouse.click(at(0.5, 0.62).x, at(0.5, 0.62).y);
    await page.waitForSelector(id('subnet-10.0.1.0/24'));

    // A router on the left, linked to both subnets with the link tool.
    await page.click(id('tool-router'));
    await page.mouse.click(at(0.15, 0.42).x, at(0.15, 0.42).y);
    await page.waitForSelector(id('router-r1'));
    await page.click(id('tool-link'));
    await drag(page, await centre(page, `${id('router-r1')} .router-body`), await centre(page, `${id('subnet-10.0.0.0/24')} .subnet-bar`));
    await page.waitForSelector(id('link-r1-10.0.0.0/24'), { state: 'attached' }); // a vertical line has no area
    await drag(page, await centre(page, `${id('router-r1')} .router-body`), await centre(page, `${id('subnet-10.0.1.0/24')} .subnet-bar`));
    await page.waitForSelector(id('link-r1-10.0.1.0/24'), { state: 'attached' }); // a vertical line has no area
    await page.click(id('tool-select'));

    // Two nodes placed on the first subnet (attached: next free address).
    const bar1 = await page.locator(`${id('subnet-10.0.0.0/24')} .subnet-bar`).boundingBox();
    await page.click(id('tool-node'));
    await page.mouse.click(bar1.x + bar1.width * 0.2, bar1.y + bar1.height / 2);
    await page.waitForSelector(id('node-n1'));
    await page.click(id('tool-node'));
    await page.mouse.click(bar1.x + bar1.width * 0.8, bar1.y + bar1.height / 2);
    await page.waitForSelector(id('node-n2'));
    // A third node on empty space, then attached by dragging its handle onto the second subnet.
    await page.click(id('tool-node'));
    await page.mouse.click(at(0.5, 0.85).x, at(0.5, 0.85).y);
    await page.waitForSelector(id('node-n3'));
    await drag(page, await centre(page, `${id('node-n3')} .port`), await centre(page, `${id('subnet-10.0.1.0/24')} .subnet-bar`));
    await page.waitForSelector(id('link-n3-10.0.1.1'), { state: 'attached' }); // a vertical line has no area
    assert.equal(await page.locator(id('link-n1-10.0.0.1')).count(), 1);
    assert.equal(await page.locator(id('link-n2-10.0.0.2')).count(), 1);

    // Node 3 and node 1 become registry servers (node 3 primary); node 1 gets a typed name
    // containing HTML, which must show as text.
    await page.click(`${id('node-n3')} .node-box`);
    await page.click(id('insp-node-registry-A'));
    await page.click(`${id('node-n1')} .node-box`);
    await page.click(id('insp-node-registry-A'));
    await page.fill(id('insp-node-name'), 'a <b>1</b>');
    await page.press(id('insp-node-name'), 'Enter');
    await page.waitForSelector(`${id('node-n1')} .node-name >> text=a <b>1</b>`);
    assert.equal(await page.locator(`${id('node-n1')} b`).count(), 0, 'no markup from a name');

    // A service: the registry, prefilled with the registry servers' addresses, primary first.
    await page.click(id('btn-add-service'));
    await page.waitForSelector(id('inspector-service'));
    assert.equal(await page.locator(id('insp-service-name')).inputValue(), 'registry');
    assert.ok(await page.locator(id('insp-service-address-10.0.1.1')).isChecked());
    assert.ok(await page.locator(id('insp-service-address-10.0.0.1')).isChecked());
    assert.ok(!(await page.locator(id('insp-service-address-10.0.0.2')).isChecked()));

    // The engine's ordered list for node 2 (on the first subnet): its neighbour 10.0.0.1 first
    // (0 hops), then 10.0.1.1 (1 hop, through r1).
    await page.click(`${id('node-n2')} .node-box`);
    const list2 = page.locator(id('node-list-addresses-A-registry'));
    await list2.waitFor();
    assert.equal(await list2.textContent(), '10.0.0.1, 10.0.1.1');
    // And node 3's: local first.
    await page.click(`${id('node-n3')} .node-box`);
    await page.waitForSelector(`${id('node-list-addresses-A-registry')} >> text=10.0.1.1, 10.0.0.1`);
    // No error from the engine about the drawn model.
    assert.equal(await page.locator('.mark.error').count(), 0);
    await screenshot(page, 'editor-drawn');

    // Undo and redo of the last edit (the service) with the keyboard.
    await page.click(id('canvas'), { position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await page.waitForSelector(`${id('inspector-overview')}`);
    assert.equal(await page.locator(id('overview-service-A-registry')).count(), 0, 'undo removed the service');
    await page.keyboard.press('Control+Shift+Z');
    await page.waitForSelector(id('overview-service-A-registry'));

    // Reload: the same model, exactly.
    const before = await saved(page);
    assert.ok(before && before.includes('"layout"'), 'autosaved with positions');
    await page.reload();
    await waitForApp(page);
    assert.equal(await saved(page), before, 'the stored model is unchanged by the reload');
    for (const item of ['subnet-10.0.0.0/24', 'subnet-10.0.1.0/24', 'router-r1', 'node-n1', 'node-n2', 'node-n3',
      'link-r1-10.0.0.0/24', 'link-r1-10.0.1.0/24', 'link-n3-10.0.1.1', 'overview-service-A-registry']) {
      assert.equal(await page.locator(id(item)).count(), 1, `${item} after reload`);
    }
    await page.click(`${id('node-n2')} .node-box`);
    assert.equal(await page.locator(id('node-list-addresses-A-registry')).textContent(), '10.0.0.1, 10.0.1.1');

    // Broken imports: each says what is wrong and leaves the model untouched.
    const broken = [
      { name: 'truncated.json', text: '{"format": "cluster-planner/1", "nodes": [', says: 'not JSON' },
      { name: 'other.json', text: '{"format": "something-else/2"}', says: 'unsupported format' },
      { name: 'list.json', text: '[1, 2, 3]', says: 'not a cluster-planner/1 document' },
      { name: 'huge.json', text: ' '.repeat(16 * 1024 * 1024 + 10), says: 'more than' },
    ];
    for (const file of broken) {
      await page.setInputFiles(id('import-file'), { name: file.name, mimeType: 'application/json', buffer: Buffer.from(file.text) });
      const notice = page.locator(`${id('notice')}.error`);
      await notice.waitFor();
      const text = await notice.textContent();
      assert.ok(text.includes(file.says), `${file.name}: ${text}`);
      assert.ok(text.includes('unchanged'), `${file.name}: ${text}`);
      assert.equal(await saved(page), before, `${file.name} left the model as it was`);
      assert.equal(await page.locator(id('node-n3')).count(), 1);
      await page.click(id('notice-dismiss'));
    }
    await screenshot(page, 'editor-after-broken-import');

    // Export, then import the exported file: the same model (positions included).
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(id('btn-export'))]);
    // Named after the model: its one cluster, "cluster A" (made with its first node).
    assert.deepEqual(JSON.parse(before).clusters.map((c) => c.name), ['cluster A']);
    assert.equal(download.suggestedFilename(), 'cluster-a.json');
    const exported = await readFile(await download.path(), 'utf8');
    assert.deepEqual(JSON.parse(exported), JSON.parse(before));
    await page.setInputFiles(id('import-file'), { name: 'cluster-plan.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    // The drawn model is the user's work: Import asks first, as New and Examples do, naming it.
    await page.waitForSelector(id('confirm'));
    assert.match(await page.locator(id('confirm')).textContent(), /import the file cluster-plan\.json\. This replaces your edited model \(3 nodes, 2 subnets, 1 router and 1 service\)/);
    await page.click(id('confirm-discard'));
    await page.waitForSelector(`${id('notice')} >> text=Imported`);
    assert.equal(await saved(page), before);

    // The command-line tool reads the exported file and gives every node the list the page
    // showed (same engine, natively).
    assert.ok(existsSync(CLI), `build the CLI first: cargo build -p clusterplan-cli (${CLI})`);
    const file = join(await mkdtemp(join(tmpdir(), 'clusterplan-')), 'drawn.json');
    await writeFile(file, exported);
    const lines = execFileSync(CLI, ['lists', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim().split('\n').map((l) => l.split('\t'));
    assert.deepEqual(lines, [
      ['A', 'registry', '1', '10.0.0.1,10.0.1.1'],
      ['A', 'registry', '2', '10.0.0.1,10.0.1.1'],
      ['A', 'registry', '3', '10.0.1.1,10.0.0.1'],
    ]);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('examples gallery, help overlay and the 1,000-node data centre', async () => {
  const app = await openApp({ width: 1400, height: 900 });
  const { page } = app;
  try {
    await page.keyboard.press('?');
    await page.waitForSelector(id('help-overlay'));
    await page.keyboard.press('Escape');
    assert.equal(await page.locator(id('help-overlay')).count(), 0);

    await page.click(id('btn-examples'));
    await page.click(id('example-two-clusters'));
    await page.waitForSelector(id('node-shared'));
    // The shared node shows both clusters, the online one filled.
    assert.equal(await page.locator(`${id('node-shared')} .chip`).count(), 2);
    assert.equal(await page.locator(`${id('node-shared')} .chip.online`).count(), 1);

    await page.click(id('btn-examples'));
    await page.click(id('example-datacentre'));
    // Fitted, 1,000 nodes are too many to draw one by one: each subnet is a block (docs/editor.md,
    // "Large models"); zoomed in, the nodes come back.
    await page.waitForSelector('g.world[data-level="blocks"] g.block');
    assert.equal(await page.locator('g.block').count(), 100);
    await screenshot(page, 'editor-datacentre');
    for (let i = 0; i < 9; i++) await page.click(id('zoom-in'));
    await page.waitForSelector('g.world[data-level="nodes"] g.node[data-testid^="node-n"]');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('at 1024x700: the help dialog keeps Close in view, the results panel resizes, keys in a select stay there', async () => {
  const app = await openApp({ width: 1024, height: 700 });
  const { page } = app;
  try {
    // The first screen explains the example; the toolbar holds on one row.
    await page.waitForSelector(id('first-hint'));
    await page.waitForSelector(id('canvas-legend'));
    const toolbar = await page.locator('header.toolbar').boundingBox();
    assert.ok(toolbar.height < 50, `toolbar on one row (${toolbar.height}px)`);
    await screenshot(page, 'editor-1024');
    // And at the common laptop widths between that and 1,400 px.
    for (const width of [1100, 1150, 1200, 1280, 1366, 1440]) {
      await page.setViewportSize({ width, height: 700 });
      const { height } = await page.locator('header.toolbar').boundingBox();
      assert.ok(height < 50, `toolbar on one row at ${width}px (${height}px)`);
    }
    await page.setViewportSize({ width: 1024, height: 700 });

    await page.keyboard.press('?');
    const close = page.locator(id('help-close'));
    await close.waitFor();
    const box = await close.boundingBox();
    assert.ok(box.y >= 0 && box.y + box.height <= 700, `Close is in view (${box.y})`);
    await close.click();
    assert.equal(await page.locator(id('help-overlay')).count(), 0);

    // The results take about 45% of the height, and the splitter resizes them.
    const results = () => page.locator('.results-slot').boundingBox();
    const before = await results();
    assert.ok(before.height > 0.3 * 700, `results ${before.height}px by default`);
    const grip = await centre(page, id('results-splitter'));
    await drag(page, grip, { x: grip.x, y: grip.y - 60 });
    const after = await results();
    assert.ok(Math.abs(after.height - (before.height + 60)) < 8, `${before.height} -> ${after.height}`);
    // Not past the canvas area's minimum.
    const grip2 = await centre(page, id('results-splitter'));
    await drag(page, grip2, { x: grip2.x, y: 0 });
    const canvasArea = await page.locator('.workspace').boundingBox();
    assert.ok(canvasArea.height >= 239, `the canvas keeps ${canvasArea.height}px`);
    assert.ok(!(await saved(page)).includes('results'), 'the height is not in the document');

    // Backspace in the strategy picker deletes nothing.
    await page.click(id('node-n5'));
    await page.focus(id('strategy-picker'));
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Delete');
    assert.equal(await page.locator(id('node-n5')).count(), 1);

    // The strategy survives a reload.
    await page.selectOption(id('strategy-picker'), 'spread');
    await page.reload();
    await waitForApp(page);
    assert.equal(await page.locator(id('strategy-picker')).inputValue(), 'spread');

    // Shift+drag draws a live box and selects what it touches.
    await page.keyboard.press('Escape');
    const n5 = await page.locator(`${id('node-n5')} .node-box`).boundingBox();
    const from = { x: n5.x + 20, y: n5.y + n5.height + 16 };
    await page.keyboard.down('Shift');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(n5.x + 50, n5.y + n5.height - 10, { steps: 5 });
    assert.equal(await page.locator(id('box-select')).count(), 1, 'the box is drawn while dragging');
    await page.mouse.up();
    await page.keyboard.up('Shift');
    assert.equal(await page.locator(`${id('node-n5')}.selected`).count(), 1, 'a box over part of node 5 takes it');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('on a touch screen, two fingers pinch to zoom about their midpoint and select nothing', async () => {
  const app = await openApp({ width: 1200, height: 800 });
  const { page } = app;
  try {
    const canvas = page.locator(id('canvas'));
    await canvas.waitFor();
    const zoom = async () => Number(await canvas.getAttribute('data-zoom'));
    const before = await zoom();
    // Two touch pointers on empty canvas, 100 px apart, spread to 200 px apart.
    await page.evaluate(() => {
      const svg = document.querySelector('[data-testid="canvas"]');
      const r = svg.getBoundingClientRect();
      const [x, y] = [r.left + 60, r.bottom - 120];
      const send = (type, pointerId, dx) => svg.dispatchEvent(new PointerEvent(type, {
        pointerId, pointerType: 'touch', isPrimary: pointerId === 1, bubbles: true, cancelable: true,
        clientX: x + dx, clientY: y, button: type === 'pointermove' ? -1 : 0, buttons: type === 'pointerup' ? 0 : 1,
      }));
      send('pointerdown', 1, 50);
      send('pointerdown', 2, 150);
      for (let step = 1; step <= 5; step++) {
        send('pointermove', 1, 50 - 10 * step);
        send('pointermove', 2, 150 + 10 * step);
      }
      send('pointerup', 1, 0);
      send('pointerup', 2, 200);
    });
    await page.waitForFunction((b) => Number(document.querySelector('[data-testid="canvas"]').dataset.zoom) > b * 1.9, before);
    const after = await zoom();
    assert.ok(Math.abs(after / before - 2) < 0.02, `zoom ${before} -> ${after}`);
    // The fingers did not select, move or add anything.
    assert.equal(await page.locator('g.node.selected').count(), 0);
    assert.equal(await page.locator(id('btn-undo')).isDisabled(), true);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
