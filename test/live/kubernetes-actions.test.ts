// The operators' actions (CloudNativePG promote, restart, fencing; Crunchy PGO switchover) run
// through runAction and the real @kubernetes/client-node. No Kubernetes API server can run on these
// machines: the client talks to the replay server (test/live/kube/replay-server.ts), which serves
// the recorded objects in the API server's real shapes and accepts PATCH as it does (merge patch,
// status subresource, optimistic lock). So this tests what is sent — each PATCH compared exactly
// with what `kubectl cnpg` or PGO's documentation sends — and that the pre-flight and the
// verification read the operators' answers right; the operator's part (changing status and pod
// labels after the patch) is played by the test, as the operators' sources say they do it.
// kubectl, through the same kubeconfig, is the independent reader of what the server holds.
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
// Before anything loads client-node from source: give it the undici that dist/kubernetes.js bundles.
register(pathToFileURL(join(__dirname, 'kube', 'undici-7.mjs')).href);

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { ActionResult, AuditRecord, AuditSink } from '../../live/src/actions/model';
import { runAction } from '../../live/src/actions/run';
import type { KubeActionSpec } from '../../live/src/kubernetes/actions';
import { cnpgActionSpec, crunchySwitchoverSpec } from '../../live/src/kubernetes/actions';
import type { KubeLab } from './kube/lab';
import { kubectlMissing, kubectlRaw, secretsOf, startKubeLab } from './kube/lab';
import type { KubeObject, RecordedRequest } from './kube/replay-server';

const PORT = 18900;
const NOW = new Date('2025-04-26T08:15:30.123Z');
const CNPG = 'postgresql.cnpg.io/v1';
const PGO = 'postgres-operator.crunchydata.com/v1beta1';
const CNPG_PATH = '/apis/postgresql.cnpg.io/v1/namespaces/db/clusters/cluster-example';
const PGO_PATH = '/apis/postgres-operator.crunchydata.com/v1beta1/namespaces/db/postgresclusters/hippo';
const HEALTHY = 'Cluster in healthy state';

let lab: KubeLab | undefined;
const specs: KubeActionSpec[] = [];
const records: AuditRecord[] = [];
const results: ActionResult[] = [];
const cleanups: Array<() => void> = [];
const audit: AuditSink = { write: async (r) => void records.push(r) };

function the(): KubeLab {
  if (!lab) throw new Error('the replay server did not start');
  return lab;
}

function options(cluster: string, context = 'lab') {
  return { kube: { kubeconfig: the().file('main.yaml'), context }, cluster, timeoutMs: 3000, now: () => NOW };
}

async function run(spec: KubeActionSpec): Promise<ActionResult> {
  specs.push(spec);
  const r = await runAction(spec, { deadlineMs: 10_000, pollMs: 100, audit, via: 'test' });
  results.push(r);
  return r;
}

/** Puts the objects back as they are now once the test ends, whatever the action and the "operator" did. */
function keep(...objects: Array<[string, string, string]>): void {
  const saved = objects.map(([apiVersion, kind, name]) => structuredClone(the().server.get(apiVersion, kind, 'db', name)));
  cleanups.push(() => {
    for (const o of saved) the().server.put(o);
  });
}

/** Plays the operator: after each PATCH, runs `steps` one after the other, a little apart. */
function operator(steps: Array<(patched: KubeObject) => void>): void {
  const stop = the().server.onPatch((patched) => {
    steps.forEach((step, i) => {
      const t = setTimeout(() => step(patched), 150 * (i + 1));
      cleanups.push(() => clearTimeout(t));
    });
  });
  cleanups.push(stop);
}

