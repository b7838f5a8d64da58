// The engine's other live inputs and outputs: CRDs a cluster serves, hover of live state, and
// where a live member is configured.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createEngine } from '../../server/src/core';
import { dedent } from '../helpers/engine';
import { haproxyState, patroniState, sentinelState } from '../helpers/live-samples';

const fresh = () => createEngine({ logger: { info: () => undefined, error: (m) => assert.fail(m) } });

const GIZMO_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gizmos.acme.io', resourceVersion: '7' },
  spec: {
    group: 'acme.io',
    names: { kind: 'Gizmo', plural: 'gizmos' },
    versions: [
      { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { count: { type: 'integer' } } } } } } },
      { name: 'v1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { count: { type: 'string' } } } } } } },
    ],
  },
};

describe('servedCrds', () => {
  test('custom resources validate against the CRDs the cluster serves, only their served versions', () => {
    const e = fresh();
    const uri = 'file:///w/gizmo.yaml';
    const text = 'apiVersion: acme.io/v2\nkind: Gizmo\nmetadata:\n  name: g\nspec:\n  count: many\n';
    const schemaDiags = () => e.validate({ uri, text }).filter((d) => d.code === 'kubernetes/schema');
    assert.deepEqual(schemaDiags(), [], 'an unknown kind is not validated');
    assert.equal(e.setLiveState({ clusters: [], servedCrds: [GIZMO_CRD] }), true);
    const [d] = schemaDiags();
    assert.equal(d?.range.start.line, 5);
    assert.equal(e.setLiveState({ clusters: [], servedCrds: [GIZMO_CRD] }), false, 'the same resourceVersion changes nothing');
    const v1 = { uri: 'file:///w/gizmo-v1.yaml', text: text.replace('acme.io/v2', 'acme.io/v1') };
    assert.deepEqual(e.validate(v1).filter((x) => x.code === 'kubernetes/schema'), [], 'v1 is not served: no schema');
    // The workspace's own CRD file wins over the served one.
    const own = dedent(`
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: gizmos.acme.io
      spec:
        group: acme.io
        names:
          kind: Gizmo
        versions:
          - name: v2
            schema:
              openAPIV3Schema:
                type: object
    `);
    e.setWorkspaceFile('file:///w/crd.yaml', own);
    assert.deepEqual(schemaDiags(), []);
    e.removeWorkspaceFile('file:///w/crd.yaml');
    assert.equal(schemaDiags().length, 1);
    e.setLiveState(undefined);
    assert.deepEqual(schemaDiags(), []);
  });
});

const PG3 = 'scope: demo\nname: pg3\npostgresql:\n  connect_address: 127.0.0.1:5435\n';

describe('hover of live state', () => {
  test('a member line shows its live role, state, timeline and lag, above the documentation', () => {
    const e = fresh();
    const doc = { uri: 'file:///w/pg3/patroni.yml', text: PG3 };
    const before = e.hover(doc, { line: 1, character: 7 });
    assert.ok(before && !before.contents.includes('Live'));
    e.setLiveState({ clusters: [patroniState()] });
    const h = e.hover(doc, { line: 1, character: 7 });
    assert.ok(h);
    const [live, docs] = h.contents.split('\n\n---\n\n');
    assert.match(live, /\*\*Live: pg3\*\* is replica, streaming/);
    assert.match(live, /\| pg3 \| replica \| streaming \| 3 \| 2\.0 MiB \/ 4\.5 s \| async \| warning \|/);
    assert.match(live, /lagging/);
    assert.equal(docs, before.contents);
    assert.deepEqual(h.range, before.range);
    // connect_address names the same member; scope shows the whole cluster.
    assert.match(e.hover(doc, { line: 3, character: 5 })!.contents, /\*\*Live: pg3\*\*/);
    const cluster = e.hover(doc, { line: 0, character: 2 })!.contents;
    assert.match(cluster, /patroni demo\*\*, led by pg1/);
    assert.equal(cluster.match(/^\| pg\d /gm)?.length, 3);
  });

  test('an HAProxy server line shows the member at its address and HAProxy\'s own view', () => {
    const e = fresh();
    e.setLiveState({ clusters: [patroniState(), haproxyState()] });
    const text = 'backend pg_write\n  option httpchk GET /primary\n  server pg2 127.0.0.1:5434 check port 8009\n';
    const h = e.hover({ uri: 'file:///w/haproxy.cfg', text }, { line: 2, character: 4 });
    assert.ok(h);
    assert.match(h.contents, /\*\*Live: pg2\*\* is sync-standby, streaming/);
    assert.match(h.contents, /\*\*HAProxy:\*\* pg2 is DOWN in pg_write \(last check L7STS\/503 in 1ms\)/);
  });

  test('a sentinel monitor line shows the live master and replicas; nothing for a name Sentinel does not report', () => {
    const e = fresh();
    e.setLiveState({ clusters: [sentinelState()] });
    const text = 'port 26379\nsentinel monitor mymaster 127.0.0.1 6379 2\nsentinel monitor other 127.0.0.1 7000 2\n';
    const h = e.hover({ uri: 'file:///w/sentinel.conf', text }, { line: 1, character: 20 });
    assert.match(h?.contents ?? '', /sentinel mymaster\*\*, led by 127\.0\.0\.1:6379/);
    const other = e.hover({ uri: 'file:///w/sentinel.conf', text }, { line: 2, character: 20 });
    assert.ok(!other?.contents.includes('Live'));
  });
});

