import { openApp } from './harness.mjs';
const id = (t) => `[data-testid="${t}"]`;
function stats(v){v=[...v].sort((a,b)=>a-b);const at=q=>v[Math.min(v.length-1,Math.floor(q*v.length))];return `${at(.5).toFixed(0)}/${at(.95).toFixed(0)}`;}
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
const app = await openApp({ width: 1400, height: 900 });
const { page } = app;
await page.click(id('btn-examples'));
await page.click(id('example-datacentre-10k'));
await page.waitForSelector('g.block');
await page.waitForTimeout(Number(process.env.SETTLE ?? 500));
const box = await page.locator(id('canvas')).boundingBox();
const empty = { x: box.x + 12, y: box.y + box.height - 12 };
await page.evaluate(() => {
  const lines = [...document.querySelectorAll('line.link')];
  const d = lines.map((l) => `M${l.getAttribute('x1')} ${l.getAttribute('y1')}L${l.getAttribute('x2')} ${l.getAttribute('y2')}`).join('');
  const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  p.setAttribute('d', d); p.setAttribute('class', 'link router-link onepath'); p.style.fill = 'none';
  document.querySelector('g.links').append(p);
});
const variants = {
  base: '.onepath { display: none }',
  crisp: '.onepath { display: none } line.link { shape-rendering: crispEdges }',
  crispAll: '.onepath { display: none } g.world * { shape-rendering: crispEdges }',
  thin: '.onepath { display: none } line.link { stroke-width: calc(0.6px * var(--px)) !important }',
  noLinks: '.onepath { display: none } line.link { display: none }',
  base2: '.onepath { display: none }',
};
for (const [name, css] of Object.entries(variants)) {
  await page.evaluate((css) => { let s = document.getElementById('exp'); if (!s) { s = document.createElement('style'); s.id = 'exp'; document.head.append(s); } s.textContent = css; }, css);
  await page.waitForTimeout(200);
  const r = await gesture(page, empty, { x: -60, y: -40 }, 20);
  const r2 = await gesture(page, { x: empty.x - 60, y: empty.y - 40 }, { x: 60, y: 40 }, 20);
  const t = await page.evaluate(async () => { const t0 = performance.now(); for (let i = 0; i < 5; i++) { document.querySelector('g.world').setAttribute('data-x', i); await new Promise(ok => requestAnimationFrame(ok)); } return (performance.now() - t0) / 5; });
  console.log(name, stats([...r.frames, ...r2.frames]), 'idle frame', t.toFixed(0));
}
await app.close();