const update = (apiVersion: string, kind: string, name: string, fn: (o: KubeObject) => void) => the().server.update(apiVersion, kind, 'db', name, fn);
const labels = (pod: string, set: Record<string, string>) => update('v1', 'Pod', pod, (o) => Object.assign((o.metadata.labels ??= {}), set));
const annotations = (o: KubeObject) => ((o.metadata.annotations ??= {}) as Record<string, string>);
const status = (o: KubeObject) => o.status as Record<string, unknown>;
const setReady = (pod: string, ready: boolean) =>
  update('v1', 'Pod', pod, (o) => {
    for (const c of (status(o).conditions as Array<{ type: string; status: string }>) ?? []) if (c.type === 'Ready' || c.type === 'ContainersReady') c.status = ready ? 'True' : 'False';
  });

const patchesSince = (n: number): RecordedRequest[] => the().server.requests.slice(n).filter((r) => r.method !== 'GET');
const lastRecord = () => records[records.length - 1];

type Obj = { metadata: { resourceVersion: string; annotations?: Record<string, string>; labels?: Record<string, string> }; status?: Record<string, unknown>; spec?: Record<string, unknown> };
const raw = (path: string) => kubectlRaw<Obj>(the(), 'lab', path);

describe('Kubernetes operator actions against the replay server', { timeout: 100_000, skip: kubectlMissing }, () => {
  before(async () => {
    lab = await startKubeLab({ port: PORT, down: PORT + 1 });
    lab.server.serve({ group: 'policy', versions: ['v1'], plural: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true });
    // The budgets CloudNativePG makes for 3 instances (pkg/specs/poddisruptionbudget.go), with the status the disruption controller writes.
    const pdb = (name: string, role: string, minAvailable: number, allowed: number, healthy: number) =>
      lab?.server.put({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name, namespace: 'db', labels: { 'cnpg.io/cluster': 'cluster-example' } },
        spec: { minAvailable, selector: { matchLabels: { 'cnpg.io/cluster': 'cluster-example', 'cnpg.io/instanceRole': role } } },
        status: { currentHealthy: healthy, desiredHealthy: minAvailable, disruptionsAllowed: allowed, expectedPods: healthy, observedGeneration: 1 },
      });
    pdb('cluster-example', 'replica', 1, 1, 2);
    pdb('cluster-example-primary', 'primary', 1, 0, 1);
  });

  afterEach(() => {
    for (const c of cleanups.splice(0).reverse()) c();
  });

  after(async () => {
    await Promise.all(specs.map((s) => s.close()));
    await lab?.stop();
    const said = JSON.stringify({ records, results });
    if (lab) for (const s of secretsOf(lab)) assert.ok(!said.includes(s), 'a secret appears in a result or an audit record');
  });

  test('CloudNativePG promote: the status patch kubectl cnpg sends, then the new primary observed', async () => {
    keep([CNPG, 'Cluster', 'cluster-example'], ['v1', 'Pod', 'cluster-example-1'], ['v1', 'Pod', 'cluster-example-2']);
    const beforeObj = await raw(CNPG_PATH);
    operator([
      () => {
        labels('cluster-example-1', { 'cnpg.io/instanceRole': 'replica', role: 'replica' });
        labels('cluster-example-2', { 'cnpg.io/instanceRole': 'primary', role: 'primary' });
      },
      () => update(CNPG, 'Cluster', 'cluster-example', (o) => Object.assign(status(o), { currentPrimary: 'cluster-example-2', phase: HEALTHY, phaseReason: '', timelineID: 2 })),
    ]);
    const since = the().server.requests.length;
    const r = await run(cnpgActionSpec('promote', { ...options('db/cluster-example'), instance: '2' }));
    assert.equal(r.outcome, 'done', r.message);
    const conditions = structuredClone(beforeObj.status?.conditions as Array<Record<string, string>>);
    const ready = conditions.findIndex((c) => c.type === 'Ready');
    conditions[ready] = { ...conditions[ready], status: 'False', reason: 'ClusterIsNotReady', message: 'Cluster Is Not Ready', lastTransitionTime: '2025-04-26T08:15:30Z' };
    const writes = patchesSince(since);
    assert.deepEqual(
      writes.map((w) => ({ method: w.method, path: w.path, contentType: w.contentType, body: JSON.parse(w.body ?? '') as unknown, status: w.status })),
      [
        {
          method: 'PATCH',
          path: `${CNPG_PATH}/status`,
          contentType: 'application/merge-patch+json',
          body: {
            metadata: { resourceVersion: beforeObj.metadata.resourceVersion },
            status: { conditions, phase: 'Switchover in progress', phaseReason: 'Switching over to cluster-example-2', targetPrimary: 'cluster-example-2', targetPrimaryTimestamp: '2025-04-26T08:15:30.123000Z' },
          },
          status: 200,
        },
      ],
    );
    const now = await raw(CNPG_PATH);
    assert.equal(now.status?.targetPrimary, 'cluster-example-2');
    assert.equal(now.status?.currentPrimary, 'cluster-example-2');
    assert.equal(now.status?.phase, HEALTHY);
    assert.equal((await raw('/api/v1/namespaces/db/pods/cluster-example-2')).metadata.labels?.['cnpg.io/instanceRole'], 'primary');
    assert.equal(r.after?.leader, 'cluster-example-2');
    const rec = lastRecord();
    assert.equal(rec.action, 'promote');
    assert.equal(rec.outcome, 'done');
    assert.equal(rec.primary, 'cluster-example-1');
    assert.equal(rec.target, 'cluster-example-2');
    assert.equal(rec.preflight.target?.safe, true);
  });

  test('CloudNativePG promote while the operator is failing over: refused in its words, nothing sent', async () => {
    keep([CNPG, 'Cluster', 'cluster-example']);
    update(CNPG, 'Cluster', 'cluster-example', (o) => Object.assign(status(o), { phase: 'Failing over', phaseReason: 'Failing over from cluster-example-1 to cluster-example-3' }));
    const rv = (await raw(CNPG_PATH)).metadata.resourceVersion;
    const since = the().server.requests.length;
    const r = await run(cnpgActionSpec('promote', { ...options('db/cluster-example'), instance: 'cluster-example-2' }));
    assert.equal(r.outcome, 'refused');
    assert.match(r.message, /"Failing over" \(Failing over from cluster-example-1 to cluster-example-3\)/);
    assert.deepEqual(patchesSince(since), []);
    assert.equal((await raw(CNPG_PATH)).metadata.resourceVersion, rv, 'the Cluster is unchanged');
    assert.equal(lastRecord().outcome, 'refused');
    assert.ok(lastRecord().preflight.blockers.some((b) => b.includes('Failing over')));
  });

  test('CloudNativePG restart: the annotation on the Cluster, then every pod restarted with it', async () => {
    const pods = ['cluster-example-1', 'cluster-example-2', 'cluster-example-3'];
    keep([CNPG, 'Cluster', 'cluster-example'], ...pods.map((p): [string, string, string] => ['v1', 'Pod', p]));
    operator([
      () => update(CNPG, 'Cluster', 'cluster-example', (o) => Object.assign(status(o), { phase: 'Upgrading cluster', phaseReason: 'cluster has been explicitly restarted via annotation' })),
      (patched) => {
        for (const p of pods) update('v1', 'Pod', p, (o) => void (annotations(o)['kubectl.kubernetes.io/restartedAt'] = annotations(patched)['kubectl.kubernetes.io/restartedAt']));
      },
      () => update(CNPG, 'Cluster', 'cluster-example', (o) => Object.assign(status(o), { phase: HEALTHY, phaseReason: '' })),
    ]);
    const since = the().server.requests.length;
    const r = await run(cnpgActionSpec('restart', options('db/cluster-example')));
    assert.equal(r.outcome, 'done', r.message);
    const writes = patchesSince(since);
    assert.deepEqual(
      writes.map((w) => ({ method: w.method, path: w.path, contentType: w.contentType, body: JSON.parse(w.body ?? '') as unknown })),
      [{ method: 'PATCH', path: CNPG_PATH, contentType: 'application/merge-patch+json', body: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-04-26T08:15:30Z' } } } }],
    );
    assert.ok(the().server.requests.slice(since).some((q) => q.path === '/apis/policy/v1/namespaces/db/poddisruptionbudgets' && q.status === 200), 'the budgets were read');
    assert.equal((await raw(CNPG_PATH)).metadata.annotations?.['kubectl.kubernetes.io/restartedAt'], '2025-04-26T08:15:30Z');
    for (const p of pods) assert.equal((await raw(`/api/v1/namespaces/db/pods/${p}`)).metadata.annotations?.['kubectl.kubernetes.io/restartedAt'], '2025-04-26T08:15:30Z');
    assert.equal(lastRecord().target, pods.join(','));
  });

  test('CloudNativePG restart with the replicas budget at 0: refused, nothing sent', async () => {
    keep(['policy/v1', 'PodDisruptionBudget', 'cluster-example'], ['v1', 'Pod', 'cluster-example-3']);
    update('policy/v1', 'PodDisruptionBudget', 'cluster-example', (o) => Object.assign(status(o), { currentHealthy: 1, disruptionsAllowed: 0 }));
    const rv = (await raw(CNPG_PATH)).metadata.resourceVersion;
    const since = the().server.requests.length;
    const r = await run(cnpgActionSpec('restart', options('db/cluster-example')));
    assert.equal(r.outcome, 'refused');
    assert.match(r.message, /PodDisruptionBudget cluster-example allows no disruption now \(1 healthy, 1 needed\)/);
    assert.deepEqual(patchesSince(since), []);
    assert.equal((await raw(CNPG_PATH)).metadata.resourceVersion, rv);
  });

  test('CloudNativePG fencing on then off: the annotation as the plugin writes it, the pod stopping and coming back', async () => {
    keep([CNPG, 'Cluster', 'cluster-example'], ['v1', 'Pod', 'cluster-example-3']);
    operator([(patched) => setReady('cluster-example-3', !annotations(patched)['cnpg.io/fencedInstances'])]);
    let since = the().server.requests.length;
    const on = await run(cnpgActionSpec('fence', { ...options('db/cluster-example'), instance: 'cluster-example-3' }));
    assert.equal(on.outcome, 'done', on.message);
    const [fence] = patchesSince(since);
    assert.deepEqual({ path: fence.path, contentType: fence.contentType, body: JSON.parse(fence.body ?? '') as unknown }, { path: CNPG_PATH, contentType: 'application/merge-patch+json', body: { metadata: { annotations: { 'cnpg.io/fencedInstances': '["cluster-example-3"]' } } } });
    assert.equal((await raw(CNPG_PATH)).metadata.annotations?.['cnpg.io/fencedInstances'], '["cluster-example-3"]');
    assert.equal(on.after?.members.find((m) => m.name === 'cluster-example-3')?.health, 'warning');
    since = the().server.requests.length;
    const off = await run(cnpgActionSpec('unfence', { ...options('db/cluster-example'), instance: '3' }));
    assert.equal(off.outcome, 'done', off.message);
    const [unfence] = patchesSince(since);
    assert.deepEqual(JSON.parse(unfence.body ?? ''), { metadata: { annotations: { 'cnpg.io/fencedInstances': null } } });
    assert.equal((await raw(CNPG_PATH)).metadata.annotations?.['cnpg.io/fencedInstances'], undefined, 'the annotation is gone');
    assert.deepEqual(records.slice(-2).map((x) => [x.action, x.target, x.outcome]), [
      ['fence', 'cluster-example-3', 'done'],
      ['unfence', 'cluster-example-3', 'done'],
    ]);
  });

  test('Crunchy switchover: spec.patroni.switchover and the trigger annotation, then the new master observed', async () => {
    keep([PGO, 'PostgresCluster', 'hippo'], ['v1', 'Pod', 'hippo-instance1-8xvd-0'], ['v1', 'Pod', 'hippo-instance1-q2kz-0']);
    const role = 'postgres-operator.crunchydata.com/role';
    operator([
      () => {
        labels('hippo-instance1-8xvd-0', { [role]: 'replica' });
        labels('hippo-instance1-q2kz-0', { [role]: 'master' });
      },
      (patched) =>
        update(PGO, 'PostgresCluster', 'hippo', (o) => {
          (status(o).patroni as Record<string, unknown>).switchover = annotations(patched)['postgres-operator.crunchydata.com/trigger-switchover'];
        }),
    ]);
    const since = the().server.requests.length;
    const r = await run(crunchySwitchoverSpec({ ...options('db/hippo'), instance: 'hippo-instance1-q2kz' }));
    assert.equal(r.outcome, 'done', r.message);
    const writes = patchesSince(since);
    assert.deepEqual(
      writes.map((w) => ({ method: w.method, path: w.path, contentType: w.contentType, body: JSON.parse(w.body ?? '') as unknown })),
      [
        {
          method: 'PATCH',
          path: PGO_PATH,
          contentType: 'application/merge-patch+json',
          body: {
            metadata: { annotations: { 'postgres-operator.crunchydata.com/trigger-switchover': NOW.toISOString() } },
            spec: { patroni: { switchover: { enabled: true, targetInstance: 'hippo-instance1-q2kz' } } },
          },
        },
      ],
    );
    const now = await raw(PGO_PATH);
    assert.deepEqual((now.spec?.patroni as Record<string, unknown>).switchover, { enabled: true, targetInstance: 'hippo-instance1-q2kz' });
    assert.equal((now.status?.patroni as Record<string, unknown>).switchover, NOW.toISOString());
    assert.equal((await raw('/api/v1/namespaces/db/pods/hippo-instance1-q2kz-0')).metadata.labels?.[role], 'master');
    assert.equal(r.after?.leader, 'hippo-instance1-q2kz-0');
    assert.deepEqual([lastRecord().action, lastRecord().primary, lastRecord().target, lastRecord().options], ['switchover', 'hippo-instance1-8xvd-0', 'hippo-instance1-q2kz-0', { type: 'Switchover', instance: 'hippo-instance1-q2kz' }]);
  });

  test('Crunchy switchover while an earlier one has not completed: refused, nothing sent', async () => {
    keep([PGO, 'PostgresCluster', 'hippo']);
    update(PGO, 'PostgresCluster', 'hippo', (o) => {
      (o.spec as Record<string, unknown>).patroni = { switchover: { enabled: true } };
      annotations(o)['postgres-operator.crunchydata.com/trigger-switchover'] = 'Sat Apr 26 08:00:00 UTC 2025';
    });
    const rv = (await raw(PGO_PATH)).metadata.resourceVersion;
    const since = the().server.requests.length;
    const r = await run(crunchySwitchoverSpec(options('db/hippo')));
    assert.equal(r.outcome, 'refused');
    assert.match(r.message, /"Sat Apr 26 08:00:00 UTC 2025" has not completed/);
    assert.deepEqual(patchesSince(since), []);
    assert.equal((await raw(PGO_PATH)).metadata.resourceVersion, rv);
  });

  test('credentials the API server refuses: refused as unreadable, nothing sent, no token in the record', async () => {
    const since = the().server.requests.length;
    const r = await run(cnpgActionSpec('promote', { ...options('db/cluster-example', 'wrong-token'), instance: '2' }));
    assert.equal(r.outcome, 'refused');
    assert.match(r.message, /could not be read: authentication failed \(401 Unauthorized\)/);
    assert.deepEqual(patchesSince(since), []);
    assert.ok(the().server.requests.slice(since).every((q) => q.status === 401));
  });
});
