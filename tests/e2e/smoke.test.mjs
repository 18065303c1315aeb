// The release build serves, the WASM engine runs in the page, and the page shows what it computed
// for the built-in example (the source's FIG 24): node 5's System Registry list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, screenshot, ROOT } from './harness.mjs';

const NODE5 = ['10.0.0.1', '10.0.1.9', '10.0.1.3', '10.0.1.7', '10.0.2.20', '10.0.2.12'];

test('the built-in example shows node 5 ordering computed in WASM', async () => {
  // The answer must come from the engine, not from the page's source.
  const dist = join(ROOT, 'dist');
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  assert.ok(!html.includes(NODE5.join(', ')), 'index.html must not contain the answer');

  const app = await openApp();
  try {
    const list = app.page.locator('[data-testid="client-list"][data-node-number="5"][data-service="registry"]').first();
    await list.waitFor({ timeout: 15_000 });
    const text = await list.getAttribute('data-addresses');
    assert.equal(text, NODE5.join(','));
    await screenshot(app.page, 'smoke-fig24');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
