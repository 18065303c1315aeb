// The teaching aids of issue 12 end to end: node 5's FIG 24 list built step by step in the node
// view (the groups' sorted members, the rotation's n, m, k, each step marked on the canvas); a
// lesson's "watch" items jumping to their events; a lesson shared at an event opening there, in
// the editor and in the shared view; the drawing's cluster pointers and off badges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp } from './harness.mjs';

const rows = (page) => page.$$eval('[data-testid="walk-table"] tbody tr',
  (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));

/** Opens a lesson in the Simulate tab, loading the lessons' model (asked only for an edited model). */
async function openLesson(page, lesson) {
  await page.getByTestId('tab-simulate').click();
  await page.getByTestId('lesson-picker').selectOption(lesson);
  // The untouched example is replaced without a question.
  { const discard = page.getByTestId('confirm-discard'); if (await discard.isVisible().catch(() => false)) await discard.click(); }
}

/** Forward in the walkthrough until the current step's title contains `text`. */
async function stepTo(page, text) {
  for (let i = 0; i < 30; i++) {
    const title = await page.locator('[data-testid="walk-step"].current .walk-title').textContent();
    if (title.includes(text)) return title;
    await page.getByTestId('walk-forward').click();
  }
  throw new Error(`no step "${text}"`);
}

test('node 5\'s FIG 24 list, built step by step and marked on the canvas', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await page.getByTestId('tab-node').click();
    await page.getByTestId('node-picker').selectOption('n5');
    const registry = page.locator('[data-testid="node-list"][data-service="registry"]');
    await registry.getByTestId('walk-open').click();
    await page.locator('[data-testid="walk-position"]', { hasText: 'step 1 of 15' }).waitFor();
    assert.equal((await rows(page)).length, 6, 'the six addresses');
    // An address's chain: AND mask -> subnet -> network -> priority -> tier.
    await page.getByTestId('walk-forward').click();
    await page.getByTestId('walk-forward').click();
    assert.match(await page.getByTestId('walk-text').textContent(), /AND 255\.255\.255\.0 = 10\.0\.1\.0: subnet 10\.0\.1\.0\/24/);
    // Local first, then hops through the routers.
    await stepTo(page, 'local addresses first');
    assert.deepEqual(await rows(page), [['0', '10.0.0.1']]);
    await stepTo(page, 'hop counts');
    assert.deepEqual((await rows(page)).map((r) => r[3]).at(-1), '10.0.0.0/24 → r1 → 10.0.1.0/24 → r2 → 10.0.2.0/24');
    await page.locator('[data-testid="router-r2"].on-path').waitFor();
    // The 1-hop group, its members in address order, then the rotation with n, m and k.
    await stepTo(page, 'the group at 1 hop');
    assert.deepEqual(await rows(page), [['0', '10.0.1.3'], ['1', '10.0.1.7'], ['2', '10.0.1.9']]);
    await page.getByTestId('walk-forward').click();
    assert.equal(await page.getByTestId('walk-nm').textContent(), 'n = 5, m = 3');
    assert.deepEqual((await rows(page)).map((r) => [r[0], r[2], r[3]]),
      [['0', '2', '10.0.1.9'], ['1', '0', '10.0.1.3'], ['2', '1', '10.0.1.7']]);
    assert.equal((await rows(page))[0][1], 'index = ((5 mod 3) + 0) mod 3 = 2');
    // The 2-hop group: its two servers marked on the canvas, n5 not.
    await stepTo(page, 'the group at 2 hops');
    assert.deepEqual(await rows(page), [['0', '10.0.2.12'], ['1', '10.0.2.20']]);
    await page.locator('[data-testid="node-n12"].on-path').waitFor();
    await page.locator('[data-testid="node-n2"].on-path').waitFor();
    assert.equal(await page.locator('[data-testid="node-n5"].on-path').count(), 0);
    // The list, as the node view lists it; back one step; close.
    await stepTo(page, 'the list');
    const list = await page.$$eval('[data-testid="walk-list"] li', (lis) => lis.map((li) => li.textContent));
    assert.deepEqual(list, ['10.0.0.1', '10.0.1.9', '10.0.1.3', '10.0.1.7', '10.0.2.20', '10.0.2.12']);
    assert.equal(list.join(','), await registry.getAttribute('data-addresses'));
    assert.ok(await page.getByTestId('walk-forward').isDisabled());
    await page.getByTestId('walk-back').click();
    await page.locator('[data-testid="walk-position"]', { hasText: 'step 14 of 15' }).waitFor();
    await page.getByTestId('walk-close').click();
    assert.equal(await page.getByTestId('walkthrough').count(), 0);
    assert.equal(app.errors.length, 0, app.errors.join('\n'));
  } finally {
    await app.close();
  }
});

