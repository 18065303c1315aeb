// Measures the editor on the gallery's generated data centres (1,000 and 10,000 nodes): the time
// from the gallery's click to the first usable picture, pan and zoom frame times zoomed out
// (blocks) and at a working zoom (nodes), dragging a node, and selecting one until its lists
// show. A measurement script, not a test: run it with `node tests/e2e/measure-scale.mjs [1k|10k]`
// after `trunk build --release`; the numbers go to docs/performance.md.
import { openApp } from './harness.mjs';
import { nearestNode } from './measure.mjs';

const id = (testid) => `[data-testid="${testid}"]`;

function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  const at = (q) => v[Math.min(v.length - 1, Math.floor(q * v.length))];
  return { n: v.length, median: +at(0.5).toFixed(1), p95: +at(0.95).toFixed(1), max: +v[v.length - 1].toFixed(1) };
}

/** Waits in the page until `selector` matches, then two frames (so it has been painted). */
const PAINTED = `
  window.__painted = async (selector) => {
    const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
    while (!document.querySelector(selector)) await frame();
    await frame();
    await frame();
  };`;

/**
 * In the page: a press at `from`, `steps` pointer moves by `delta` in all, a release. For each
 * move, the time from dispatching it (at a frame boundary) to the start of the frame after the
 * one that painted it (33 ms: on screen one frame later at 30 fps).
 */
async function gesture(page, from, delta, steps) {
  return page.evaluate(async ({ from, delta, steps }) => {
    const svg = document.querySelector('[data-testid="canvas"]');
    const fire = (type, x, y) => svg.dispatchEvent(new PointerEvent(type, {
      clientX: x, clientY: y, button: 0, buttons: type === 'pointerup' ? 0 : 1, pointerId: 7, bubbles: true,
    }));
    const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
    fire('pointerdown', from.x, from.y);
    await frame();
    const frames = [];
    for (let i = 1; i <= steps; i++) {
      await frame();
      const t0 = performance.now();
      fire('pointermove', from.x + (delta.x * i) / steps, from.y + (delta.y * i) / steps);
      await frame();
      await frame();
      frames.push(performance.now() - t0);
    }
    const t0 = performance.now();
    fire('pointerup', from.x + delta.x, from.y + delta.y);
    await frame();
    await frame();
    return { frames, drop: performance.now() - t0 };
  }, { from, delta, steps });
}

/** In the page: `steps` wheel events at `at` (zooming in for a negative `deltaY`), timed as above. */
async function wheel(page, at, deltaY, steps) {
  return page.evaluate(async ({ at, deltaY, steps }) => {
    const svg = document.querySelector('[data-testid="canvas"]');
    const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
    const frames = [];
    for (let i = 0; i < steps; i++) {
      await frame();
      const t0 = performance.now();
      svg.dispatchEvent(new WheelEvent('wheel', { clientX: at.x, clientY: at.y, deltaY, deltaMode: 0, bubbles: true, cancelable: true }));
      await frame();
      await frame();
      frames.push(performance.now() - t0);
    }
    return frames;
  }, { at, deltaY, steps });
}

const zoomOf = async (page) => Number(await page.getAttribute(id('canvas'), 'data-zoom'));
const drawn = (page) => page.evaluate(() => ({
  level: document.querySelector('g.world')?.getAttribute('data-level'),
  blocks: document.querySelectorAll('g.block').length,
  nodes: document.querySelectorAll('g.node').length,
  links: document.querySelectorAll('line.link').length,
}));

