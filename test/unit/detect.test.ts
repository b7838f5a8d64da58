import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectKind } from '../../server/src/core/documents/detect';

test('kind by file name', () => {
  assert.equal(detectKind('file:///x/patroni.yml', ''), 'patroni');
  assert.equal(detectKind('file:///x/postgres0.yml', 'scope: x\n'), 'patroni');
  assert.equal(detectKind('file:///x/sentinel-26379.conf', ''), 'sentinel');
  assert.equal(detectKind('file:///x/redis.conf', 'port 6379\n'), 'redis');
  assert.equal(detectKind('file:///x/haproxy.cfg', ''), 'haproxy');
});

test('kind by content', () => {
  assert.equal(detectKind('file:///x/member.yaml', 'scope: demo\nname: pg1\nrestapi:\n  listen: :8008\n'), 'patroni');
  assert.equal(detectKind('file:///x/deploy.yaml', 'apiVersion: v1\nkind: Service\n'), 'kubernetes');
  assert.equal(detectKind('file:///x/values.yaml', 'replicas: 3\nimage: pg\n'), undefined);
  assert.equal(detectKind('file:///x/redis.conf', 'port 26379\nsentinel monitor m 10.0.0.1 6379 2\n'), 'sentinel');
  assert.equal(detectKind('file:///x/s.conf', 'sentinel monitor m 10.0.0.1 6379 2\n'), 'sentinel');
  assert.equal(detectKind('file:///x/lb.cfg', 'global\n  maxconn 100\nlisten pg\n  bind :5000\n'), 'haproxy');
  assert.equal(detectKind('file:///x/node.conf', 'replicaof 10.0.0.1 6379\n'), 'redis');
  assert.equal(detectKind('file:///x/notes.txt', 'hello\n'), undefined);
});

test('a postgres*.yaml that is a Kubernetes manifest is not Patroni', () => {
  assert.equal(detectKind('file:///x/postgres-cluster.yaml', 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\n'), 'kubernetes');
});

test('associations win over name and content', () => {
  assert.equal(detectKind('file:///x/lb/main.conf', 'anything', { '**/lb/*.conf': 'haproxy' }), 'haproxy');
  assert.equal(detectKind('file:///x/haproxy.cfg', '', { 'haproxy.cfg': 'redis' }), 'redis');
  assert.equal(detectKind('file:///x/custom.yml', '', { '*.yml': 'patroni' }), 'patroni');
});

test('a Patroni file with a prefixed name', () => {
  assert.equal(detectKind('file:///x/site-a_patroni.yml', 'restapi:\n  listen: :8008\n'), 'patroni');
  assert.equal(detectKind('file:///x/db-patroni-pg1.yaml', ''), 'patroni');
});
