// The Simulate tab end to end: the FIG 13 lesson failing at step 9 opened from the tab (loading
// the lessons' model through the confirm question), its event list read off the page and compared
// with the command-line tool's `simulate --json` on the same files, stepped to the end: the define
// aborted and the storage inspector (n9's local storage, the registry replicas) as it was before
// the define. Then "Fail this step" on the committed define's commit: the abort appears right
// there, at the same position. Explore lists the fault points as `simulate --explore` counts them;
// a scenario saved with the model plays in a fresh browser opened on the model's share link; every
// lesson's event list is the CLI's; a scenario built from the menus (its node clicked on the canvas)
// exports as a file the CLI runs with the page's events, and a scenario file imports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, ROOT } from './harness.mjs';

const CLI = join(ROOT, 'target', 'debug', 'clusterplan');
const MODEL = join(ROOT, 'examples', 'lifecycle.json');
const LESSON = 'fig13-define-fails-step-9';

/** The CLI's `simulate --json` events as the page's columns. */
function cliEvents(lesson) {
  assert.ok(existsSync(CLI), `build the CLI first: cargo build -p clusterplan-cli (${CLI})`);
  const scenario = join(ROOT, 'examples', 'scenarios', `${lesson}.json`);
  return cliRun(scenario);
}

/** `clusterplan simulate MODEL SCENARIO --json`'s events (any scenario file) as the page's columns. */
function cliRun(scenario) {
  const run = JSON.parse(execFileSync(CLI, ['simulate', MODEL, scenario, '--json'], { stdio: ['ignore', 'pipe', 'ignore'] }));
  return run.events.map((e) => ({
    seq: String(e.seq),
    figure: e.figure ?? '',
    step: e.step == null ? '' : String(e.step),
    node: e.node ?? '',
    process: e.process,
    what: e.what,
  }));
}

/** The page's event list. */
async function pageEvents(page) {
  return page.$$eval('[data-testid="sim-events"] tr.event', (rows) => rows.map((r) => {
    const cell = (c) => r.querySelector(`td.${c}`).textContent;
    return { seq: cell('seq'), figure: cell('figure'), step: cell('step'), node: cell('node'), process: cell('process'), what: cell('what') };
  }));
}

/** The inspector's storage tree and replicas, as text. */
async function inspector(page) {
  return {
    storage: await page.getByTestId('sim-storage').innerText(),
    replicas: await page.getByTestId('sim-replicas').innerText(),
  };
}

/** Opens the committed define's lesson (loading its model) at the commit, FIG 13 step 9. */
async function openAtCommit(page) {
  await page.getByTestId('tab-simulate').click();
  await page.getByTestId('lesson-picker').selectOption('fig13-define-committed');
  const discard = page.getByTestId('confirm-discard');
  if (await discard.isVisible().catch(() => false)) await discard.click();
  const cli = cliEvents('fig13-define-committed');
  const commit = cli.find((e) => e.figure === 'FIG 13' && e.step === '9');
  await page.locator(`[data-testid="sim-events"] tr[data-seq="${commit.seq}"]`).click();
  return { cli, commit };
}

const position = (page, text) => page.locator('[data-testid="sim-position"]', { hasText: text }).waitFor();

test('the FIG 13 step 9 lesson plays as the CLI runs it and leaves the storage as before the define', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await page.getByTestId('tab-simulate').click();
    await page.getByTestId('lesson-picker').selectOption(LESSON);
    // The lesson's model replaces the untouched built-in example without a question.
    assert.equal(await page.getByTestId('confirm').count(), 0);
    const cli = cliEvents(LESSON);
    await position(page, `event 0 of ${cli.length}`);
    assert.match(await page.getByTestId('lesson-figure').textContent(), /^FIG 13$/);
    assert.match(await page.getByTestId('lesson-description').textContent(), /commit of the new node's entry fails/);
    assert.deepEqual(await pageEvents(page), cli);

    // Event 33: n4's DCM reads the global configuration from n3: n4 current, n3 the target,
    // both on the message's path.
    await page.locator('[data-testid="sim-events"] tr[data-seq="33"]').click();
    await page.locator('[data-testid="node-n4"].sim-current.on-path').waitFor();
    await page.locator('[data-testid="node-n3"].sim-target.on-path').waitFor();

    // Just before the define: n9's storage and the replicas.
    await page.getByTestId('sim-node').selectOption('n9');
    const defineStart = Number(cli.find((e) => e.figure === 'FIG 13').seq) - 1;
    await page.locator(`[data-testid="sim-events"] tr[data-seq="${defineStart}"]`).click();
    await position(page, `event ${defineStart} of ${cli.length}`);
    const before = await inspector(page);
    // → and ← on the page step forward and back.
    await page.keyboard.press('ArrowRight');
    await position(page, `event ${defineStart + 1} of ${cli.length}`);
    await page.keyboard.press('ArrowLeft');
    await position(page, `event ${defineStart} of ${cli.length}`);
    assert.match(before.replicas, /incarnation/);
    // Only the bootstrap's outcome is known yet.
    assert.deepEqual(await page.getByTestId('sim-outcome').allTextContents(),
      ['committed operation 0: bootstrap: committed (cluster A is online on n1, n2, n3, n4, n5)']);

    // Step to the end, one event at a time.
    while (await page.getByTestId('sim-forward').isEnabled()) await page.getByTestId('sim-forward').click();
    await position(page, `event ${cli.length} of ${cli.length}`);
    const outcomes = await page.getByTestId('sim-outcome').allTextContents();
    assert.equal(outcomes.length, 3);
    assert.match(outcomes[1], /^aborted operation 1: define-node: aborted \(step 9/);
    assert.match(outcomes[2], /refused/);
    assert.deepEqual(await inspector(page), before);
    // The canvas: n1 (the member DCM) is the current event's node, with its processes' badges.
    await page.locator('[data-testid="node-n1"].sim-current').waitFor();
    assert.equal(await page.locator('[data-testid="sim-proc-n1"] .proc:not(.cluster)').count(), 5);
    assert.equal(app.errors.length, 0, app.errors.join('\n'));
  } finally {
    await app.close();
  }
});

