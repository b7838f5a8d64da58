import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/core';
import { diagnose, engine } from '../helpers/engine';

let n = 0;

/** Applies the first quick fix offered for `code` and returns the new text. */
function applyFix(name: string, text: string, code: string, title?: RegExp): string {
  const diag = diagnose(name, text).find((d) => d.code === code);
  assert.ok(diag, `no ${code} diagnostic`);
  const uri = `file:///fix/${n++}/${name}`;
  const actions = engine.codeActions({ uri, text }, diag.range).filter((a) => a.diagnostic.code === code && (!title || title.test(a.title)));
  engine.forget(uri);
  assert.ok(actions.length > 0, `no quick fix for ${code}`);
  const lines = new LineIndex(text);
  const edits = actions[0].edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function assertFixed(name: string, text: string, code: string, expected?: string): void {
  const fixed = applyFix(name, text, code);
  if (expected !== undefined) assert.equal(fixed, expected);
  const left = diagnose(name, fixed).filter((d) => d.code === code);
  assert.equal(left.length, 0, `after the fix:\n${fixed}\nstill: ${left.map((d) => d.message).join('; ')}`);
}

test('fix: add sentinel resolve-hostnames yes before the first monitor', () => {
  const text = 'port 26379\nsentinel monitor mymaster redis-0 6379 2\nsentinel monitor other redis-1 6379 2\n';
  assertFixed('sentinel.conf', text, 'sentinel/hostname-resolution', 'port 26379\nsentinel resolve-hostnames yes\nsentinel monitor mymaster redis-0 6379 2\nsentinel monitor other redis-1 6379 2\n');
});

test('fix: an explicit resolve-hostnames no is switched to yes', () => {
  const text = 'sentinel monitor mymaster redis-0 6379 2\nsentinel resolve-hostnames no\n';
  assertFixed('sentinel.conf', text, 'sentinel/hostname-resolution', 'sentinel monitor mymaster redis-0 6379 2\nsentinel resolve-hostnames yes\n');
});

test('fix: did-you-mean for a sentinel sub-directive and a top-level directive', () => {
  assertFixed('sentinel.conf', 'sentinel monitor m 10.0.0.1 6379 2\nsentinel failover-timout m 60000\n', 'sentinel/unknown-directive', 'sentinel monitor m 10.0.0.1 6379 2\nsentinel failover-timeout m 60000\n');
  assertFixed('redis.conf', 'apendonly yes\n', 'redis/unknown-directive', 'appendonly yes\n');
});

test('fix: unknown master name replaced by the closest monitored one', () => {
  assertFixed('sentinel.conf', 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel auth-pass mymastr pw\n', 'sentinel/unknown-master', 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel auth-pass mymaster pw\n');
});

test('fix: delete a duplicate known-replica line', () => {
  const text = 'sentinel monitor m 10.0.0.1 6379 2\nsentinel known-replica m 10.0.0.2 6379\nsentinel known-replica m 10.0.0.2 6379\nsentinel current-epoch 0\n';
  assertFixed('sentinel.conf', text, 'sentinel/duplicate-known', 'sentinel monitor m 10.0.0.1 6379 2\nsentinel known-replica m 10.0.0.2 6379\nsentinel current-epoch 0\n');
});

test('fix: yes/no guesses, parallel-syncs, replica-read-only, min-replicas lag', () => {
  assertFixed('redis.conf', 'appendonly true\n', 'redis/value', 'appendonly yes\n');
  assertFixed('sentinel.conf', 'sentinel monitor m 10.0.0.1 6379 2\nsentinel parallel-syncs m 0\n', 'sentinel/parallel-syncs');
  assertFixed('redis.conf', 'replica-read-only no\n', 'redis/replica-read-only', 'replica-read-only yes\n');
  assertFixed('redis.conf', 'min-replicas-to-write 1\nmin-replicas-max-lag 0\n', 'redis/min-replicas');
});

test('fix: masterauth copied from requirepass, quoted when needed', () => {
  assertFixed('redis.conf', 'replicaof 10.0.0.1 6379\nrequirepass "a b"\n', 'redis/replica-auth', 'replicaof 10.0.0.1 6379\nrequirepass "a b"\nmasterauth "a b"\n');
  assertFixed('redis.conf', 'replicaof 10.0.0.1 6379\nrequirepass pw', 'redis/replica-auth', 'replicaof 10.0.0.1 6379\nrequirepass pw\nmasterauth pw\n');
});
