// Design reviews end to end: "Compare with…" a second model shows the engine's diff in the page
// (the Review tab's loads before -> after, the changed lists, the canvas marks), the same diff
// `clusterplan diff --json` prints; a review link made by the CLI opens the comparison itself;
// the model as the page opened it shows what an edit removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { openApp, waitForApp, screenshot, ROOT } from './harness.mjs';

const CLI = join(ROOT, 'target', 'debug', 'clusterplan');
const FIG24 = join(ROOT, 'examples', 'seed-fig24.json');
const EXTRA = join(ROOT, 'examples', 'seed-fig24-extra-registry.json');
const id = (x) => `[data-testid="${x}"]`;

/** The CLI's diff of FIG 24 and FIG 24 with one more registry server: (JSON, first text line). */
function cliDiff() {
  const json = JSON.parse(execFileSync(CLI, ['diff', FIG24, EXTRA, '--json'], { encoding: 'utf8' }));
  const summary = execFileSync(CLI, ['diff', FIG24, EXTRA], { encoding: 'utf8' }).split('\n')[0];
  return { json, summary };
}

/** Every server row of a service in the Review tab: uid -> its four figures. */
async function pageLoads(page, key) {
  return page.locator(`${id(`review-service-${key}`)} .review-row`).evaluateAll((rows) =>
    Object.fromEntries(rows.map((r) => [
      r.dataset.testid.split('-').pop(),
      {
        first: [Number(r.dataset.firstBefore), Number(r.dataset.firstAfter)],
        worst: [Number(r.dataset.worstBefore), Number(r.dataset.worstAfter)],
      },
    ])));
}

/** The CLI's servers of a service in the same shape. */
function cliLoads(json, cluster, service) {
  const s = json.services.find((x) => x.cluster === cluster && x.service === service);
  return Object.fromEntries(s.servers.map((x) => [x.uid, {
    first: [x.first_choice.before, x.first_choice.after],
    worst: [x.worst_single_failure.before, x.worst_single_failure.after],
  }]));
}

