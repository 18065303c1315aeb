// Finding a node and the canvas by keyboard: a link that opens on a node of the 1,000-node data
// centre zooms the view to it; a node selected in the results off the screen is brought into
// view; Tab reaches the diagram's items, the arrows move between them and Enter selects, with a
// visible focus ring and a name per item.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, waitForApp, screenshot } from './harness.mjs';

const id = (x) => `[data-testid="${x}"]`;

/** Whether the element's box lies inside the canvas's box. */
async function onCanvas(page, selector) {
  const canvas = await page.locator(id('canvas')).boundingBox();
  const box = await page.locator(selector).boundingBox();
  return box.x >= canvas.x && box.y >= canvas.y
    && box.x + box.width <= canvas.x + canvas.width && box.y + box.height <= canvas.y + canvas.height;
}

const zoom = async (page) => Number(await page.locator(id('canvas')).getAttribute('data-zoom'));

test('a link that opens on a node of the 1,000-node example shows that node, zoomed in', async () => {
  const app = await openApp({ width: 1400, height: 900 });
  const { page, browser } = app;
  try {
    await page.click(id('btn-examples'));
    await page.click(id('example-datacentre'));
    // The untouched first-visit example is replaced without a question.
    await page.waitForSelector('g.world[data-level="blocks"] g.block');
    // Fitted to the screen, the whole data centre is far too small to find a node in.
    assert.ok(await zoom(page) < 0.2, `fitted at ${await zoom(page)}`);
    await page.click(id('btn-share'));
    const link = await page.locator(id('share-link')).inputValue();
    await page.keyboard.press('Escape');
    const onNode = link.replace('#model=', '#node=n777&model=');
    const reader = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const other = await reader.newPage();
    await other.goto(onNode);
    await waitForApp(other);
    await other.waitForSelector(`${id('node-n777')}.selected`);
    assert.equal(await zoom(other), 1, 'zoomed to a readable size');
    assert.ok(await onCanvas(other, id('node-n777')), 'node n777 is on the screen');
    const canvas = await other.locator(id('canvas')).boundingBox();
    const box = await other.locator(`${id('node-n777')} .node-box`).boundingBox();
    const [cx, cy] = [box.x + box.width / 2 - canvas.x, box.y + box.height / 2 - canvas.y];
    assert.ok(Math.abs(cx - canvas.width / 2) < 2 && Math.abs(cy - canvas.height / 2) < 2, `centred (${cx}, ${cy})`);
    await screenshot(other, 'link-on-node-1000');
    await reader.close();
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a node selected in the results while off the screen is brought into view', async () => {
  const app = await openApp({ width: 1400, height: 900 });
  const { page } = app;
  try {
    await page.waitForSelector(id('node-n5'));
    // Zoomed in on the canvas's middle, most nodes are off the screen.
    await page.locator(id('canvas')).click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < 8; i++) await page.click(id('zoom-in'));
    const offscreen = [];
    for (const n of [1, 2, 3, 4, 6, 7, 8, 9, 12]) {
      if (!(await onCanvas(page, id(`node-n${n}`)))) offscreen.push(n);
    }
    assert.ok(offscreen.length > 0, 'some node is off the screen');
    const n = offscreen[0];
    const before = await zoom(page);
    // Picked in the Node tab's node picker (as the results' lists and diagnostics select).
    await page.click(id('tab-node'));
    await page.selectOption(id('node-picker'), `n${n}`);
    await page.waitForSelector(`${id(`node-n${n}`)}.selected`);
    assert.ok(await onCanvas(page, id(`node-n${n}`)), `node ${n} brought into view`);
    assert.equal(await zoom(page), before, 'the zoom is kept');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('Tab reaches the diagram, arrows move between items, Enter selects, with a focus ring and names', async () => {
  const app = await openApp({ width: 1400, height: 900 });
  const { page } = app;
  try {
    await page.waitForSelector(id('node-n5'));
    // Tab from the zoom controls' neighbours until the focus is on a diagram item.
    await page.locator(id('btn-examples')).focus();
    let focused = null;
    for (let i = 0; i < 40 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.getAttribute('data-kb'));
    }
    assert.ok(focused, 'Tab reaches a diagram item');
    // Exactly one Tab stop in the diagram.
    assert.equal(await page.locator('[data-kb][tabindex="0"]').count(), 1);
    const name = () => page.evaluate(() => document.activeElement.getAttribute('aria-label'));
    // Arrows go from item to item; each has a name.
    const seen = new Set([focused]);
    for (const key of ['ArrowRight', 'ArrowDown', 'ArrowDown', 'ArrowRight', 'ArrowUp', 'ArrowLeft']) {
      await page.keyboard.press(key);
      const now = await page.evaluate(() => document.activeElement?.getAttribute('data-kb'));
      assert.ok(now, `${key} keeps the focus on a diagram item`);
      assert.ok((await name()).length > 5, `${now} has a name`);
      seen.add(now);
    }
    assert.ok(seen.size >= 3, `the arrows visited ${[...seen].join(', ')}`);
    // Walk to node 5 with the arrows (every item is reachable; at most 30 presses).
    for (let i = 0; i < 60; i++) {
      const now = await page.evaluate(() => document.activeElement?.getAttribute('data-kb'));
      if (now === 'node:n5') break;
      const key = ['ArrowDown', 'ArrowRight', 'ArrowLeft', 'ArrowUp'][i % 4];
      await page.keyboard.press(key);
    }
    await page.evaluate(() => document.querySelector('[data-kb="node:n5"]').focus());
    assert.match(await name(), /n5.*cluster A number 5 online, primary registry server/);
    // The focus ring shows (a stroke of the focus colour, wider than the default).
    const stroke = await page.evaluate(() => getComputedStyle(document.querySelector('[data-kb="node:n5"]')).strokeWidth);
    assert.equal(stroke, '4px');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${id('node-n5')}.selected`);
    assert.equal(await page.locator('[data-kb="node:n5"]').getAttribute('aria-pressed'), 'true');
    // The node's list shows in the results; the focus stays on the node.
    await page.waitForFunction(() => document.querySelector('[data-testid="node-picker"]')?.value === 'n5');
    await page.waitForSelector('[data-testid="node-list"]');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-kb')), 'node:n5');
    // Shift+Enter adds another item to the selection.
    await page.keyboard.press('ArrowRight');
    const next = await page.evaluate(() => document.activeElement?.getAttribute('data-kb'));
    await page.keyboard.press('Shift+Enter');
    assert.equal(await page.locator('.canvas [data-kb][aria-pressed="true"]').count(), 2, `n5 and ${next}`);
    await screenshot(page, 'keyboard-focus');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
