// Measures how the editor keeps up on the 1,000-node example: for each pointer move while
// dragging a node and while panning, the time to handle it and render (Yew's update and DOM
// patch) and the time until the frame that shows it has been painted; and for each edit (a
// selected node nudged by the arrow key, a dragged node dropped), the time from the edit until
// the frame after the one that painted its result (the plan compiled for it: no
// `data-compiling` on the page). A measurement script, not a test (run it with
// `node tests/e2e/measure-editor.mjs` after `trunk build --release`); the numbers go to
// docs/performance.md.
import { openApp } from './harness.mjs';
import { editToScreen, nearestNode } from './measure.mjs';

const id = (testid) => `[data-testid="${testid}"]`;

function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  const at = (q) => v[Math.min(v.length - 1, Math.floor(q * v.length))];
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { n: v.length, mean: +mean.toFixed(2), median: +at(0.5).toFixed(2), p95: +at(0.95).toFixed(2), max: +v[v.length - 1].toFixed(2) };
}

/**
 * In the page: dispatches `steps` pointer moves to the canvas (after a press at `from`), each
 * followed by waiting until the app has handled it and rendered (Yew renders in a microtask, so
 * a macrotask later the DOM is up to date). Returns the time of each update, in ms.
 */
async function gesture(page, from, delta, steps) {
  return page.evaluate(async ({ from, delta, steps }) => {
    const svg = document.querySelector('[data-testid="canvas"]');
    const fire = (type, x, y) => svg.dispatchEvent(new PointerEvent(type, {
      clientX: x, clientY: y, button: 0, buttons: type === 'pointerup' ? 0 : 1, pointerId: 7, bubbles: true,
    }));
    const tick = () => new Promise((ok) => setTimeout(ok, 0));
    const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
    fire('pointerdown', from.x, from.y);
    await tick();
    const times = [];
    const frameTimes = [];
    for (let i = 1; i <= steps; i++) {
      // Start at a frame boundary, so the update and its paint fall in the next frame.
      await frame();
      const t0 = performance.now();
      fire('pointermove', from.x + (delta.x * i) / steps, from.y + (delta.y * i) / steps);
      await tick();
      times.push(performance.now() - t0);
      // The frame that shows it: from the event to the start of the frame after its paint.
      await frame();
      await frame();
      frameTimes.push(performance.now() - t0);
    }
    const t0 = performance.now();
    fire('pointerup', from.x + delta.x, from.y + delta.y);
    await tick();
    const drop = performance.now() - t0;
    return { times, frameTimes, drop };
  }, { from, delta, steps });
}

const app = await openApp({ width: 1400, height: 900 });
const { page } = app;
try {
  await page.click(id('btn-examples'));
  await page.click(id('example-datacentre'));
  await page.waitForSelector('g.world g.block');
  const load = await page.evaluate(() => document.querySelector('[data-testid="status-bar"]')?.textContent);
  // Zoom in to a working scale (labels drawn), around the canvas's centre.
  for (let i = 0; i < 8; i++) await page.click(id('zoom-in'));
  const zoom = await page.getAttribute(id('canvas'), 'data-zoom');
  const box = await page.locator(id('canvas')).boundingBox();
  // The node whose box is nearest the middle of the canvas.
  const node = await nearestNode(page, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
  let dragged = null;
  const target = node ?? 'node-n1';
  const nb = await page.locator(`${id(target)} .node-box`).boundingBox();
  const centre = { x: nb.x + nb.width / 2, y: nb.y + nb.height / 2 + 4 };
  dragged = await gesture(page, centre, { x: 240, y: 120 }, 60);
  const empty = { x: box.x + 8, y: box.y + box.height - 8 };
  const panned = await gesture(page, empty, { x: -300, y: -200 }, 60);
  // Edits: the node nudged by the arrow key, at irregular pauses (some shorter than the
  // autosave's delay, some longer), then dragged nodes dropped.
  await page.click(`${id(target)} .node-box`);
  const nudges = await editToScreen(page, 'nudge', 60);
  const drops = await editToScreen(page, 'drop', 15, centre);
  const result = {
    model: load,
    editToScreenMs: stats([...nudges, ...drops]),
    nudgeToScreenMs: stats(nudges),
    dropToScreenMs: stats(drops),
    zoom,
    node: target,
    dragUpdateMs: stats(dragged.times),
    dragDropMs: +dragged.drop.toFixed(2),
    panUpdateMs: stats(panned.times),
    dragFrameMs: stats(dragged.frameTimes),
    panFrameMs: stats(panned.frameTimes),
    errors: app.errors,
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await app.close();
}
