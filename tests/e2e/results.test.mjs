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

    // Fail each server in turn: its clients move (its bar drops to 0, nobody is lost), the
    // failed node leaves the clients (a failed node is no client), and the largest load each
    // other server reaches over these failures is the CLI's worst single failure for it.
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
      assert.equal(await page.getByTestId('load-clients').textContent(), `${clients - 1} (was ${clients})`);
      assert.equal(now.reduce((sum, b) => sum + b.now, 0) + unserved, clients - 1);
      // Each server serves itself first: its other first-choice clients move.
      if (cli.get(failed).first > 1) {
        assert.match(await page.getByTestId('load-moves').textContent(), new RegExp(`${cli.get(failed).first - 1} clients? moved`));
      }
      for (const b of now) {
        if (b.number !== failed) {
          assert.ok(b.now <= cli.get(b.number).worst, `server ${b.number} with ${failed} down: ${b.now} > worst ${cli.get(b.number).worst}`);
          reached.set(b.number, Math.max(reached.get(b.number), b.now));
        }
      }
      if (failed === 5) {
        // Node 5, still selected, failed with its server: it is no client, not served by 9.
        assert.equal(await page.getByTestId('client-status').textContent(),
          'Selected node 5: it has failed: a failed node is no client, so it counts nowhere.');
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

test('failed servers are drawn down on the canvas, and the selected node\'s badges and path follow the failover', async () => {
  const app = await openApp();
  const { page } = app;
  const node = (uid) => page.getByTestId(`node-${uid}`);
  const pills = (uid) => page.$$eval(`[data-testid="rank-${uid}"] .pill`, (els) => els.map((el) => ({
    text: el.querySelector('text').textContent, down: el.dataset.down === 'true', serving: el.dataset.serving === 'true',
  })));
  try {
    // Fail server 5 in the load view.
    await page.getByTestId('tab-load').click();
    await page.locator('[data-testid="load-bar"][data-server-number="5"]').click();
    await page.locator('[data-testid="load-bar"][data-server-number="5"][data-failed="true"]').waitFor();
    // The ideal line's legend swatch sits in the legend, not at the top of the page.
    const legend = await page.locator('.load-view .r-legend').boundingBox();
    const ideal = await page.locator('.load-view .r-legend .r-swatch.ideal').boundingBox();
    assert.ok(ideal.y >= legend.y - 1 && ideal.y + ideal.height <= legend.y + legend.height + 1,
      `ideal swatch at y=${ideal.y}, legend ${legend.y}..${legend.y + legend.height}`);

    // Node 5 is drawn down, whatever is selected; the others are not.
    await page.getByTestId('tab-node').click();
    await page.getByTestId('node-picker').selectOption('n9');
    await page.locator('[data-testid="node-n5"].down').waitFor();
    assert.ok(await page.getByTestId('down-n5').isVisible());
    assert.equal(await page.getByTestId('down-n3').count(), 0);
    assert.doesNotMatch(await node('n3').getAttribute('class'), /\bdown\b/);
    // Node 9 lists 10.0.0.1 (node 5) 4th: that badge is struck through; node 9 serves itself.
    assert.deepEqual(await pills('n5'), [{ text: '#4', down: true, serving: false }]);
    assert.equal(await page.locator('[data-testid="rank-n5"] .pill .strike').count(), 1);
    assert.deepEqual(await pills('n9'), [{ text: '#1 ✓', down: false, serving: true }]);
    await screenshot(page, 'results-canvas-failure');

    // Node 8 (8 mod 3 = 2) falls to server 9 (10.0.1.9): the path crosses r1 to node 9.
    await page.getByTestId('node-picker').selectOption('n8');
    await page.locator('[data-testid="router-r1"].on-path').waitFor();
    assert.deepEqual(await pills('n5'), [{ text: '#1', down: true, serving: false }]);
    assert.deepEqual(await pills('n9'), [{ text: '#2 ✓', down: false, serving: true }]);
    assert.match(await node('n9').getAttribute('class'), /\bon-path\b/);
    assert.doesNotMatch(await page.getByTestId('router-r2').getAttribute('class'), /\bon-path\b/);
    // Node 5 failed itself is no client: no server serves it, no path is drawn.
    await page.getByTestId('node-picker').selectOption('n5');
    await page.locator('[data-testid="router-r1"]:not(.on-path)').waitFor();
    assert.equal(await page.locator('.pill.serving').count(), 0);
    assert.ok(await page.getByTestId('node-failed').isVisible());

    // Back up: nothing down, the first choice is node 5's own address again.
    await page.getByTestId('tab-load').click();
    await page.getByTestId('clear-failed').click();
    await page.locator('[data-testid="node-n5"]:not(.down)').waitFor();
    assert.equal(await page.locator('.pill.down, .pill.serving, .down-mark').count(), 0);
    assert.doesNotMatch(await page.getByTestId('router-r1').getAttribute('class'), /\bon-path\b/);
    assert.deepEqual(app.errors.filter((e) => !/^Failed to load resource/.test(e)), []);
  } finally {
    await app.close();
  }
});

test('node names never run into the serves mark', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    const boxes = await page.$$eval('g.node', (nodes) => nodes
      .filter((n) => n.querySelector('.node-serves'))
      .map((n) => {
        const name = n.querySelector('.node-name');
        return {
          uid: n.dataset.testid, text: name.textContent,
          right: name.getBoundingClientRect().right, s: n.querySelector('.node-serves').getBoundingClientRect().left,
        };
      }));
    assert.ok(boxes.length >= 6, `${boxes.length} server nodes`);
    for (const b of boxes) assert.ok(b.right + 2 <= b.s, `${b.uid} "${b.text}": name ends at ${b.right}, S starts at ${b.s}`);
    // FIG 24's node 5 is "node 5 (server 1)": too long beside the mark, so it is cut.
    const n5 = boxes.find((b) => b.uid === 'node-n5');
    assert.match(n5.text, /^node 5 \(serv.*…$/);
  } finally {
    await app.close();
  }
});

