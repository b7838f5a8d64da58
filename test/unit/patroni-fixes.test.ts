import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from '../../server/src/core';
import { diagnose, engine } from '../helpers/engine';

let n = 0;

/** Applies the quick fix titled like `title` for `code`, then returns the new text. */
function applyFix(text: string, code: string, title: RegExp): string {
  const uri = `file:///fix/${n++}/patroni.yml`;
  const diag = engine.validate({ uri, text }).find((d: Diagnostic) => d.code === code);
  assert.ok(diag, `no ${code} to fix`);
  const action = engine.codeActions({ uri, text }, diag.range).find((a) => a.diagnostic.code === code && title.test(a.title));
  engine.forget(uri);
  assert.ok(action, `no fix matching ${title} for ${code}`);
  const lines = text.split('\n');
  const offsetOf = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((s, l) => s + l.length + 1, 0) + p.character;
  const edits = action.edits.map((e) => ({ start: offsetOf(e.range.start), end: offsetOf(e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

const codes = (text: string) => diagnose('patroni.yml', text).map((d) => d.code);

test('timing: raising ttl makes the triple valid', () => {
  const text = 'bootstrap:\n  dcs:\n    ttl: 30\n    loop_wait: 10\n    retry_timeout: 15\n';
  const fixed = applyFix(text, 'patroni/timing', /Raise ttl/);
  assert.match(fixed, /ttl: 40\n/);
  assert.ok(!codes(fixed).includes('patroni/timing'));
});

test('timing: lowering loop_wait makes the triple valid', () => {
  const text = 'bootstrap:\n  dcs:\n    ttl: 30\n    loop_wait: 12\n    retry_timeout: 10\n';
  const fixed = applyFix(text, 'patroni/timing', /Lower loop_wait/);
  assert.match(fixed, /loop_wait: 10\n/);
  assert.ok(!codes(fixed).includes('patroni/timing'));
});

test('timing-minimum: sets the minimum', () => {
  const fixed = applyFix('bootstrap:\n  dcs:\n    ttl: 10\n    loop_wait: 5\n    retry_timeout: 5\n', 'patroni/timing-minimum', /ttl/);
  assert.match(fixed, /ttl: 20/);
  assert.ok(!codes(fixed).includes('patroni/timing-minimum'));
});

test('unknown-key: no rename to a key the mapping already has', () => {
  const text = 'scope: x\nbootstrp:\n  method: a\nbootstrap:\n  dcs:\n    ttl: 30\n';
  const uri = 'file:///fix/unknown-key-sibling/patroni.yml';
  const diag = engine.validate({ uri, text }).find((d) => d.code === 'patroni/unknown-key');
  assert.ok(diag);
  assert.doesNotMatch(diag.message, /`bootstrap`\?/);
  assert.deepEqual(engine.codeActions({ uri, text }, diag.range).filter((a) => a.diagnostic.code === 'patroni/unknown-key'), []);
  engine.forget(uri);
});

test('unknown-key: renames to the suggestion', () => {
  const fixed = applyFix('bootstrap:\n  dcs:\n    loop_wiat: 10\n', 'patroni/unknown-key', /loop_wait/);
  assert.equal(fixed, 'bootstrap:\n  dcs:\n    loop_wait: 10\n');
  assert.ok(!codes(fixed).includes('patroni/unknown-key'));
});

test('lag-bytes: converts a size to bytes', () => {
  const fixed = applyFix('bootstrap:\n  dcs:\n    maximum_lag_on_failover: 16MB\n', 'patroni/lag-bytes', /16777216/);
  assert.equal(fixed, 'bootstrap:\n  dcs:\n    maximum_lag_on_failover: 16777216\n');
  assert.ok(!codes(fixed).includes('patroni/lag-bytes'));
});

test('pg-rewind: turns wal_log_hints on', () => {
  const text = 'bootstrap:\n  dcs:\n    postgresql:\n      use_pg_rewind: true\n      parameters:\n        wal_log_hints: off\n';
  const fixed = applyFix(text, 'patroni/pg-rewind', /wal_log_hints/);
  assert.match(fixed, /wal_log_hints: "on"/);
  assert.ok(!codes(fixed).includes('patroni/pg-rewind'));
});

test('replication-parameters: sets a working value', () => {
  const text = 'bootstrap:\n  dcs:\n    postgresql:\n      parameters:\n        wal_level: minimal\n';
  const fixed = applyFix(text, 'patroni/replication-parameters', /replica/);
  assert.ok(!codes(fixed).includes('patroni/replication-parameters'));
});

test('managed-parameter and synchronous-mode: remove the line', () => {
  const text = 'scope: demo\npostgresql:\n  parameters:\n    port: 5433\n    work_mem: 4MB\n';
  const fixed = applyFix(text, 'patroni/managed-parameter', /Remove/);
  assert.equal(fixed, 'scope: demo\npostgresql:\n  parameters:\n    work_mem: 4MB\n');
  const sync = 'bootstrap:\n  dcs:\n    synchronous_mode: true\n    postgresql:\n      parameters:\n        synchronous_standby_names: "*"\n        work_mem: 4MB\n';
  const fixedSync = applyFix(sync, 'patroni/synchronous-mode', /Remove/);
  assert.ok(!codes(fixedSync).includes('patroni/synchronous-mode'));
  assert.match(fixedSync, /work_mem: 4MB/);
});

test('dcs-multiple: removes the ignored section whole', () => {
  const text = 'scope: a\netcd:\n  host: a:2379\nzookeeper:\n  hosts:\n  - z:2181\nname: n\n';
  const fixed = applyFix(text, 'patroni/dcs-multiple', /Remove/);
  assert.equal(fixed, 'scope: a\netcd:\n  host: a:2379\nname: n\n');
  assert.ok(!codes(fixed).includes('patroni/dcs-multiple'));
});
