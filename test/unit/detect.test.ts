import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEngine } from '../../server/src/core';
import { detectFile, detectKind } from '../../server/src/core/documents/detect';

test('kind by file name', () => {
  assert.deepEqual(detectFile('file:///x/patroni.yml', ''), { kind: 'patroni', confirmed: false });
  assert.equal(detectKind('file:///x/patroni.yml', ''), undefined);
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
  assert.equal(detectKind('file:///x/db-patroni-pg1.yaml', 'scope: db\n'), 'patroni');
  assert.deepEqual(detectFile('file:///x/db-patroni-pg1.yaml', ''), { kind: 'patroni', confirmed: false });
});

test('a name suggests Patroni, the content confirms it', () => {
  const named = (text: string) => detectFile('file:///x/postgres0.yml', text)?.confirmed;
  assert.equal(named('scope: x\n'), true);
  assert.equal(named('restapi:\n  listen: :8008\n'), true);
  assert.equal(named('etcd3:\n  hosts: 10.0.0.1:2379\n'), true);
  assert.equal(named('postgresql:\n  data_dir: /data\nbootstrap:\n  dcs: {}\n'), true);
  assert.equal(named('postgresql:\n  image: pg\n'), false);
  assert.equal(named('kubernetes:\n  labels: {}\n'), false);
  assert.equal(named('  scope: nested\n'), false);
  assert.equal(named('version: "3"\nservices:\n  db:\n    image: postgres\n'), false);
});

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'named-like-patroni');

test('Helm values, docker-compose and Ansible files named postgres*.yml get no Patroni problems', () => {
  const files = readdirSync(FIXTURES).sort();
  assert.deepEqual(files, ['postgres.yml', 'postgresql-values.yaml', 'postgresql.yml']);
  const engine = createEngine();
  for (const f of files) {
    const uri = pathToFileURL(join(FIXTURES, f)).href;
    const text = readFileSync(join(FIXTURES, f), 'utf8');
    assert.deepEqual(engine.detect(uri, text), { kind: 'patroni', confirmed: false }, f);
    assert.equal(engine.detectKind(uri, text), undefined, f);
    assert.deepEqual(engine.validate({ uri, text }), [], f);
  }
});

test('a file only named like Patroni still gets Patroni completion; once a Patroni key is written, its problems too', () => {
  const engine = createEngine();
  const uri = 'file:///x/patroni.yml';
  assert.ok(engine.complete({ uri, text: '' }, { line: 0, character: 0 }).some((c) => c.label === 'restapi'));
  assert.deepEqual(engine.validate({ uri, text: 'name: pg1\n' }), []);
  const codes = engine.validate({ uri, text: 'scope: demo\nname: pg1\n' }).map((d) => d.code);
  assert.ok(codes.includes('patroni/dcs-missing'), codes.join());
});

test('a manifest in flow style or JSON is recognised at the start of the file or of a document after ---', () => {
  const engine = createEngine();
  const flow = '{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n';
  const json = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}\n';
  for (const text of [json, `---\n${flow}`, `# head\n--- ${flow}`, `\ufeff${json}`]) {
    assert.deepEqual(engine.detect('file:///x/m.yaml', text), { kind: 'kubernetes', confirmed: true }, text);
  }
  // apiVersion and kind inside a block scalar of something else do not make a manifest.
  assert.equal(engine.detect('file:///x/values.yaml', 'config: |\n  {"apiVersion": "v1", "kind": "x"}\n'), undefined);
});