test('two clusters sharing a node: the page\'s load is the CLI\'s, and the node online in A serves nobody in B', async () => {
  const two = join(ROOT, 'examples', 'two-clusters-shared-node.json');
  assert.ok(existsSync(CLI), `build the CLI first: cargo build -p clusterplan-cli (${CLI})`);
  const rows = JSON.parse(execFileSync(CLI, ['load', two, '--json'], { stdio: ['ignore', 'pipe', 'ignore'] }));
  const app = await openApp();
  const { page } = app;
  try {
    await page.getByTestId('btn-examples').click();
    await page.getByTestId('example-two-clusters').click();
    await page.getByTestId('node-shared').waitFor();
    await page.getByTestId('tab-load').click();
    const picker = page.getByTestId('service-picker');
    const options = await picker.locator('option').allTextContents();
    for (const [i, label] of options.entries()) {
      const [, service, cluster] = label.match(/^(.*) \(cluster (.*)\)$/);
      await picker.selectOption(String(i));
      await page.locator('.load-view').waitFor();
      await page.waitForFunction((want) => [...document.querySelectorAll('[data-testid="service-picker"] option')]
        .some((o) => o.selected && o.textContent === want), label);
      const shown = await bars(page);
      const want = rows.filter((r) => r.cluster === cluster && r.service === service);
      assert.deepEqual(
        shown.map((b) => [b.number, b.first]),
        want.map((r) => [r.node, r.first_choice]),
        `${service} of ${cluster}`,
      );
      const worst = await page.$$eval('[data-testid="load-bar"]', (els) => els.map((el) => Number(el.dataset.worst)));
      assert.deepEqual(worst, want.map((r) => r.worst_single_failure), `worst of ${service} of ${cluster}`);
      const online = await page.$$eval('[data-testid="load-bar"]', (els) => els.map((el) => el.dataset.online === 'true'));
      assert.deepEqual(online, want.map((r) => r.up), `up of ${service} of ${cluster}`);
      if (cluster === 'B') {
        // The shared node is B's server 1, online in A: down for B, 0 clients, its row kept.
        const down = page.locator('[data-testid="load-bar"][data-server-number="1"]');
        assert.equal(await down.locator('[data-testid="not-online"]').textContent(), 'DOWN: online in A');
        assert.equal(await down.getAttribute('data-first'), '0');
        assert.equal(await down.getAttribute('data-now'), '0');
        // The shared node serves A: it is not drawn down on the canvas.
        assert.doesNotMatch(await page.getByTestId('node-shared').getAttribute('class'), /\bdown\b/);
        await page.waitForTimeout(400); // the bars' width transition
        await screenshot(page, 'results-load-not-online');
      }
    }
    // The diagnostics name the node that is online elsewhere.
    await page.getByTestId('tab-diagnostics').click();
    assert.match(await page.getByTestId('results').textContent(), /node shared \(number 1 in cluster B\) is online in cluster A, so it is down for B/);
    assert.deepEqual(app.errors.filter((e) => !/^Failed to load resource/.test(e)), []);
  } finally {
    await app.close();
  }
});
