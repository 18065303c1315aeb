// The JavaScript package (crates/js, built for Node.js by `scripts/build-js.sh --node`) answers
// every question as the CLI's `--json` does, on every example, and refuses bad input by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const cp = createRequire(import.meta.url)(join(ROOT, 'target', 'js', 'node', 'clusterplan.js'));
const CLI = join(ROOT, 'target', 'debug', 'clusterplan');
// The CLI's JSON answer (`check` exits 1 on an error diagnostic, with its answer printed).
const cli = (...args) => {
  const run = spawnSync(CLI, [...args, '--json'], { encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, `clusterplan ${args.join(' ')}: ${run.stderr}`);
  return JSON.parse(run.stdout);
};
const models = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => join(ROOT, 'examples', f));
const text = (path) => readFileSync(path, 'utf8');

for (const path of models) {
  const name = path.split('/').pop();
  test(`${name}: check, lists and load equal the CLI's`, () => {
    const model = text(path);
    assert.deepEqual(cp.check(model), cli('check', path));
    assert.deepEqual(cp.lists(model), cli('lists', path));
    assert.deepEqual(cp.load(model), cli('load', path));
    // The parsed object is as good as the text.
    assert.deepEqual(cp.lists(JSON.parse(model)), cp.lists(model));
    assert.deepEqual(cp.compare(model, { seed: 7 }), cli('compare', path, '--seed', '7'));
  });
}

test('explain and strategies, load with failures, as the CLI', () => {
  const path = join(ROOT, 'examples', 'seed-fig24.json');
  const model = text(path);
  const explained = cp.explain(model, 'A', 'registry', '5');
  assert.deepEqual(explained, cli('explain', path, '--cluster', 'A', '--service', 'registry', '--node', '5'));
  assert.deepEqual(
    explained.entries.map((e) => e.address),
    ['10.0.0.1', '10.0.1.9', '10.0.1.3', '10.0.1.7', '10.0.2.20', '10.0.2.12'],
  );
  assert.deepEqual(cp.lists(model, { strategy: 'spread' }), cli('lists', path, '--strategy', 'spread'));
  assert.deepEqual(cp.load(model, { fail: [5, 7] }), cli('load', path, '--fail', '5,7'));
});

test('simulate equals the CLI on every lesson', () => {
  const model = join(ROOT, 'examples', 'lifecycle.json');
  const dir = join(ROOT, 'examples', 'scenarios');
  for (const f of readdirSync(dir)) {
    const scenario = join(dir, f);
    assert.deepEqual(cp.simulate(text(model), text(scenario)), cli('simulate', model, scenario), f);
  }
});

test('refusals are errors naming the problem', () => {
  assert.throws(() => cp.lists('{ not json'), /cannot read the model/);
  assert.throws(() => cp.lists(42), /the model must be JSON text or an object/);
  const model = text(join(ROOT, 'examples', 'seed-fig24.json'));
  assert.throws(() => cp.lists(model, { strategy: 'zigzag' }), /zigzag/);
  assert.throws(() => cp.load(model, { cluster: 'Q' }), /no cluster "Q"/);
  assert.throws(() => cp.explain(model, 'A', 'registry', 'nobody'), /no node "nobody"/);
  assert.throws(() => cp.lists(model, { colour: 'red' }), /cannot read the options.*colour/);
});
