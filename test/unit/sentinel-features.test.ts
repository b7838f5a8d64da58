import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/core';
import { engine } from '../helpers/engine';

let n = 0;

/** Runs `fn` on `text` with the cursor where `|` is. */
function at<T>(name: string, marked: string, fn: (doc: { uri: string; text: string }, pos: { line: number; character: number }) => T): T {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const doc = { uri: `file:///feat/${n++}/${name}`, text };
  try {
    return fn(doc, new LineIndex(text).positionAt(offset));
  } finally {
    engine.forget(doc.uri);
  }
}

const labels = (name: string, marked: string): string[] => at(name, marked, (d, p) => engine.complete(d, p).map((c) => c.label));

test('completion: directives at the start of a line, with documentation', () => {
  const items = at('redis.conf', 'port 6379\nrepl|\n', (d, p) => engine.complete(d, p));
  const replicaof = items.find((c) => c.label === 'replicaof');
  assert.ok(replicaof, 'replicaof offered');
  assert.match(replicaof.documentation ?? '', /replica/i);
  assert.deepEqual(replicaof.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } });
  assert.ok(!items.some((c) => c.label === 'sentinel'), 'no sentinel keyword in redis.conf');
  assert.ok(labels('sentinel.conf', '|').includes('sentinel'));
  assert.deepEqual(labels('redis.conf', '# repl|'), []);
});

test('completion: sentinel sub-directives after `sentinel `', () => {
  const subs = labels('sentinel.conf', 'sentinel |');
  for (const s of ['monitor', 'down-after-milliseconds', 'failover-timeout', 'resolve-hostnames', 'auth-pass']) assert.ok(subs.includes(s), s);
  assert.ok(!subs.includes('port'));
});

test('completion: master names in per-master directives', () => {
  const text = 'sentinel monitor alpha 10.0.0.1 6379 2\nsentinel monitor beta 10.0.0.2 6379 2\nsentinel down-after-milliseconds |\n';
  assert.deepEqual(labels('sentinel.conf', text).sort(), ['alpha', 'beta']);
});

test('completion: yes/no and enum values', () => {
  assert.deepEqual(labels('redis.conf', 'appendonly |'), ['yes', 'no']);
  assert.deepEqual(labels('sentinel.conf', 'sentinel resolve-hostnames |'), ['yes', 'no']);
  assert.ok(labels('redis.conf', 'maxmemory-policy |').includes('allkeys-lru'));
  assert.deepEqual(labels('redis.conf', 'port |'), []);
});

test('hover: directive description, arguments and default', () => {
  const h = at('redis.conf', 'repl-back|log-size 64mb\n', (d, p) => engine.hover(d, p));
  assert.ok(h);
  assert.match(h.contents, /repl-backlog-size/);
  assert.match(h.contents, /Default: `1048576`/);
  assert.deepEqual(h.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 17 } });
  const alias = at('redis.conf', 'slave|of 10.0.0.1 6379\n', (d, p) => engine.hover(d, p));
  assert.match(alias?.contents ?? '', /\*\*replicaof\*\*/);
});

test('hover: sentinel sub-directive and master name', () => {
  const text = 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milliseconds my|master 5000\n';
  const master = at('sentinel.conf', text, (d, p) => engine.hover(d, p));
  assert.match(master?.contents ?? '', /10\.0\.0\.1:6379, quorum 2/);
  const sub = at('sentinel.conf', 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel fail|over-timeout mymaster 60000\n', (d, p) => engine.hover(d, p));
  assert.match(sub?.contents ?? '', /sentinel failover-timeout/);
  assert.match(sub?.contents ?? '', /Default: `180000`/);
  assert.equal(at('sentinel.conf', '# com|ment\n', (d, p) => engine.hover(d, p)), undefined);
});

test('symbols: one per monitored master with its directives as children', () => {
  const text = 'port 26379\nsentinel monitor alpha 10.0.0.1 6379 2\nsentinel down-after-milliseconds alpha 5000\nsentinel monitor beta 10.0.0.2 6380 3\nsentinel failover-timeout alpha 60000\n';
  const uri = `file:///feat/${n++}/sentinel.conf`;
  const symbols = engine.symbols({ uri, text });
  engine.forget(uri);
  assert.deepEqual(symbols.map((s) => [s.name, s.detail, s.range.start.line, s.range.end.line]), [
    ['alpha', '10.0.0.1:6379 quorum 2', 1, 4],
    ['beta', '10.0.0.2:6380 quorum 3', 3, 3],
  ]);
  assert.deepEqual(symbols[0].children?.map((c) => [c.name, c.detail, c.range.start.line]), [
    ['down-after-milliseconds', '5000', 2],
    ['failover-timeout', '60000', 4],
  ]);
  assert.deepEqual(symbols[0].selectionRange, { start: { line: 1, character: 17 }, end: { line: 1, character: 22 } });
});

test('symbols: masters Sentinel refuses are listed as written, with their directives', () => {
  const text = [
    'sentinel monitor zero 10.0.0.1 6379 0',
    'sentinel monitor named redis-a.internal 6379 2',
    'sentinel down-after-milliseconds named 5000',
    'sentinel monitor ok 10.0.0.3 6379 2',
    'sentinel monitor ok 10.0.0.4 6379 2',
    'sentinel failover-timeout zero 60000',
    'sentinel failover-timeout ok 60000',
    'sentinel monitor short 10.0.0.5',
    '',
  ].join('\n');
  const uri = `file:///feat/${n++}/sentinel.conf`;
  const symbols = engine.symbols({ uri, text });
  const codes = engine.validate({ uri, text }).map((d) => d.code);
  engine.forget(uri);
  assert.ok(codes.length > 0, 'the file has errors');
  assert.deepEqual(symbols.map((s) => [s.name, s.detail, s.range.start.line, s.range.end.line, s.children?.map((c) => c.range.start.line)]), [
    ['zero', '10.0.0.1:6379 quorum 0', 0, 5, [5]],
    ['named', 'redis-a.internal:6379 quorum 2', 1, 2, [2]],
    ['ok', '10.0.0.3:6379 quorum 2', 3, 6, [6]],
    ['ok', '10.0.0.4:6379 quorum 2', 4, 4, []],
    ['short', '10.0.0.5', 7, 7, []],
  ]);
  assert.deepEqual(symbols[0].selectionRange, { start: { line: 0, character: 17 }, end: { line: 0, character: 21 } });
});

test('symbols: replication directives of redis.conf', () => {
  const text = 'port 6379\nslaveof 10.0.0.1 6379\nmasterauth pw\nmaxmemory 1gb\nrepl-backlog-size 64mb\nmin-replicas-to-write 1\n';
  const uri = `file:///feat/${n++}/redis.conf`;
  const symbols = engine.symbols({ uri, text });
  engine.forget(uri);
  assert.deepEqual(symbols.map((s) => [s.name, s.detail, s.range.start.line]), [
    ['slaveof', '10.0.0.1 6379', 1],
    ['masterauth', 'pw', 2],
    ['repl-backlog-size', '64mb', 4],
    ['min-replicas-to-write', '1', 5],
  ]);
});
