// Shared by the measuring scripts (measure-editor.mjs, measure-compile.mjs, measure-scale.mjs)
// and scale.test.mjs: edits timed from the event to the frame after the one that painted their
// result, and the drawn node nearest a point.

/** Pauses between edits (ms), fixed so runs compare: some shorter than the autosave's delay. */
export const PAUSES = [40, 260, 90, 400, 30, 180, 120, 350, 60, 220];

/**
 * In the page: `count` edits of kind `nudge` (ArrowRight on the page with a node selected) or
 * `drop` (a short drag of the node at `at`, dropped), each timed from its event until the start
 * of the frame after the one that painted it with its plan: the page no longer marks itself
 * `data-compiling`, then one more frame. Returns the times in ms.
 */
export function editToScreen(page, kind, count, at = null) {
  return page.evaluate(async ({ kind, count, at, pauses }) => {
    const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
    const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
    const svg = document.querySelector('[data-testid="canvas"]');
    const fire = (type, x, y) => svg.dispatchEvent(new PointerEvent(type, {
      clientX: x, clientY: y, button: 0, buttons: type === 'pointerup' ? 0 : 1, pointerId: 7, bubbles: true,
    }));
    const compiling = () => document.querySelector('main.app[data-compiling="true"]') !== null;
    const times = [];
    for (let i = 0; i < count; i++) {
      await sleep(pauses[i % pauses.length]);
      let t0;
      if (kind === 'nudge') {
        await frame();
        t0 = performance.now();
        document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, cancelable: true }));
      } else {
        const dx = i % 2 === 0 ? 24 : -24;
        fire('pointerdown', at.x, at.y);
        await sleep(0);
        fire('pointermove', at.x + dx / 2, at.y);
        await frame();
        fire('pointermove', at.x + dx, at.y);
        await frame();
        t0 = performance.now();
        fire('pointerup', at.x + dx, at.y);
        at = { x: at.x + dx, y: at.y };
      }
      await sleep(0);
      // The plan for this edit is on the page in the frame where it is no longer compiling.
      while (compiling()) await frame();
      await frame();
      await frame();
      times.push(performance.now() - t0);
    }
    return times;
  }, { kind, count, at, pauses: PAUSES });
}

/**
 * Imports a model file into the page (answering the replace question if it is asked) and waits
 * until its plan is shown (`nodes` in the status bar, nothing compiling).
 */
export async function importModel(page, name, buffer, nodes, timeout = 180_000) {
  const id = (t) => `[data-testid="${t}"]`;
  await page.setInputFiles(id('import-file'), { name, mimeType: 'application/json', buffer });
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await page.locator(id('confirm-discard')).count()) await page.click(id('confirm-discard'));
    const done = await page.evaluate((nodes) => {
      const status = document.querySelector('[data-testid="status-bar"]')?.textContent ?? '';
      return status.includes(` ${nodes} nodes`) || status.startsWith(`${nodes} nodes`)
        ? document.querySelector('main.app[data-compiling="false"]') !== null
        : false;
    }, nodes);
    if (done) return;
    await new Promise((ok) => setTimeout(ok, 250));
  }
  const status = await page.textContent(id('status-bar')).catch(() => '?');
  throw new Error(`the ${nodes}-node model did not show within ${timeout} ms (status: ${status})`);
}

/** The `data-testid` of the drawn node whose box is nearest the client point `at` (or null). */
export function nearestNode(page, at) {
  return page.evaluate(({ x, y }) => {
    let best = null;
    let bestD = Infinity;
    for (const g of document.querySelectorAll('g.node')) {
      const r = g.querySelector('.node-box').getBoundingClientRect();
      const d = Math.hypot(r.x + r.width / 2 - x, r.y + r.height / 2 - y);
      if (d < bestD) { bestD = d; best = g.getAttribute('data-testid'); }
    }
    return best;
  }, at);
}