async function measure(example) {
  const app = await openApp({ width: 1400, height: 900 });
  const { page } = app;
  try {
    await page.evaluate(PAINTED);
    await page.click(id('btn-examples'));
    // Open: from the click on the card to the first picture of the model painted.
    const open = await page.evaluate(async (example) => {
      const t0 = performance.now();
      document.querySelector(`[data-testid="example-${example}"]`).click();
      await window.__painted('g.world[data-level] g.block, g.world[data-level] g.node[data-testid="node-n1000"]');
      return performance.now() - t0;
    }, example);
    const status = await page.locator(id('status-bar')).textContent();
    const box = await page.locator(id('canvas')).boundingBox();
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const empty = { x: box.x + 12, y: box.y + box.height - 12 };
    const fitted = { zoom: await zoomOf(page), ...(await drawn(page)) };
    const panOut = await gesture(page, empty, { x: -300, y: -200 }, 60);
    // Zoom in at the middle through every level (blocks, nodes without names, with names), and out.
    const zoomIn = await wheel(page, centre, -100, 24);
    const zoomedIn = { zoom: await zoomOf(page), ...(await drawn(page)) };
    const zoomOut = await wheel(page, centre, 100, 24);
    // A working scale: the 1,000-node figures' 68 % (names and chips drawn).
    await page.click(id('zoom-fit'));
    while ((await zoomOf(page)) < 0.6) await page.click(id('zoom-in'));
    const working = { zoom: await zoomOf(page), ...(await drawn(page)) };
    const panIn = await gesture(page, empty, { x: -300, y: -200 }, 60);
    // The node nearest the middle: dragged, then clicked (selected) until its lists show.
    const node = await nearestNode(page, centre);
    const nb = await page.locator(`${id(node)} .node-box`).boundingBox();
    const at = { x: nb.x + nb.width / 2, y: nb.y + nb.height / 2 + 4 };
    const drag = await gesture(page, at, { x: 240, y: 120 }, 60);
    const nb2 = await page.locator(`${id(node)} .node-box`).boundingBox();
    const select = await page.evaluate(async ({ x, y, node }) => {
      const svg = document.querySelector('[data-testid="canvas"]');
      const fire = (type) => svg.dispatchEvent(new PointerEvent(type, { clientX: x, clientY: y, button: 0, buttons: type === 'pointerup' ? 0 : 1, pointerId: 8, bubbles: true }));
      const t0 = performance.now();
      fire('pointerdown');
      fire('pointerup');
      await window.__painted(`[data-testid="${node}"].selected`);
      const selected = performance.now() - t0;
      await window.__painted('[data-testid="node-list"]');
      return { selected, lists: performance.now() - t0 };
    }, { x: nb2.x + nb2.width / 2, y: nb2.y + nb2.height / 2 + 4, node });
    // The same model from a file: exported, then imported into a fresh page.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(id('btn-export'))]);
    const file = await download.path();
    const fresh = await openApp({ width: 1400, height: 900 });
    let importMs;
    try {
      await fresh.page.evaluate(PAINTED);
      await fresh.page.evaluate(() => document.addEventListener('change', () => { window.__t0 = performance.now(); }, true));
      await fresh.page.setInputFiles(id('import-file'), file);
      importMs = await fresh.page.evaluate(async () => {
        await window.__painted('g.world[data-level] g.block');
        return performance.now() - window.__t0;
      });
    } finally {
      await fresh.close();
    }
    return {
      example,
      status,
      openMs: +open.toFixed(0),
      importMs: +importMs.toFixed(0),
      fitted,
      panZoomedOutFrameMs: stats(panOut.frames),
      zoomInFrameMs: stats(zoomIn),
      zoomOutFrameMs: stats(zoomOut),
      zoomedIn,
      working,
      panFrameMs: stats(panIn.frames),
      node,
      dragFrameMs: stats(drag.frames),
      ...(process.env.RAW ? { dragRaw: drag.frames.map(Math.round), panRaw: panIn.frames.map(Math.round), zoomInRaw: zoomIn.map(Math.round), zoomOutRaw: zoomOut.map(Math.round) } : {}),
      dropMs: +drag.drop.toFixed(0),
      selectMs: +select.selected.toFixed(0),
      listsMs: +select.lists.toFixed(0),
      errors: app.errors,
    };
  } finally {
    await app.close();
  }
}

const which = process.argv.slice(2);
const examples = { '1k': 'datacentre', '10k': 'datacentre-10k' };
for (const name of which.length ? which : ['1k', '10k']) {
  console.log(JSON.stringify(await measure(examples[name] ?? name), null, 1));
}
