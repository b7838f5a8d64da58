import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDIS_DIRECTIVES, SENTINEL_DIRECTIVES, redisDirective, sentinelDirective } from '../../server/src/core/documents/redis/catalog';
import { didYouMean } from '../../server/src/core/suggest';

test('the redis.conf catalog: unique names, a description each, typed values', () => {
  const names = new Set<string>();
  for (const d of REDIS_DIRECTIVES) {
    for (const n of [d.name, d.alias].filter((x): x is string => !!x)) {
      assert.ok(!names.has(n), `duplicate ${n}`);
      names.add(n);
    }
    assert.ok(d.description.length > 10, `${d.name} has a description`);
    if (d.type === 'enum') assert.ok(d.values && d.values.length > 1, `${d.name} lists its values`);
    if (d.type === 'integer') assert.ok(d.min !== undefined && d.max !== undefined && BigInt(d.min) <= BigInt(d.max), `${d.name} has bounds`);
  }
  assert.ok(REDIS_DIRECTIVES.length > 180);
  assert.equal(redisDirective('slaveof')?.name, 'replicaof');
  assert.equal(redisDirective('locale-collate')?.since, '7.2');
});

test('the sentinel catalog: every statement Sentinel 7 reads', () => {
  const expected = ['monitor', 'down-after-milliseconds', 'failover-timeout', 'parallel-syncs', 'auth-pass', 'auth-user', 'notification-script', 'client-reconfig-script',
    'rename-command', 'config-epoch', 'leader-epoch', 'known-replica', 'known-slave', 'known-sentinel', 'current-epoch', 'myid', 'announce-ip', 'announce-port',
    'announce-hostnames', 'resolve-hostnames', 'deny-scripts-reconfig', 'sentinel-user', 'sentinel-pass', 'master-reboot-down-after-period'];
  assert.deepEqual(SENTINEL_DIRECTIVES.map((d) => d.name).sort(), [...expected].sort());
  for (const d of SENTINEL_DIRECTIVES) assert.ok(d.minArgs <= d.maxArgs && d.maxArgs === d.args.length, d.name);
  assert.equal(sentinelDirective('monitor')?.args.length, 4);
});

test('did-you-mean picks a close name and nothing for unrelated words', () => {
  assert.equal(didYouMean('maxmemroy', ['maxmemory', 'maxclients']), 'maxmemory');
  assert.equal(didYouMean('zzzz', ['maxmemory', 'port']), undefined);
});
