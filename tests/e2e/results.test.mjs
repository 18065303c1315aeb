// The results panels end to end, as a user drives them: the built-in FIG 24 example, node 5
// selected, its System Registry list read off the page; then servers failed one by one in the
// load view, the bars checked against the command-line tool's `load --json` for the same
// document (first choice, and the worst single failure of every server, which is the largest
// load the page shows for it over every single failure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, screenshot, ROOT } from './harness.mjs';

const NODE5 = ['10.0.0.1', '10.0.1.9', '10.0.1.3', '10.0.1.7', '10.0.2.20', '10.0.2.12'];
const CLI = join(ROOT, 'target', 'debug', 'clusterplan');
const FIG24 = join(ROOT, 'examples', 'seed-fig24.json');

/** The CLI's `load --json` for the registry of FIG 24: node number -> { first, worst }. */
function cliLoad() {
  assert.ok(existsSync(CLI), `build the CLI first: cargo build -p clusterplan-cli (${CLI})`);
  const rows = JSON.parse(execFileSync(CLI, ['load', FIG24, '--json'], { stdio: ['ignore', 'pipe', 'ignore'] }));
  const load = new Map();
  for (const r of rows) {
    if (r.cluster === 'A' && r.service === 'registry') {
      load.set(r.node, { first: r.first_choice, worst: r.worst_single_failure });
    }
  }
  return load;
}

/** The load bars as the page shows them: node number -> { first, now, failed }. */
async function bars(page) {
  return page.$$eval('[data-testid="load-bar"]', (els) => els.map((el) => ({
    number: Number(el.dataset.serverNumber),
    first: Number(el.dataset.first),
    now: Number(el.dataset.now),
    failed: el.dataset.failed === 'true',
    text: el.textContent,
  })));
}

test('node 5 reads FIG 24 off the page, and failures move the load as the CLI says', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    // Select node 5 and read its list for the System Registry, in order.
    await page.getByTestId('tab-node').click();
    await page.getByTestId('node-picker').selectOption('n5');
    const list = page.locator('[data-testid="node-list"][data-service="registry"]');
    await list.waitFor();
    const addresses = await list.locator('[data-testid="list-address"]').allTextContents();
    assert.deepEqual(addresses, NODE5);
    // Each entry explains itself; the second is pick 0 of the three at one hop, index 2.
    const formulas = await list.locator('[data-testid="formula"]').allTextContents();
    assert.match(formulas[1], /\(\(5 mod 3\) \+ 0\) mod 3 = 2/);
    // The compile time is in the status bar.
    assert.match(await page.getByTestId('status-bar').textContent(), /^compiled in \d+(\.\d)? ms/);

    // The load view: the first-choice bars are the CLI's first-choice column.
    const cli = cliLoad();
    await page.getByTestId('tab-load').click();
    let shown = await bars(page);
    assert.deepEqual(shown.map((b) => b.number), [...cli.keys()]);
    for (const b of shown) {
      assert.equal(b.first, cli.get(b.number).first, `first choice of server ${b.number}`);
      assert.equal(b.now, b.first);
    }
    assert.equal(await page.getByTestId('client-status').textContent(), 'Selected node 5: served by server 5, its first choice.');
    const clients = Number(await page.getByTestId('load-clients').textContent());
    assert.equal(clients, 10);

    // Fail each server in turn: its clients move (its bar drops to 0, nobody is lost), and the
    // largest load each other server reaches over these failures is the CLI's worst single
    // failure for it.
    const reached = new Map(shown.map((b) => [b.number, 0]));
    for (const failed of shown.map((b) => b.number)) {
      const bar = page.locator(`[data-testid="load-bar"][data-server-number="${failed}"]`);
      await bar.click();
      await page.locator(`[data-testid="load-bar"][data-server-number="${failed}"][data-failed="true"]`).waitFor();
      const now = await bars(page);
      const down = now.find((b) => b.number === failed);
      assert.equal(down.now, 0);
      assert.match(down.text, /FAILED/);
      const unserved = Number((await page.getByTestId('load-unserved').textContent()).split(' ')[0]);
      assert.equal(now.reduce((sum, b) => sum + b.now, 0) + unserved, clients);
      if (cli.get(failed).first > 0) {
        assert.match(await page.getByTestId('load-moves').textContent(), new RegExp(`${cli.get(failed).first} clients? moved`));
      }
      for (const b of now) {
        if (b.number !== failed) {
          assert.ok(b.now <= cli.get(b.number).worst, `server ${b.number} with ${failed} down: ${b.now} > worst ${cli.get(b.number).worst}`);
          reached.set(b.number, Math.max(reached.get(b.number), b.now));
        }
      }
      if (failed === 5) {
        // Node 5, still selected, falls to the next address of its list: 10.0.1.9, server 9.
        assert.equal(await page.getByTestId('client-status').textContent(),
          'Selected node 5: first choice server 5 is down; now served by server 9.');
        await screenshot(app.page, 'results-load-failure');
      }
      await bar.click(); // back up
      await page.locator(`[data-testid="load-bar"][data-server-number="${failed}"][data-failed="false"]`).waitFor();
    }
    for (const [number, load] of reached) {
      assert.equal(load, cli.get(number).worst, `worst single failure of server ${number}`);
    }
    shown = await bars(page);
    assert.ok(shown.every((b) => b.now === b.first && !b.failed));

    // The single-failure table says the same at a glance: each column's largest load over the
    // rows (one failed server each) is the CLI's worst single failure of that server.
    const table = await page.$$eval('[data-testid="failure-row"]', (rows) => rows.map((r) =>
      [...r.querySelectorAll('td')].slice(0, -1).map((td) => td.textContent)));
    const numbers = shown.map((b) => b.number);
    assert.equal(table.length, numbers.length);
    numbers.forEach((number, c) => {
      const max = Math.max(...table.filter((_, f) => f !== c).map((row) => Number(row[c])));
      assert.equal(max, cli.get(number).worst, `failure table column of server ${number}`);
    });
    // No script error (a missing favicon's 404 is the server's business, not the app's).
    assert.deepEqual(app.errors.filter((e) => !/^Failed to load resource/.test(e)), []);
  } finally {
    await app.close();
  }
});
