// Network failures in the page (issue 24): the built-in FIG 24 example, node 5 selected; router
// r1 (between 10.0.0.0/24 and 10.0.1.0/24) failed from the Load tab: node 5's registry list
// reorders as the CLI's `lists --fail-router r1` says, the clients of 10.0.0.0/24 that failed
// over to the far servers are stranded (the load moves), the canvas greys r1, and the Hops tab's
// table says which subnets no longer reach each other. Then r1 is restored from the inspector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, screenshot, chooseTheme, ROOT } from './harness.mjs';

const NODE5 = ['10.0.0.1', '10.0.1.9', '10.0.1.3', '10.0.1.7', '10.0.2.20', '10.0.2.12'];
const CLI = join(ROOT, 'target', 'debug', 'clusterplan');
const FIG24 = join(ROOT, 'examples', 'seed-fig24.json');
const SUBNETS = ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24'];

/** Node 5's registry list as `clusterplan lists --fail-router r1` writes it. */
function cliList(router) {
  assert.ok(existsSync(CLI), `build the CLI first: cargo build -p clusterplan-cli (${CLI})`);
  const out = execFileSync(CLI, ['lists', FIG24, '--fail-router', router], { stdio: ['ignore', 'pipe', 'ignore'] });
  const row = String(out).split('\n').map((l) => l.split('\t')).find((c) => c[1] === 'registry' && c[2] === '5');
  return row[3].split(',');
}

async function node5List(page) {
  await page.getByTestId('tab-node').click();
  const list = page.locator('[data-testid="node-list"][data-service="registry"]');
  await list.waitFor();
  return list.locator('[data-testid="list-address"]').allTextContents();
}

async function loadNow(page) {
  const now = await page.$$eval('[data-testid="load-bar"]', (els) => els.map((el) => Number(el.dataset.now)));
  const unserved = Number((await page.getByTestId('load-unserved').textContent()).split(' ')[0]);
  return { served: now.reduce((a, b) => a + b, 0), unserved };
}

/** The Hops tab's matrix: its column headers and its cells (text and title). */
async function hopsMatrix(page) {
  await page.getByTestId('tab-hops').click();
  const table = page.getByTestId('hops-matrix');
  await table.waitFor();
  const headers = await table.locator('thead th[scope="col"]').allTextContents();
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    header: tr.querySelector('th[scope="row"]').textContent,
    cells: [...tr.querySelectorAll('td')].map((td) => ({ text: td.textContent, title: td.title })),
  })));
  return { headers, rows };
}

test('failing router r1 in the Load tab reorders node 5\'s list, moves the load, and the Hops tab shows it', async () => {
  const app = await openApp({ width: 1280, height: 720 });
  const { page } = app;
  try {
    await page.getByTestId('tab-node').click();
    await page.getByTestId('node-picker').selectOption('n5');
    assert.deepEqual(await node5List(page), NODE5);

    // The Hops tab: the subnets' prefixes head the rows and columns, the routers on hover.
    let hops = await hopsMatrix(page);
    assert.deepEqual(hops.headers, ['from \\ to', ...SUBNETS]);
    assert.deepEqual(hops.rows.map((r) => r.header), SUBNETS);
    assert.deepEqual(hops.rows.map((r) => r.cells.map((c) => c.text)), [['0', '1', '2'], ['1', '0', '1'], ['2', '1', '0']]);
    assert.equal(hops.rows[0].cells[2].title, 'via r1, r2');
    // Node 5 is selected: its distance to every server address.
    const distances = page.getByTestId('hops-distances');
    assert.match(await distances.locator('tbody').textContent(), /10\.0\.2\.12\s*2/);
    for (const theme of ['light', 'dark']) {
      await chooseTheme(page, theme);
      await screenshot(page, `hops-tab-${theme}`);
    }
    await chooseTheme(page, 'light');

    // Server 5 down: the clients of 10.0.0.0/24 fail over to servers beyond r1.
    await page.getByTestId('tab-load').click();
    await page.locator('[data-testid="load-bar"][data-server-number="5"]').click();
    await page.locator('[data-testid="load-bar"][data-server-number="5"][data-failed="true"]').waitFor();
    const before = await loadNow(page);
    assert.equal(before.unserved, 0);

    // Fail r1 by its named button: those four clients reach nothing now (the load moves off
    // the far servers), and the status bar says what failed.
    const fail = page.getByRole('button', { name: 'fail router r1' });
    await fail.click();
    await page.getByRole('button', { name: 'restore router r1' }).waitFor();
    const after = await loadNow(page);
    assert.equal(after.unserved, 4, 'nodes 1, 4, 6 and 8 are cut off from every server up');
    assert.equal(after.served, before.served - 4);
    assert.match(await page.getByTestId('status-failed').textContent(), /router r1/);
    // The canvas greys the failed router.
    assert.match(await page.getByTestId('router-r1').getAttribute('class'), /\bfailed\b/);

    // Server 5 back up: node 5's list is the CLI's under --fail-router r1.
    await page.locator('[data-testid="load-bar"][data-server-number="5"]').click();
    await page.locator('[data-testid="load-bar"][data-server-number="5"][data-failed="false"]').waitFor();
    for (const theme of ['light', 'dark']) {
      await chooseTheme(page, theme);
      await screenshot(page, `router-failed-${theme}`);
    }
    await chooseTheme(page, 'light');
    const list = await node5List(page);
    assert.deepEqual(list, cliList('r1'));
    assert.notDeepEqual(list, NODE5);

    // The Hops tab follows: 10.0.0.0/24 reaches no other subnet.
    hops = await hopsMatrix(page);
    assert.deepEqual(hops.rows[0].cells.map((c) => c.text), ['0', 'unreachable', 'unreachable']);
    assert.equal(hops.rows[2].cells[0].title, 'unreachable');
    assert.deepEqual(hops.rows[1].cells.map((c) => c.text), ['unreachable', '0', '1']);

    // Restore r1 from the inspector (select it on the canvas): the lists come back.
    await page.getByTestId('router-r1').click();
    const toggle = page.getByTestId('insp-fail-router');
    assert.equal(await toggle.textContent(), 'Restore this router');
    await toggle.click();
    await page.locator('[data-testid="insp-fail-router"][aria-pressed="false"]').waitFor();
    await page.getByTestId('node-picker').selectOption('n5').catch(() => {});
    assert.doesNotMatch(await page.getByTestId('router-r1').getAttribute('class'), /\bfailed\b/);
    assert.deepEqual(app.errors.filter((e) => !/^Failed to load resource/.test(e)), []);
  } finally {
    await app.close();
  }
});
