import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dedent, diagnose, expectDiag, expectNoDiag } from '../helpers/engine';

const R = 'redis.conf';

test('redis/syntax: unbalanced quotes', () => {
  expectDiag(R, 'port 6379\nrequirepass "abc\n', 'redis/syntax', 1);
  expectNoDiag(R, 'requirepass "abc"\n', 'redis/syntax');
});

test('redis/unknown-directive: typo with did-you-mean, sentinel lines outside Sentinel', () => {
  const d = expectDiag(R, 'replicaof 10.0.0.1 6379\nmasterauht s3cret\n', 'redis/unknown-directive', 1);
  assert.match(d.message, /masterauth/);
  expectDiag(R, 'port 6379\nsentinel monitor m 10.0.0.1 6379 2\n', 'redis/unknown-directive', 1, { associations: { 'redis.conf': 'redis' } });
  // aliases, module settings and the obsolete-but-accepted names are known
  expectNoDiag(R, 'slaveof 10.0.0.1 6379\nslave-read-only yes\nhash-max-ziplist-entries 128\nlist-max-ziplist-entries 512\nmymodule.setting 5\n', 'redis/unknown-directive');
});

test('redis/arity: one argument expected, # comments are arguments for Redis', () => {
  expectDiag(R, 'maxmemory 2gb # cap\n', 'redis/arity', 0);
  expectDiag(R, 'port\n', 'redis/arity', 0);
  expectDiag(R, 'replicaof 10.0.0.1\n', 'redis/arity', 0);
  expectDiag(R, 'include\n', 'redis/arity', 0);
  expectNoDiag(R, 'maxmemory 2gb\nsave 900 1 300 10\nsave ""\nbind 127.0.0.1 ::1\ninclude /etc/redis/common.conf\nuser default on nopass ~* +@all\n', 'redis/arity');
});

test('redis/value: yes/no, integers, sizes, enums, bounds, replicaof port, save pairs', () => {
  expectDiag(R, 'appendonly true\n', 'redis/value', 0);
  expectDiag(R, 'port 70000\n', 'redis/value', 0);
  expectDiag(R, 'port 06379\n', 'redis/value', 0);
  expectDiag(R, 'databases lots\n', 'redis/value', 0);
  expectDiag(R, 'maxmemory 2tb\n', 'redis/value', 0);
  expectDiag(R, 'maxmemory-policy lru\n', 'redis/value', 0);
  expectDiag(R, 'replicaof 10.0.0.1 %master-port%\n', 'redis/value', 0);
  expectDiag(R, 'save 900\n', 'redis/value', 0);
  expectDiag(R, 'save 0 1\n', 'redis/value', 0);
  expectDiag(R, 'client-output-buffer-limit master 0 0 0\n', 'redis/value', 0);
  expectNoDiag(R, 'appendonly YES\nport 0\nmaxmemory 2GB\nmaxmemory-policy allkeys-lru\nreplicaof no one\nsave "900 1"\nmaxmemory-clients 10%\nunixsocketperm 700\nclient-output-buffer-limit replica 256mb 64mb 60\n', 'redis/value');
});

test('redis/replica-auth: replica with requirepass and no masterauth', () => {
  expectDiag(R, 'replicaof 10.0.0.1 6379\nrequirepass s3cret\n', 'redis/replica-auth', 0);
  expectNoDiag(R, 'replicaof 10.0.0.1 6379\nrequirepass s3cret\nmasterauth s3cret\n', 'redis/replica-auth');
  expectNoDiag(R, 'requirepass s3cret\n', 'redis/replica-auth');
});

test('redis/replica-read-only: writable replicas', () => {
  expectDiag(R, 'replicaof 10.0.0.1 6379\nreplica-read-only no\n', 'redis/replica-read-only', 1);
  expectDiag(R, 'slave-read-only no\n', 'redis/replica-read-only', 0);
  expectNoDiag(R, 'replica-read-only yes\n', 'redis/replica-read-only');
});

test('redis/min-replicas: min-replicas-to-write disabled by a zero lag', () => {
  expectDiag(R, 'min-replicas-to-write 1\nmin-replicas-max-lag 0\n', 'redis/min-replicas', 1);
  expectNoDiag(R, 'min-replicas-to-write 1\nmin-replicas-max-lag 10\n', 'redis/min-replicas');
  expectNoDiag(R, 'min-replicas-to-write 0\nmin-replicas-max-lag 0\n', 'redis/min-replicas');
});

test('a clean replica redis.conf has no diagnostics', () => {
  const text = dedent(`
    port 6379
    bind 127.0.0.1 -::1
    replicaof 10.0.0.1 6379
    requirepass "s3cret"
    masterauth "s3cret"
    replica-read-only yes
    min-replicas-to-write 1
    min-replicas-max-lag 10
    save 3600 1 300 100
    maxmemory 2gb
    appendonly yes
  `);
  assert.deepEqual(diagnose(R, text), []);
});

test('redis/value: multi-word options and percentiles', () => {
  expectDiag(R, 'shutdown-on-sigterm\n', 'redis/value', 0);
  expectDiag(R, 'shutdown-on-sigterm save nosave\n', 'redis/value', 0);
  expectDiag(R, 'latency-tracking-info-percentiles 50 101\n', 'redis/value', 0);
  expectNoDiag(R, 'shutdown-on-sigterm nosave now\nlatency-tracking-info-percentiles 50 99 99.9\n', 'redis/value');
});