test('a lesson\'s watch items jump to their events; the drawing shows off nodes and cluster pointers', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await openLesson(page, 'fig8-stale-replica');
    await page.locator('[data-testid="sim-position"]', { hasText: 'event 0 of' }).waitFor();
    // Before the bootstrap every node is off.
    assert.equal(await page.locator('[data-testid="sim-proc-n1"] .proc.off').count(), 1);
    const items = page.getByTestId('sim-watch-item');
    assert.equal(await items.count(), 5);
    // "Phase 2 waits for Group Services": the stale replica n1 updated to n2's incarnation.
    const phase2 = items.nth(2);
    const seq = await phase2.getAttribute('data-seq');
    await phase2.click();
    await page.locator('[data-testid="sim-position"]', { hasText: `event ${seq} of` }).waitFor();
    assert.match(await page.locator(`[data-testid="sim-events"] tr[data-seq="${seq}"]`).textContent(), /phase 2: updates its stale copy/);
    assert.match(await page.locator('[data-testid="rank-n1"]').getAttribute('data-badges'), /A inc 5/);
    assert.equal(await page.locator('[data-testid="sim-cluster-n1"]').getAttribute('data-cluster'), 'A');
    assert.equal(await page.locator('[data-testid="sim-proc-n1"] .proc.off').count(), 0);

    // A move: n5's pointers read A → B between FIG 18 steps 2 and 8.
    await page.getByTestId('lesson-picker').selectOption('fig18-move-committed');
    const target = page.getByTestId('sim-watch-item').first();
    await target.click();
    await page.locator('[data-testid="sim-cluster-n5"][data-cluster="A → B"]').waitFor();
    await page.getByTestId('sim-watch-item').last().click();
    await page.locator('[data-testid="sim-cluster-n5"][data-cluster="B"]').waitFor();
    assert.equal(app.errors.length, 0, app.errors.join('\n'));
  } finally {
    await app.close();
  }
});

test('a lesson shared at an event opens there, in the editor and in the shared view', async () => {
  const app = await openApp();
  const { page, browser } = app;
  try {
    await openLesson(page, 'fig13-define-fails-step-9');
    await page.locator('[data-testid="sim-events"] tr[data-seq="124"]').click();
    await page.getByTestId('btn-share').click();
    assert.ok(await page.getByTestId('share-lesson').isChecked());
    const editorLink = await page.getByTestId('share-link').inputValue();
    assert.match(editorLink, /#lesson=fig13-define-fails-step-9&event=124&model=/);
    await page.getByTestId('share-view').check();
    const viewLink = await page.getByTestId('share-link').inputValue();
    assert.match(viewLink, /#view&lesson=fig13-define-fails-step-9&event=124&model=/);
    await page.getByTestId('share-lesson').uncheck();
    assert.doesNotMatch(await page.getByTestId('share-link').inputValue(), /lesson=/);
    await page.keyboard.press('Escape');
    for (const link of [editorLink, viewLink]) {
      const reader = await (await browser.newContext()).newPage();
      await reader.goto(link);
      await reader.waitForSelector('main.app[data-ready]');
      await reader.locator('[data-testid="sim-position"]', { hasText: /^event 124 of \d+$/ }).waitFor();
      assert.equal(await reader.getByTestId('lesson-picker').inputValue(), 'fig13-define-fails-step-9');
      assert.match(await reader.locator('[data-testid="sim-events"] tr.current').textContent(), /commit/);
      await reader.context().close();
    }
    assert.equal(app.errors.length, 0, app.errors.join('\n'));
  } finally {
    await app.close();
  }
});