test('comparing two gallery models shows the loads clusterplan diff --json computes', async () => {
  const app = await openApp({ width: 1400, height: 1000 });
  const { page, errors } = app;
  try {
    // The change under review: FIG 24 with one more registry server, from the gallery ...
    await page.click(id('btn-examples'));
    await page.click(id('example-fig24-extra-registry'));
    await page.waitForSelector(id('node-n13'));
    // ... compared with FIG 24 as it was, also from the gallery (the Review tab's Compare with…).
    await page.click(id('tab-review'));
    await page.waitForSelector(id('review-empty'));
    await page.click(id('review-compare'));
    await page.waitForSelector(id('compare-dialog'));
    await page.click(id('compare-example-fig24'));
    await page.waitForSelector(id('review'));
    assert.equal(await page.locator(id('compare-dialog')).count(), 0);
    assert.equal(await page.locator(id('tab-review')).getAttribute('aria-selected'), 'true');
    assert.match(await page.locator(id('review-sides')).textContent(), /^before: the example "FIG 24: rotation among equidistant servers" · after: this model$/);

    const { json, summary } = cliDiff();
    // The summary line is the CLI's first line.
    assert.equal(await page.locator(id('review-summary')).textContent(), summary.replaceAll('->', '→'));
    // Every server's first-choice and worst-single-failure load, before and after, is the CLI's.
    const loads = await pageLoads(page, 'A/registry');
    assert.deepEqual(loads, cliLoads(json, 'A', 'registry'));
    // The changed load read off the page: server 5 loses node 1 to the new server 13.
    const n5 = page.locator(id('review-server-A/registry-n5'));
    assert.equal(await n5.locator(id('review-first')).textContent(), '5 → 4');
    assert.deepEqual(loads.n5.first, [5, 4]);
    assert.equal(await page.locator(`${id('review-server-A/registry-n13')} ${id('review-first')}`).textContent(), '0 → 2');
    // The lists that changed: as many as the CLI's, node 1 first (it moves) in the CLI's words.
    const service = json.services[0];
    assert.equal(await page.locator(`${id('review-service-A/registry')} .review-lists li`).count(), service.lists.length);
    const n1 = service.lists.find((l) => l.uid === 'n1');
    assert.deepEqual(n1.words, ['10.0.0.13 added at 1st']);
    assert.equal(
      await page.locator(id('review-list-A/registry-n1')).textContent(),
      'node 1: 10.0.0.13 added at 1st; first choice server 5 → server 13',
    );
    // The diagnostic that went away is the CLI's.
    assert.equal(await page.locator(`${id('review-gone')} li`).count(), json.diagnostics_gone.length);
    // The canvas marks the added server.
    assert.equal(await page.locator(id('review-node-n13')).getAttribute('data-change'), 'added');
    assert.match(await page.locator(id('node-n13')).getAttribute('class'), /review-added/);
    await screenshot(page, 'review-tab');

    // A click on a changed list selects its node; swapping exchanges before and after.
    await page.click(`${id('review-list-A/registry-n1')} button`);
    assert.match(await page.locator(id('review-list-A/registry-n1')).getAttribute('class'), /selected/);
    await page.click(id('review-swap'));
    assert.deepEqual((await pageLoads(page, 'A/registry')).n5.first, [4, 5]);
    assert.equal(await page.locator(id('canvas-removed')).textContent(), 'Removed by the change: node n13');
    await page.click(id('review-stop'));
    await page.waitForSelector(id('review-empty'));
    assert.equal(await page.locator(id('review-node-n13')).count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await app.close();
  }
});

test('a review link made by the CLI opens the comparison; the opened model shows what an edit removed', async () => {
  const app = await openApp({ width: 1400, height: 1000 });
  const { page, errors } = app;
  try {
    const base = new URL(app.url).origin + '/';
    const link = execFileSync(CLI, ['share', EXTRA, '--before', FIG24, '--base', base], { encoding: 'utf8' }).trim();
    assert.match(link, /#before=[A-Za-z0-9_-]+&model=[A-Za-z0-9_-]+$/);
    // A reader with nothing of their own (the page's example as it comes): opened at once.
    await page.goto('about:blank');
    await page.goto(link);
    await waitForApp(page);
    await page.waitForSelector(id('review'));
    assert.match(await page.locator(id('review-sides')).textContent(), /^before: the link's model before the change · after: this model$/);
    const { json } = cliDiff();
    assert.deepEqual(await pageLoads(page, 'A/registry'), cliLoads(json, 'A', 'registry'));

    // The Share dialog offers the same two models in its link.
    await page.click(id('btn-share'));
    assert.equal(await page.locator(id('share-compared')).isChecked(), true);
    const shared = await page.locator(id('share-link')).inputValue();
    assert.match(shared, /#before=[A-Za-z0-9_-]+&model=/);
    await page.click(id('share-compared'));
    assert.doesNotMatch(await page.locator(id('share-link')).inputValue(), /before=/);
    await page.keyboard.press('Escape');

    // The model as the page opened it: delete node 4, compare, and the canvas lists it removed.
    await page.click(id('review-stop'));
    await page.click(id('node-n4'));
    await page.keyboard.press('Delete');
    await page.waitForFunction(() => !document.querySelector('[data-testid="node-n4"]'));
    await page.click(id('review-compare'));
    await page.click(id('compare-opened'));
    await page.waitForSelector(id('canvas-removed'));
    assert.equal(await page.locator(id('canvas-removed')).textContent(), 'Removed by the change: node n4');
    assert.match(await page.locator(id('review-summary')).textContent(), /^1 item removed; 1 client list changed/);
    // A link that holds no model is refused with the reason, nothing compared.
    await page.click(id('review-compare'));
    await page.fill(id('compare-link'), 'http://127.0.0.1/#model=abc*');
    await page.click(id('compare-link-go'));
    assert.match(await page.locator(id('notice')).textContent(), /^Nothing to compare with: the link is damaged/);
    assert.equal(await page.locator(id('compare-dialog')).count(), 1);
    await page.keyboard.press('Escape');
    assert.deepEqual(errors, []);
  } finally {
    await app.close();
  }
});
