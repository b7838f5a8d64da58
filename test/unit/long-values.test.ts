import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEngine } from '../../server/src/core';
import { atoi, digitsValue, octalValue, strtollFull } from '../../server/src/core/documents/redis/values';
import { MAX_MESSAGE_LENGTH, shown } from '../../server/src/core/shown';

/** Runs `fn` with BigInt replaced by a spy; returns the longest string BigInt was asked to read. */
function longestBigIntText(fn: () => void): number {
  const real = globalThis.BigInt;
  let longest = 0;
  const spy = Object.assign((v: string | number | bigint | boolean) => {
    if (typeof v === 'string') longest = Math.max(longest, v.length);
    return real(v);
  }, { asIntN: real.asIntN, asUintN: real.asUintN });
  globalThis.BigInt = spy as unknown as BigIntConstructor;
  try {
    fn();
  } finally {
    globalThis.BigInt = real;
  }
  return longest;
}

const HUGE = '9'.repeat(200_000);

test('Redis numbers are read in at most the digits of a 64-bit number: a longer one is out of range', () => {
  const longest = longestBigIntText(() => {
    assert.deepEqual(atoi(HUGE), { value: -1, exact: false }, 'saturated at LONG_MAX, then the low 32 bits');
    assert.deepEqual(atoi(`-${HUGE}`), { value: 0, exact: false });
    assert.equal(strtollFull(HUGE), 9223372036854775807n);
    assert.equal(strtollFull(`-${HUGE}`), -9223372036854775808n);
    assert.equal(digitsValue(`${'0'.repeat(100_000)}42`), 42n, 'leading zeros are not digits that count');
    assert.equal(octalValue('7'.repeat(100_000))! > 18446744073709551615n, true);
    assert.equal(octalValue('0755'), 493n);
  });
  assert.ok(longest <= 30, `BigInt read a text of ${longest} characters`);
});

test('a huge number in sentinel.conf and redis.conf is parsed in bounded digits and quoted shortly in messages', () => {
  const engine = createEngine();
  const files = {
    'file:///long/sentinel.conf': `sentinel monitor mymaster 127.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster ${HUGE}\nsentinel parallel-syncs mymaster 1${HUGE}x\n`,
    'file:///long/redis.conf': `port ${HUGE}\nunixsocketperm ${'7'.repeat(200_000)}\nmaxmemory ${HUGE}mb\nrepl-diskless-sync ${HUGE}\n`,
  };
  let diags: ReturnType<typeof engine.validate> = [];
  const longest = longestBigIntText(() => {
    diags = Object.entries(files).flatMap(([uri, text]) => engine.validate({ uri, text }));
  });
  assert.ok(longest <= 30, `BigInt read a text of ${longest} characters`);
  assert.ok(diags.length >= 5, diags.map((d) => d.code).join(' '));
  for (const d of diags) assert.ok(d.message.length < 400, `${d.code}: a message of ${d.message.length} characters`);
});

test('every format quotes long values shortly: no message grows with the value', () => {
  const engine = createEngine();
  const long = 'x'.repeat(100_000);
  const files = {
    'file:///long/haproxy.cfg': `global\n    maxconn ${long}\n    ${long} 1\ndefaults\n    timeout connect ${long}\nbackend b\n    balance ${long}\n    server s1 10.0.0.1:5432 check inter ${long}\n`,
    'file:///long/patroni.yml': `scope: c\nname: n\n${long}: 1\nrestapi:\n  listen: ${long}\n  connect_address: ${long}\n`,
    'file:///long/manifest.yaml': `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ${long}\nspec:\n  replicas: 3\n  ${long}: 1\n  template:\n    metadata:\n      labels:\n        app: ${long}\n    spec:\n      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector:\n                matchLabels:\n                  app: ${long}\n              topologyKey: ${long}\n      containers:\n        - name: db\n          image: postgres\n`,
  };
  for (const [uri, text] of Object.entries(files)) {
    const diags = engine.validate({ uri, text });
    assert.ok(diags.length > 0, uri);
    for (const d of diags) assert.ok(d.message.length <= MAX_MESSAGE_LENGTH + 1, `${d.code}: a message of ${d.message.length} characters`);
  }
});

test('shown keeps short text and cuts long text without splitting a character', () => {
  assert.equal(shown('abc'), 'abc');
  assert.equal(shown('a'.repeat(100), 10), `${'a'.repeat(10)}…`);
  assert.equal(shown(`${'a'.repeat(9)}😀😀`, 10), `${'a'.repeat(9)}…`);
});

test('lists of hundreds of thousands of items are appended without overflowing the stack', () => {
  const engine = createEngine({ logger: { info: () => undefined, error: (m) => assert.fail(m) } });
  // A Node with 200,000 labels: the workspace's node label keys.
  const labels = Array.from({ length: 200_000 }, (_, i) => `    l${i}: "x"\n`).join('');
  const node = engine.validate({ uri: 'file:///long/node.yaml', text: `apiVersion: v1\nkind: Node\nmetadata:\n  name: n\n  labels:\n${labels}` });
  assert.deepEqual(node.filter((d) => d.code.startsWith('hatopo/')), []);
  // A workload spread by a label of that Node: the workspace lists its 200,000 label keys.
  const sts = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  replicas: 3\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector:\n                matchLabels:\n                  app: db\n              topologyKey: l7\n      containers:\n        - name: db\n          image: postgres\n`;
  const spread = engine.validate({ uri: 'file:///long/db.yaml', text: sts });
  assert.deepEqual(spread.filter((d) => d.code.startsWith('hatopo/') || d.code === 'kubernetes/topology-key'), []);
  // A line with 150,000 bad escapes, and a section of 150,000 problems edited: read and checked again.
  const cfg = `global\n    log "${'\\x'.repeat(150_000)}"\ndefaults\n${'    timeout connect "\\x\n'.repeat(150_000)}backend b\n    server s 10.0.0.1:5432 check\n`;
  engine.validate({ uri: 'file:///long/haproxy.cfg', text: cfg });
  const edited = engine.validate({ uri: 'file:///long/haproxy.cfg', text: cfg.replace('check\n', 'check inter 2s\n') });
  assert.deepEqual(edited.filter((d) => d.code.startsWith('hatopo/')), []);
});
