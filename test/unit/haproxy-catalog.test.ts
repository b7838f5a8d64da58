import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOG, compareVersions, lookupKeyword, lookupRemoved } from '../../server/src/core/documents/haproxy/catalog';
import { didYouMean, editDistance } from '../../server/src/core/suggest';
import { leadingInteger, parseSize, parseTime, valueError } from '../../server/src/core/checks/haproxy/values';

test('catalog entries are well formed: known versions, descriptions, argument ranges', () => {
  const versions = new Set(CATALOG.versions);
  assert.deepEqual(CATALOG.versions, ['2.6', '2.8', '3.0', '3.1', '3.2']);
  const tables = { proxy: CATALOG.proxy, server: CATALOG.server, bind: CATALOG.bind, ...CATALOG.sections };
  let count = 0;
  for (const [table, entries] of Object.entries(tables)) {
    for (const [name, spec] of Object.entries(entries as Record<string, { since: string; desc: string; min?: number; max?: number }>)) {
      count++;
      assert.ok(versions.has(spec.since), `${table}/${name} since ${spec.since}`);
      assert.ok(spec.desc && spec.desc.length > 5, `${table}/${name} has a description`);
      if (spec.min !== undefined && spec.max !== undefined) assert.ok(spec.min <= spec.max, `${table}/${name} range`);
    }
  }
  assert.ok(count > 600, `only ${count} entries`);
  for (const p of Object.values(CATALOG.proxy)) for (const s of p.in ?? []) assert.ok(CATALOG.proxySections.includes(s));
  for (const [name, r] of Object.entries(CATALOG.removed)) assert.ok(r.replacement && r.removedIn, name);
});

test('catalog knows the keywords HA proxies depend on, in the right sections', () => {
  for (const k of ['option httpchk', 'http-check expect', 'option pgsql-check', 'option redis-check', 'tcp-check expect', 'default-server', 'server', 'timeout check', 'balance']) {
    assert.ok(lookupKeyword('backend', k), k);
  }
  assert.deepEqual(lookupKeyword('listen', 'timeout connect')?.in, ['defaults', 'listen', 'backend']);
  assert.equal(lookupKeyword('global', 'balance'), undefined);
  for (const o of ['check', 'inter', 'fall', 'rise', 'port', 'on-marked-down', 'backup', 'maxconn']) assert.ok(CATALOG.server[o], o);
  assert.equal(CATALOG.server.inter.type, 'time');
  assert.equal(CATALOG.server.check.args, 0);
  assert.equal(CATALOG.server.port.args, 1);
  assert.equal(lookupRemoved('contimeout', 'defaults')?.replacement, 'timeout connect');
  assert.equal(lookupRemoved('grace', 'global'), undefined, 'global grace is still valid');
  assert.equal(compareVersions(CATALOG.sectionHeaders['crt-store'].since, '3.0'), 0);
});

test('version comparison and suggestions', () => {
  assert.ok(compareVersions('2.6', '2.8') < 0);
  assert.ok(compareVersions('3.10', '3.2') > 0);
  assert.equal(compareVersions('3.0', '3.0.0'), 0);
  assert.equal(editDistance('balence', 'balance'), 1);
  assert.equal(editDistance('abcdefgh', 'zzzzzzzz', 2), 3);
  assert.equal(didYouMean('balence', ['balance', 'backlog']), 'balance');
  assert.equal(didYouMean('zzzz', ['balance']), undefined);
});

test('time, size and integer values follow HAProxy parsing', () => {
  assert.deepEqual(parseTime('5s'), { ms: 5000 });
  assert.deepEqual(parseTime('5000'), { ms: 5000 });
  assert.deepEqual(parseTime('100us'), { ms: 0.1 });
  assert.deepEqual(parseTime('2m'), { ms: 120000 });
  assert.deepEqual(parseTime('1d'), { ms: 86400000 });
  assert.deepEqual(parseTime('5sec'), { ms: 5000, trailing: 'ec' });
  assert.ok('error' in parseTime('5x'));
  assert.ok('error' in parseTime('5u'));
  assert.ok('error' in parseTime('30d'), 'over the 2^31 ms timer limit');
  assert.deepEqual(parseSize('16k'), { bytes: 16384 });
  assert.ok('error' in parseSize('16kb'));
  assert.equal(valueError('integer', '12'), undefined);
  assert.ok(valueError('integer', '1.5'));
  assert.equal(leadingInteger('3x'), 3);
  assert.equal(valueError('positive', '3x'), undefined);
  assert.ok(valueError('positive', '0'));
});
