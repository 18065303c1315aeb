// The <cluster-plan> element (dist/embed/): the demo page's three embeds each show the engine's
// answer (equal to the CLI's), a page with nothing but the script tag and one element shows node
// 5's list and the diagram fetching only its own files, clicks are live, and a broken model shows
// its reason inside its element while the rest of the page keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, serveDist, screenshot } from './harness.mjs';

const CLI = join(ROOT, 'target', 'debug', 'clusterplan');
const FIG24 = join(ROOT, 'examples', 'seed-fig24.json');
const cli = (...args) => JSON.parse(execFileSync(CLI, [...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));

async function withBrowser(body) {
  const server = await serveDist();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  try {
    await body({ page, url: server.url, errors, requests });
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The addresses of `list` sections in an element (`#id` or the first), in order. */
const listed = (page, host) =>
  page.locator(`${host} [data-testid="node-list"] [data-testid="list-address"]`).allTextContents();

test('the demo page: its diagram, load and lists embeds each give the engine\'s answer', async () => {
  await withBrowser(async ({ page, url, errors }) => {
    await page.goto(url + 'embed/index.html');
    await page.locator('#fig24 [data-testid="list-address"]').first().waitFor();
    const n5 = cli('lists', FIG24).find((l) => l.node === 5).addresses;
    assert.deepEqual(await listed(page, '#fig24'), n5);
    assert.ok(await page.locator('#fig24 [data-testid="canvas"] [data-testid^="node-"]').count() >= 10, 'the diagram is drawn');

    await page.locator('#load [data-testid="load-bar"]').first().waitFor();
    const bars = await page.$$eval('#load [data-testid="load-bar"]', (els) =>
      els.map((el) => ({ node: Number(el.dataset.serverNumber), first: Number(el.dataset.first), worst: Number(el.dataset.worst) })));
    const expected = cli('load', FIG24).map((l) => ({ node: l.node, first: l.first_choice, worst: l.worst_single_failure }));
    assert.deepEqual(bars.sort((a, b) => a.node - b.node), expected.sort((a, b) => a.node - b.node));

    const fig22 = cli('lists', join(ROOT, 'examples', 'seed-fig22.json')).find((l) => l.node === 4).addresses;
    await page.locator('#fig22 [data-testid="list-address"]').first().waitFor();
    assert.deepEqual(await listed(page, '#fig22'), fig22);
    await screenshot(page, 'embed-demo');
    assert.deepEqual(errors, []);
  });
});

test('a page with only the script tag and one element, offline: node 5 and the diagram, live', async () => {
  await withBrowser(async ({ page, url, errors, requests }) => {
    const minimal = `<!doctype html><script type="module" src="cluster-plan.js"></script>
      <cluster-plan src="seed-fig24.json" node="n5"></cluster-plan>`;
    await page.route(url + 'embed/minimal.html', (route) => route.fulfill({ contentType: 'text/html', body: minimal }));
    await page.goto(url + 'embed/minimal.html');
    await page.locator('cluster-plan [data-testid="list-address"]').first().waitFor();
    assert.deepEqual(await listed(page, 'cluster-plan'), cli('lists', FIG24).find((l) => l.node === 5).addresses);
    assert.ok(await page.locator('cluster-plan [data-testid="canvas"]').isVisible());
    // Live: clicking another node on the diagram shows its list.
    await page.locator('cluster-plan [data-testid="node-n1"]').click();
    await page.waitForFunction(() => document.querySelector('cluster-plan').shadowRoot
      .querySelector('[data-testid="node-list"]')?.textContent.includes('10.0.1'));
    const n1 = cli('lists', FIG24).find((l) => l.node === 1).addresses;
    assert.deepEqual(await listed(page, 'cluster-plan'), n1);
    const origins = new Set(requests.map((r) => new URL(r).origin));
    assert.deepEqual([...origins], [new URL(url).origin], 'nothing fetched from elsewhere');
    assert.ok(requests.every((r) => new URL(r).pathname.startsWith('/embed/')), requests.join('\n'));
    assert.deepEqual(errors, []);
  });
});

test('a lesson embed opens at its event, with the CLI\'s events, steps and breaks in the page only', async () => {
  await withBrowser(async ({ page, url, errors, requests }) => {
    await page.goto(url + 'embed/index.html');
    const lesson = '#lesson';
    await page.locator(`${lesson} [data-testid="sim-position"]`).waitFor();
    const run = cli('simulate', join(ROOT, 'examples', 'lifecycle.json'), join(ROOT, 'examples', 'scenarios', 'fig8-stale-replica.json'));
    assert.equal(await page.locator(`${lesson} [data-testid="sim-position"]`).textContent(), `event 32 of ${run.events.length}`);
    const current = page.locator(`${lesson} [data-testid="sim-events"] tr[data-seq="32"]`);
    const text = await current.textContent();
    assert.ok(text.includes(run.events[31].what.slice(0, 40)), `${text} lacks ${run.events[31].what}`);
    await page.locator(`${lesson} [data-testid="sim-forward"]`).click();
    await page.waitForFunction(() => document.querySelector('#lesson').shadowRoot
      .querySelector('[data-testid="sim-position"]').textContent.startsWith('event 33 '));
    // Nothing to build, save, export or explore in a page's embed.
    for (const id of ['sim-export', 'sim-explore', 'sim-save', 'sim-builder']) {
      assert.equal(await page.locator(`${lesson} [data-testid="${id}"]`).count(), 0, id);
    }
    assert.ok(requests.every((r) => new URL(r).pathname.startsWith('/embed/')), requests.join('\n'));
    assert.deepEqual(errors, []);
  });
});

test('a broken model shows its reason in its element; the others are unharmed', async () => {
  await withBrowser(async ({ page, url, errors }) => {
    await page.goto(url + 'embed/index.html');
    await page.locator('#fig24 [data-testid="list-address"]').first().waitFor();
    await page.evaluate(() => {
      const broken = document.createElement('cluster-plan');
      broken.id = 'broken';
      broken.innerHTML = '<script type="application/json">{ "format": "cluster-planner/1", "nodes": [ </script>';
      document.body.append(broken);
      const wrong = document.createElement('cluster-plan');
      wrong.id = 'wrong';
      wrong.setAttribute('src', 'no-such-model.json');
      document.body.append(wrong);
    });
    const reason = page.locator('#broken .cluster-plan-error');
    await reason.waitFor();
    assert.match(await reason.textContent(), /cannot be shown: cannot read the model/);
    await page.locator('#wrong .cluster-plan-error').waitFor();
    assert.match(await page.locator('#wrong .cluster-plan-error').textContent(), /no-such-model\.json: 404/);
    // The page's other embeds still answer clicks.
    await page.locator('#load [data-testid="load-bar"][data-server-number="5"]').click();
    await page.locator('#load [data-testid="load-bar"][data-server-number="5"][data-failed="true"]').waitFor();
    assert.deepEqual(errors, []);
  });
});
