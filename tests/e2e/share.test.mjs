// Share links end to end: the Share dialog's link opens the same model in a fresh browser; a
// link never replaces a reader's own model without asking; a broken link is refused with the
// reason; a shared view (for embedding) shows the model without touching the autosaved one; and
// the CLI's links open in the page as its own do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { openApp, waitForApp, screenshot, savedModel, ROOT } from './harness.mjs';

const CLI = join(ROOT, 'target', 'debug', 'clusterplan');
const FIG24 = join(ROOT, 'examples', 'seed-fig24.json');
const NODE5 = '10.0.0.1,10.0.1.9,10.0.1.3,10.0.1.7,10.0.2.20,10.0.2.12';
const id = (x) => `[data-testid="${x}"]`;
const node5List = '[data-testid="client-list"][data-node-number="5"][data-service="registry"]';

/** Opens `url` in `page` as a fresh navigation (not a same-document hash change). */
async function open(page, url) {
  await page.goto('about:blank');
  await page.goto(url);
  await waitForApp(page);
}

test('a shared link opens the same model, asks before replacing one, and refuses a broken link', async () => {
  const app = await openApp({ width: 1400, height: 900 });
  const { page, browser } = app;
  try {
    // The sharer: the two-clusters example, shared from the dialog.
    await page.click(id('btn-examples'));
    await page.click(id('example-two-clusters'));
    await page.waitForSelector(id('node-shared'));
    // A description typed in the inspector's model overview travels with the model.
    await page.keyboard.press('Escape');
    await page.fill(id('model-description'), 'Two clusters, one shared node: shared with a link.');
    await page.locator(id('model-description')).blur();
    await page.click(id('btn-share'));
    await page.waitForSelector(id('share-dialog'));
    // The keyboard stays in the dialog: it opens on the link, Tab cycles through its controls.
    const focused = () => page.evaluate(() => document.activeElement?.dataset?.testid ?? null);
    assert.equal(await focused(), 'share-link');
    const order = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused());
    }
    assert.deepEqual(order, ['share-copy', 'share-view', 'share-close', 'share-link']);
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(), 'share-close');
    const link = await page.locator(id('share-link')).inputValue();
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#model=[A-Za-z0-9_-]+$/);
    assert.match(await page.locator(id('share-length')).textContent(), new RegExp(`^${link.length} characters`));
    await screenshot(page, 'share-dialog');
    // Copy puts the link on the clipboard.
    await app.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.click(id('share-copy'));
    await page.waitForSelector(`${id('notice')}:has-text("Copied to the clipboard.")`);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator(id('share-dialog')).count(), 0);
    // Closed, the focus is back on the button that opened it.
    assert.equal(await focused(), 'btn-share');

    // A reader with nothing saved: the link opens at once, and leaves the address bar.
    const reader = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const rpage = await reader.newPage();
    await open(rpage, link);
    await rpage.waitForSelector(id('node-shared'));
    assert.match(await rpage.locator(id('notice')).textContent(), /Opened the model from the link\./);
    // (The link leaves the address once the page has started: storage is read asynchronously.)
    await rpage.waitForFunction(() => !location.href.includes('#'));
    assert.ok(!rpage.url().includes('#'), rpage.url());
    assert.equal(await rpage.locator(id('model-description')).inputValue(), 'Two clusters, one shared node: shared with a link.');
    // Positions travel with the model: the shared node is where the sharer's is.
    const where = async (p) => p.locator(id('node-shared')).getAttribute('transform');
    assert.equal(await where(rpage), await where(page));

    // The reader now has a model of their own: a link to FIG 24 (made by the CLI) asks first.
    const base = new URL(link).origin + '/';
    const fig24 = execFileSync(CLI, ['share', FIG24, '--base', base], { encoding: 'utf8' }).trim();
    await open(rpage, fig24);
    await rpage.waitForSelector(id('confirm'));
    assert.match(await rpage.locator(`${id('confirm')} h2`).textContent(), /Open the model from the link\?/);
    await rpage.click(id('confirm-cancel'));
    await rpage.waitForSelector(id('node-shared'));
    await open(rpage, fig24);
    await rpage.click(id('confirm-discard'));
    assert.equal(await rpage.locator(node5List).first().getAttribute('data-addresses'), NODE5);
    // Undo brings the reader's model back.
    await rpage.click(id('btn-undo'));
    await rpage.waitForSelector(id('node-shared'));

    // A broken link (cut short when copied): refused with the reason, the model kept.
    await open(rpage, fig24.slice(0, fig24.length - 30));
    const notice = await rpage.locator(id('notice')).textContent();
    assert.match(notice, /The link's model could not be opened; your model is unchanged: the link is damaged/);
    assert.equal(await rpage.locator(id('confirm')).count(), 0);
    await rpage.waitForSelector(id('node-shared'));
    await reader.close();

    // The same broken link in a fresh browser: no model to keep, so none is said to be kept.
    const fresh = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const fpage = await fresh.newPage();
    await open(fpage, fig24.slice(0, fig24.length - 30));
    const freshNotice = await fpage.locator(id('notice')).textContent();
    assert.match(freshNotice, /^The link's model could not be opened: the link is damaged/);
    assert.match(freshNotice, /Showing the FIG 24 example\./);
    assert.doesNotMatch(freshNotice, /unchanged/);
    await fresh.close();
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a shared view shows the model without asking and never saves over the reader\'s model', async () => {
  const app = await openApp({ width: 1200, height: 800 });
  const { page } = app;
  try {
    // The reader's own model: the two-clusters example, autosaved.
    await page.click(id('btn-examples'));
    await page.click(id('example-two-clusters'));
    await page.waitForSelector(id('node-shared'));
    const saved = await savedModel(page);

    // The dialog's shared-view link and its embed snippet, for FIG 24.
    const base = new URL(page.url()).origin + '/';
    const editorLink = execFileSync(CLI, ['share', FIG24, '--base', base], { encoding: 'utf8' }).trim();
    const view = editorLink.replace('#model=', '#view&model=');
    await open(page, view);
    await page.waitForSelector(id('shared-view'));
    assert.match(await page.locator(id('shared-view-description')).textContent(), /^The source's FIG 24 worked example/);
    assert.equal(await page.locator(id('confirm')).count(), 0);
    assert.equal(await page.locator(node5List).first().getAttribute('data-addresses'), NODE5);
    // Its "open in the editor" link is the editor link of the same model.
    assert.equal(await page.locator(id('shared-view-edit')).getAttribute('href'), editorLink);
    // A reader's toolbar: no editing tools, only what a reader needs.
    assert.equal(await page.locator(id('tool-node')).count(), 0);
    assert.equal(await page.locator(id('btn-export')).count(), 1);
    // Read-only: a click selects, but no gesture or shortcut edits (Delete, Ctrl+D, Ctrl+Z,
    // arrows, a drag), the inspector's fields are disabled; failing a server ("what if") works.
    const where = () => page.locator(id('node-n1')).getAttribute('transform');
    const before = await where();
    await page.click(`${id('node-n1')} .node-box`);
    await page.waitForSelector(`${id('node-n1')}.selected`);
    for (const key of ['Delete', 'Backspace', 'Control+d', 'Control+z', 'Control+y', 'ArrowRight', 'n']) {
      await page.keyboard.press(key);
    }
    assert.match(await page.locator(id('notice')).textContent(), /This shared view is read-only/);
    const box = await page.locator(`${id('node-n1')} .node-box`).boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y + 120, { steps: 6 });
    await page.mouse.up();
    assert.equal(await page.locator(id('node-n1')).count(), 1);
    assert.equal(await where(), before, 'a drag moves nothing');
    await page.waitForSelector(id('inspector-read-only'));
    const fields = page.locator(`${id('inspector')} input, ${id('inspector')} select, ${id('inspector')} textarea`);
    assert.ok(await fields.count() > 0);
    for (const field of await fields.all()) assert.equal(await field.isDisabled(), true);
    assert.equal(await page.locator(`${id('inspector')} button:enabled`).count(), 0);
    await page.getByTestId('tab-load').click();
    await page.locator(id('load-bar')).first().click();
    await page.waitForSelector(`${id('clear-failed')}`);
    await page.getByTestId('clear-failed').click();
    await page.keyboard.press('Escape');
    await page.click(id('btn-share'));
    await page.click(id('share-view'));
    const embed = await page.locator(id('share-embed')).inputValue();
    assert.match(embed, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/#view&amp;model=[A-Za-z0-9_-]+" title="clusterplan model"/);
    await screenshot(page, 'share-embed');
    assert.equal(await savedModel(page), saved);

    // A broken shared view (cut short) shows neither the reader's model nor an editor.
    await open(page, view.slice(0, view.length - 40));
    await page.waitForSelector(id('shared-view-broken'));
    assert.match(await page.locator(id('shared-view-broken')).textContent(), /This shared view could not be opened: the link is damaged/);
    assert.equal(await page.locator(id('node-shared')).count(), 0);
    assert.equal(await page.locator('svg.canvas, [data-testid="canvas"]').count(), 0);
    assert.equal(await page.locator(id('shared-view-edit')).count(), 0);
    // Keys do not reach the model behind an open dialog.
    await open(page, view);
    await page.click(`${id('node-n5')} .node-box`);
    await page.click(id('btn-share'));
    await page.keyboard.press('Delete');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator(id('node-n5')).count(), 1);
    assert.equal(await savedModel(page), saved);

    // A writer's link can open on a node: node 5 selected, its explained list showing.
    const onNode5 = execFileSync(CLI, ['share', FIG24, '--base', base, '--view', '--node', 'n5'], { encoding: 'utf8' }).trim();
    assert.match(onNode5, /#view&node=n5&model=/);
    await open(page, onNode5);
    const list = page.locator(`${id('node-list')}[data-service="registry"]`);
    await list.waitFor();
    assert.equal(await list.getAttribute('data-addresses'), NODE5);
    // The dialog offers the same: the selected node, on by default.
    await page.click(id('btn-share'));
    assert.equal(await page.locator(id('share-node')).isChecked(), true);
    // Named once: "node 5 (server 1)", not "node node 5 (server 1)".
    const offer = await page.locator('label.check', { has: page.locator(id('share-node')) }).innerText();
    assert.equal(offer.trim(), 'Open with node 5 (server 1) selected, its lists showing');
    assert.match(await page.locator(id('share-link')).inputValue(), /#node=n5&model=/);
    await page.click(id('share-node'));
    assert.doesNotMatch(await page.locator(id('share-link')).inputValue(), /node=/);
    await page.keyboard.press('Escape');

    // The same browser without the link: the reader's model, as they left it.
    await open(page, base);
    await page.waitForSelector(id('node-shared'));
    assert.equal(await page.locator(id('shared-view')).count(), 0);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
