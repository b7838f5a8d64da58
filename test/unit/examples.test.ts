import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { createEngine } from '../../server/src/core';

const EXAMPLES = resolve(__dirname, '..', '..', 'examples');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

test('examples/ demonstrates every check', () => {
  const engine = createEngine({ logger: { info: () => undefined, error: (m) => assert.fail(m) } });
  const seen = new Set<string>();
  // As `hatopo check examples/` does: every file is in the workspace before any is checked.
  const all = files(EXAMPLES).map((f) => ({ uri: pathToFileURL(f).href, text: readFileSync(f, 'utf8') }));
  for (const f of all) engine.setWorkspaceFile(f.uri, f.text, undefined, { keep: true });
  for (const f of all) for (const d of engine.validate(f)) seen.add(d.code);
  // Drift checks compare files with a live cluster: without one they are silent (test/unit/live-drift.test.ts covers them).
  const missing = engine.checks().map((c) => c.id).filter((id) => !seen.has(id) && !id.startsWith('live/'));
  assert.deepEqual(missing, [], 'checks that no file in examples/ triggers');
});

test('the files in examples/good/ have no error or warning (information is allowed)', () => {
  const engine = createEngine();
  for (const f of files(join(EXAMPLES, 'good'))) {
    const diags = engine.validate({ uri: pathToFileURL(f).href, text: readFileSync(f, 'utf8') }).filter((d) => d.severity === 'error' || d.severity === 'warning');
    assert.ok(engine.detectKind(pathToFileURL(f).href, readFileSync(f, 'utf8')), `${f} is recognised`);
    assert.deepEqual(diags.map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`), [], f);
  }
});