test('Fail this step on the committed define aborts it right there', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    const { cli, commit } = await openAtCommit(page);
    await position(page, `event ${commit.seq} of ${cli.length}`);
    // The storage inspector (n9's local storage, the replicas) just before the define.
    await page.getByTestId('sim-node').selectOption('n9');
    const defineStart = Number(cli.find((e) => e.figure === 'FIG 13').seq) - 1;
    await page.locator(`[data-testid="sim-events"] tr[data-seq="${defineStart}"]`).click();
    const before = await inspector(page);
    // The registry write (FIG 13 step 9): fail it.
    await page.locator(`[data-testid="sim-events"] tr[data-seq="${commit.seq}"]`).click();
    await page.getByTestId('sim-fail').click();
    await page.getByTestId('sim-added-faults').waitFor();
    // Same position; the rerun's define aborts at step 9.
    assert.match(await page.getByTestId('sim-position').textContent(), new RegExp(`^event ${commit.seq} of `));
    while (await page.getByTestId('sim-forward').isEnabled()) await page.getByTestId('sim-forward').click();
    const outcomes = await page.getByTestId('sim-outcome').allTextContents();
    assert.ok(outcomes.some((o) => /define-node: aborted \(step 9/.test(o)), outcomes.join('\n'));
    // The inspector is back to the state before the define.
    assert.deepEqual(await inspector(page), before);
    assert.equal(app.errors.length, 0, app.errors.join('\n'));
  } finally {
    await app.close();
  }
});

test('Explore lists every fault point by outcome, as simulate --explore counts them, and opens one', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await page.getByTestId('tab-simulate').click();
    await page.getByTestId('lesson-picker').selectOption('fig13-define-committed');
    await page.getByTestId('sim-explore').click();
    await page.locator('[data-testid="explore-group"]').first().waitFor({ timeout: 60_000 });
    const scenario = join(ROOT, 'examples', 'scenarios', 'fig13-define-committed.json');
    // `--explore` is a check: status 1, since a run breaks an invariant (docs/lifecycle.md: the
    // member DCM crashing after the global commit, the source's own gap).
    const cli = spawnSync(CLI, ['simulate', MODEL, scenario, '--explore', '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(cli.status, 1, cli.stderr);
    const report = JSON.parse(cli.stdout);
    const count = (g) => page.locator(`[data-testid="explore-group"][data-group="${g}"] [data-testid="explore-point"]`).count();
    const broken = await count('broke an invariant');
    assert.ok(broken > 0, 'the member DCM crash after the commit');
    assert.equal(broken + await count('aborted') + await count('refused') + await count('committed'), report.runs - 1);
    // Open the first aborted run: the exploration closes, the fault is added, the define aborts.
    await page.locator('[data-testid="explore-group"][data-group="aborted"] [data-testid="explore-point"]').first().click();
    await page.getByTestId('sim-added-faults').waitFor();
    assert.equal(await page.getByTestId('sim-explored').count(), 0);
    await page.locator('[data-testid="sim-events"] tr.event').last().click();
    const outcomes = await page.getByTestId('sim-outcome').allTextContents();
    assert.ok(outcomes.some((o) => /: aborted/.test(o)), outcomes.join('\n'));
    assert.equal(app.errors.length, 0, app.errors.join('\n'));
  } finally {
    await app.close();
  }
});