describe('memberLocations', () => {
  test('a Patroni member is found by scope and name, the cluster as each member file', () => {
    const e = fresh();
    e.setWorkspaceFile('file:///w/pg3/patroni.yml', PG3);
    e.setWorkspaceFile('file:///w/pg1/patroni.yml', PG3.replace(/pg3/g, 'pg1').replace('5435', '5433'));
    e.setWorkspaceFile('file:///w/other/patroni.yml', PG3.replace('demo', 'other'));
    e.setLiveState({ clusters: [patroniState()] });
    assert.deepEqual(e.memberLocations({ kind: 'patroni', cluster: 'demo', member: 'pg3' }), [
      { uri: 'file:///w/pg3/patroni.yml', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 9 } } },
    ]);
    assert.deepEqual(
      e.memberLocations({ kind: 'patroni', cluster: 'demo' }).map((l) => l.uri),
      ['file:///w/pg1/patroni.yml', 'file:///w/pg3/patroni.yml'],
    );
    assert.deepEqual(e.memberLocations({ kind: 'patroni', cluster: 'demo', member: 'pg2' }), []);
  });

  test('HAProxy servers by backend and name, Sentinel masters by name and nodes by address', () => {
    const e = fresh();
    e.setWorkspaceFile('file:///w/haproxy.cfg', 'global\n  maxconn 100\n\nbackend pg_write\n  server pg1 127.0.0.1:5433 check\n  server pg2 127.0.0.1:5434 check\n');
    e.setWorkspaceFile('file:///w/sentinel.conf', 'port 26379\nsentinel monitor mymaster 127.0.0.1 6379 2\n');
    e.setWorkspaceFile('file:///w/redis-6380.conf', 'bind 127.0.0.1\nport 6380\nreplicaof 127.0.0.1 6379\n');
    e.setLiveState({ clusters: [haproxyState(), sentinelState()] });
    assert.deepEqual(e.memberLocations({ kind: 'haproxy', cluster: '/run/haproxy/admin.sock', member: 'pg2' }), [
      { uri: 'file:///w/haproxy.cfg', range: { start: { line: 5, character: 2 }, end: { line: 5, character: 33 } } },
    ]);
    assert.deepEqual(e.memberLocations({ kind: 'sentinel', cluster: 'mymaster' }), [
      { uri: 'file:///w/sentinel.conf', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 42 } } },
    ]);
    const replica = e.memberLocations({ kind: 'sentinel', cluster: 'mymaster', member: '127.0.0.1:6380' });
    assert.deepEqual(replica.map((l) => [l.uri, l.range.start.line]), [
      ['file:///w/redis-6380.conf', 1],
      ['file:///w/sentinel.conf', 1],
    ]);
    assert.deepEqual(
      e.memberLocations({ kind: 'sentinel', cluster: 'mymaster', member: '127.0.0.1:26379' }).map((l) => [l.uri, l.range.start.line]),
      [
        ['file:///w/sentinel.conf', 0],
        ['file:///w/sentinel.conf', 1],
      ],
    );
  });
});