test('a scenario saved with the model travels in a share link and plays there', async () => {
  const app = await openApp();
  const { page, browser } = app;
  try {
    await openAtCommit(page);
    await page.getByTestId('sim-fail').click();
    await page.getByTestId('sim-save').click();
    await page.locator('[data-testid="lesson-figure"]', { hasText: 'saved with the model' }).waitFor();
    await page.getByTestId('btn-share').click();
    const link = await page.getByTestId('share-link').inputValue();
    await page.keyboard.press('Escape');
    // A reader in a fresh browser: the model's own scenario is in the picker and aborts at step 9.
    const reader = await (await browser.newContext()).newPage();
    await reader.goto(link);
    await reader.waitForSelector('main.app[data-ready]');
    await reader.getByTestId('tab-simulate').click();
    await reader.getByTestId('lesson-picker').selectOption('model');
    await reader.locator('[data-testid="sim-events"] tr.event').last().click();
    const outcomes = await reader.getByTestId('sim-outcome').allTextContents();
    assert.ok(outcomes.some((o) => /define-node: aborted \(step 9/.test(o)), outcomes.join('\n'));
    assert.equal(app.errors.length, 0, app.errors.join('\n'));
  } finally {
    await app.close();
  }
});

test('every lesson of examples/scenarios plays in the page with the CLI\'s events', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    // A first-time reader: the lessons' cluster from the gallery opens on the FIG 8 lesson; it plays.
    await page.getByTestId('btn-examples').click();
    await page.getByTestId('example-lifecycle').click();
    assert.equal(await page.getByTestId('lesson-figure').textContent(), 'FIG 8');
    await page.getByTestId('sim-speed').selectOption('8');
    await page.getByTestId('sim-play').click();
    await page.locator('[data-testid="sim-position"]', { hasText: /^event [1-9]\d* of / }).waitFor();
    await page.getByTestId('sim-play').click(); // pause
    const lessons = await page.locator('[data-testid="lesson-picker"] option').evaluateAll(
      (options) => options.map((o) => o.value).filter((v) => v && v !== 'model' && v !== 'new'));
    assert.equal(lessons.length, readdirSync(join(ROOT, 'examples', 'scenarios')).filter((f) => f.endsWith('.json')).length);
    for (const lesson of lessons) {
      await page.getByTestId('lesson-picker').selectOption(lesson);
      const cli = cliEvents(lesson);
      await position(page, `event 0 of ${cli.length}`);
      assert.deepEqual(await pageEvents(page), cli, lesson);
    }
    assert.equal(app.errors.length, 0, app.errors.join('\n'));
  } finally {
    await app.close();
  }
});

test('a scenario built from menus, its nodes clicked on the canvas, exports as a file the CLI runs with the page\'s events', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await page.getByTestId('tab-simulate').click();
    await page.getByTestId('lesson-picker').selectOption('fig8-stale-replica');
    // The untouched example is replaced without a question.
    { const discard = page.getByTestId('confirm-discard'); if (await discard.isVisible().catch(() => false)) await discard.click(); }
    await page.getByTestId('lesson-picker').selectOption('new');
    await page.getByTestId('sim-builder').waitFor();
    const add = async (kind, fields = {}) => {
      await page.getByTestId('builder-kind').selectOption(kind);
      for (const [name, value] of Object.entries(fields)) {
        const field = page.getByTestId(`builder-${name}`);
        if (await field.evaluate((el) => el.tagName) === 'SELECT') await field.selectOption(value);
        else await field.fill(value);
      }
      await page.getByTestId('builder-add').click();
    };
    await add('bootstrap', { cluster: 'A' });
    // The node of the next operations: clicked on the canvas.
    await page.getByTestId('builder-kind').selectOption('offline-node');
    await page.getByTestId('node-n4').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="builder-node"]')?.value === 'n4');
    await add('offline-node');
    await add('join', { cluster: 'A' });
    assert.deepEqual(await page.getByTestId('builder-op').locator('span').allTextContents(),
      ['bootstrap in A', 'offline-node n4', 'join n4 in A']);
    // An operation the model cannot run is refused with the reason, the scenario unchanged.
    await add('define-node', { cluster: 'A', address: '' });
    await page.locator('[data-testid="notice"]', { hasText: /Not added: .*address/ }).waitFor();
    assert.equal(await page.getByTestId('builder-op').count(), 3);
    await page.locator('[data-testid="sim-events"] tr.event').last().click();
    const events = await pageEvents(page);
    assert.ok(events.length > 100, `${events.length} events`);
    // Exported, the file runs in the CLI with the page's events.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sim-export').click()]);
    assert.equal(download.suggestedFilename(), 'scenario.json');
    assert.deepEqual(cliRun(await download.path()), events);
    // Remove an operation; import a scenario file instead.
    await page.getByTestId('builder-remove').last().click();
    assert.equal(await page.getByTestId('builder-op').count(), 2);
    await page.getByTestId('builder-import').setInputFiles(join(ROOT, 'examples', 'scenarios', 'fig13-define-committed.json'));
    await page.locator('[data-testid="lesson-description"]', { hasText: 'FIG 13, defining a node' }).waitFor();
    assert.equal(await page.getByTestId('builder-op').count(), 2);
    assert.deepEqual(await pageEvents(page), cliEvents('fig13-define-committed'));
    assert.equal(app.errors.length, 0, app.errors.join('\n'));
  } finally {
    await app.close();
  }
});
