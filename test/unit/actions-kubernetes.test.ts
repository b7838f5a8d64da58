// The pre-flights and patch bodies of the operators' actions, on states built from the recorded
// objects (test/live/kube/recordings) through the provider's own builders, changed the way the
// operators would change them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Preflight } from '../../live/src/actions/model';
import type { ClusterState } from '../../live/src/model';
import type { PdbLike } from '../../live/src/kubernetes/action-facts';
import { parseFenced, selects, withActionFacts } from '../../live/src/kubernetes/action-facts';
import { cnpgPreflight, crunchySwitchoverPreflight } from '../../live/src/kubernetes/action-preflight';
import { cnpgFencingPatch, cnpgPromotePatch, cnpgRestartPatch, crunchySwitchoverPatch, newTrigger } from '../../live/src/kubernetes/action-patches';
import type { Resource } from '../../live/src/kubernetes/cluster';
import { zalandoPatroniPods } from '../../live/src/kubernetes/pod-proxy';
import type { NodeLike, PodLike } from '../../live/src/kubernetes/pods';
import { zonesOf } from '../../live/src/kubernetes/pods';
import { cnpgState, crunchyState, zalandoState } from '../../live/src/kubernetes/postgres-operators';

type Obj = Resource & PodLike & { kind?: string };
const RECORDINGS = join(__dirname, '..', 'live', 'kube', 'recordings');
const load = (f: string): Obj[] => JSON.parse(readFileSync(join(RECORDINGS, f), 'utf8')) as Obj[];
const zones = zonesOf(load('cluster-scoped.json').filter((o) => o.kind === 'Node') as NodeLike[]);
const ctx = { source: 'https://127.0.0.1:6443 (context lab)', observedAt: '2025-04-25T21:00:00.000Z', zones };

interface Recorded {
  res: Resource;
  pods: PodLike[];
}

function recorded(file: string, kind: string): Recorded {
  const all = load(file);
  return { res: structuredClone(all.find((o) => o.kind === kind) as Resource), pods: structuredClone(all.filter((o) => o.kind === 'Pod') as PodLike[]) };
}

const pod = (r: Recorded, name: string) => r.pods.find((p) => p.metadata?.name === name) as PodLike & { metadata: { annotations?: Record<string, string>; labels: Record<string, string> } };
const unready = (p: PodLike) => {
  for (const c of p.status?.conditions ?? []) if (c.type === 'Ready') c.status = 'False';
};

/** The replicas' and the primary's budgets CloudNativePG makes for 3 instances (pkg/specs/poddisruptionbudget.go). */
function cnpgPdbs(replicasAllowed: number): PdbLike[] {
  return [
    { metadata: { name: 'cluster-example' }, spec: { selector: { matchLabels: { 'cnpg.io/cluster': 'cluster-example', 'cnpg.io/instanceRole': 'replica' } }, minAvailable: 1 }, status: { disruptionsAllowed: replicasAllowed, currentHealthy: 1 + replicasAllowed, desiredHealthy: 1 } },
    { metadata: { name: 'cluster-example-primary' }, spec: { selector: { matchLabels: { 'cnpg.io/cluster': 'cluster-example', 'cnpg.io/instanceRole': 'primary' } }, minAvailable: 1 }, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1 } },
  ];
}

/** `pdbs` null: the budgets could not be listed. */
function cnpg(change: (r: Recorded) => void = () => undefined, pdbs: PdbLike[] | null = cnpgPdbs(1)): ClusterState {
  const r = recorded('cnpg.json', 'Cluster');
  r.pods = r.pods.filter((p) => !p.metadata?.labels?.['cnpg.io/jobRole']);
  change(r);
  return withActionFacts(cnpgState(r.res, r.pods, ctx), { resource: r.res, pods: r.pods, pdbs: pdbs ?? undefined });
}

function crunchy(change: (r: Recorded) => void = () => undefined): ClusterState {
  const r = recorded('crunchy.json', 'PostgresCluster');
  r.pods = r.pods.filter((p) => p.metadata?.labels?.['postgres-operator.crunchydata.com/instance']);
  change(r);
  return withActionFacts(crunchyState(r.res, r.pods, ctx), { resource: r.res, pods: r.pods });
}

const verdict = (p: Preflight, member: string) => {
  const v = p.candidates.find((c) => c.member === member);
  assert.ok(v, `${member} is judged`);
  return v;
};
const annotate = (r: Recorded, key: string, value: string) => Object.assign((r.res.metadata ??= {}).annotations ?? (r.res.metadata.annotations = {}), { [key]: value });
const UNREADABLE: ClusterState = { kind: 'kubernetes', name: 'db/cluster-example', source: 'kube-context lab', observedAt: ctx.observedAt, members: [], health: 'error', problems: [], error: 'connection refused 127.0.0.1:6443' };

describe('CloudNativePG promote', () => {
  test('a healthy cluster: every replica judged, the target safe, zones noted', () => {
    const p = cnpgPreflight(cnpg(), 'promote', { instance: 'cluster-example-2' });
    assert.equal(p.ok, true, JSON.stringify(p));
    assert.equal(p.primary, 'cluster-example-1');
    assert.equal(p.target, 'cluster-example-2');
    assert.deepEqual(p.candidates.map((c) => c.member), ['cluster-example-2', 'cluster-example-3']);
    assert.ok(p.candidates.every((c) => c.safe));
    assert.ok(verdict(p, 'cluster-example-2').notes.includes('in zone-b'));
    assert.ok(verdict(p, 'cluster-example-2').notes.some((n) => /lag not reported/.test(n)));
    assert.ok(p.warnings.some((w) => /cluster-example-1 is shut down cleanly first/.test(w)));
  });

  test('a bare number names CLUSTER-N, as kubectl cnpg promote takes it', () => {
    assert.equal(cnpgPreflight(cnpg(), 'promote', { instance: '3' }).target, 'cluster-example-3');
  });

  test('the operator busy: refused with its phase in its own words', () => {
    const s = cnpg((r) => Object.assign(r.res.status as object, { phase: 'Switchover in progress', phaseReason: 'Switching over to cluster-example-3', targetPrimary: 'cluster-example-3' }));
    const p = cnpgPreflight(s, 'promote', { instance: 'cluster-example-2' });
    assert.equal(p.ok, false);
    assert.ok(p.blockers.some((b) => b.includes('"Switchover in progress" (Switching over to cluster-example-3)')), p.blockers.join('|'));
    assert.ok(p.blockers.some((b) => /from cluster-example-1 to cluster-example-3 is already under way/.test(b)));
  });

  test('reconciliation suspended: refused', () => {
    const p = cnpgPreflight(cnpg((r) => annotate(r, 'cnpg.io/reconciliationLoop', 'disabled')), 'promote', { instance: '2' });
    assert.ok(!p.ok && p.blockers.some((b) => /reconciliation is suspended/.test(b)));
  });

  test('the primary, a stranger, or no instance at all: refused', () => {
    assert.ok(cnpgPreflight(cnpg(), 'promote', { instance: 'cluster-example-1' }).blockers.includes('cluster-example-1 is already the primary'));
    assert.ok(cnpgPreflight(cnpg(), 'promote', { instance: 'cluster-example-9' }).blockers.some((b) => /not an instance of db\/cluster-example/.test(b)));
    const none = cnpgPreflight(cnpg(), 'promote', {});
    assert.ok(!none.ok && none.blockers.some((b) => /name the instance.*safe: cluster-example-2, cluster-example-3/.test(b)));
  });

  test('a fenced, an unready, a failed or a behind replica is an unsafe candidate', () => {
    const s = cnpg((r) => {
      annotate(r, 'cnpg.io/fencedInstances', '["cluster-example-2"]');
      unready(pod(r, 'cluster-example-3'));
    });
    const p = cnpgPreflight(s, 'promote', { instance: 'cluster-example-2' });
    assert.equal(p.ok, false);
    assert.ok(verdict(p, 'cluster-example-2').reasons.some((x) => /fenced/.test(x)));
    assert.ok(verdict(p, 'cluster-example-3').reasons.some((x) => /not ready/.test(x)));
    const behind = cnpg((r) => {
      const st = r.res.status as { instancesReportedState: Record<string, { timeLineID: number }>; timelineID: number; instancesStatus: Record<string, string[]> };
      st.timelineID = 2;
      st.instancesReportedState['cluster-example-1'].timeLineID = 2;
      st.instancesStatus = { healthy: ['cluster-example-1', 'cluster-example-3'], failed: ['cluster-example-2'] };
    });
    const b = cnpgPreflight(behind, 'promote', { instance: 'cluster-example-2' });
    assert.ok(verdict(b, 'cluster-example-2').reasons.some((x) => /timeline 1, the cluster on 2/.test(x)));
    assert.ok(verdict(b, 'cluster-example-2').reasons.some((x) => /instancesStatus: failed/.test(x)));
  });
});

describe('CloudNativePG restart', () => {
  test('replicas may lose one: passes; the primary budget of 0 is normal', () => {
    const p = cnpgPreflight(cnpg(), 'restart');
    assert.equal(p.ok, true, JSON.stringify(p.blockers));
    assert.deepEqual(p.candidates.map((c) => c.member), ['cluster-example-1', 'cluster-example-2', 'cluster-example-3']);
    assert.ok(p.warnings.some((w) => /replicas first.*restarts in place/.test(w)), p.warnings.join('|'));
  });

  test('the replicas budget at 0: refused, naming the budget', () => {
    const p = cnpgPreflight(cnpg(undefined, cnpgPdbs(0)), 'restart');
    assert.equal(p.ok, false);
    assert.ok(p.blockers.some((b) => /PodDisruptionBudget cluster-example allows no disruption now \(1 healthy, 1 needed\)/.test(b)), p.blockers.join('|'));
  });

  test('budgets that could not be read: a warning, not a pass in silence', () => {
    assert.ok(cnpgPreflight(cnpg(undefined, null), 'restart').warnings.some((w) => /PodDisruptionBudgets could not be read/.test(w)));
  });

  test('an unready instance or a busy operator: refused', () => {
    assert.ok(!cnpgPreflight(cnpg((r) => unready(pod(r, 'cluster-example-2'))), 'restart').ok);
    const busy = cnpgPreflight(cnpg((r) => Object.assign(r.res.status as object, { phase: 'Upgrading cluster', phaseReason: 'Restarting' })), 'restart');
    assert.ok(busy.blockers.some((b) => b.includes('"Upgrading cluster" (Restarting)')));
  });

  test('supervised primary updates are said', () => {
    const p = cnpgPreflight(cnpg((r) => Object.assign(r.res.spec as object, { primaryUpdateStrategy: 'supervised', primaryUpdateMethod: 'switchover' })), 'restart');
    assert.ok(p.warnings.some((w) => /supervised/.test(w)) && p.warnings.some((w) => /hands over/.test(w)));
  });
});

describe('CloudNativePG fencing', () => {
  test('on: one instance, every instance, one already fenced', () => {
    const one = cnpgPreflight(cnpg(), 'fence', { instance: '2' });
    assert.ok(one.ok && one.target === 'cluster-example-2' && one.candidates.length === 1);
    const all = cnpgPreflight(cnpg(), 'fence');
    assert.ok(all.ok && all.target === '*' && all.candidates.length === 3 && all.warnings.some((w) => /serves nothing/.test(w)));
    const primary = cnpgPreflight(cnpg(), 'fence', { instance: 'cluster-example-1' });
    assert.ok(primary.warnings.some((w) => /does not fail over a fenced primary/.test(w)));
    const again = cnpgPreflight(cnpg((r) => annotate(r, 'cnpg.io/fencedInstances', '["cluster-example-2"]')), 'fence', { instance: 'cluster-example-2' });
    assert.ok(!again.ok && again.blockers.includes('cluster-example-2 is already fenced'));
  });

  test('off: nothing fenced, one of an all-fenced cluster, an invalid annotation', () => {
    assert.ok(cnpgPreflight(cnpg(), 'unfence', { instance: '2' }).blockers.includes('no instance is fenced'));
    const all = cnpg((r) => annotate(r, 'cnpg.io/fencedInstances', '["*"]'));
    assert.ok(cnpgPreflight(all, 'unfence', { instance: '2' }).blockers.some((b) => /only as a whole/.test(b)));
    assert.equal(cnpgPreflight(all, 'unfence').ok, true);
    const bad = cnpgPreflight(cnpg((r) => annotate(r, 'cnpg.io/fencedInstances', 'cluster-example-2')), 'unfence');
    assert.ok(!bad.ok && bad.blockers.some((b) => /not a JSON list/.test(b)));
  });
});

describe('Crunchy switchover', () => {
  test('to a named instance, by pod or by instance name', () => {
    for (const name of ['hippo-instance1-q2kz-0', 'hippo-instance1-q2kz']) {
      const p = crunchySwitchoverPreflight(crunchy(), { instance: name });
      assert.equal(p.ok, true, JSON.stringify(p.blockers));
      assert.equal(p.target, 'hippo-instance1-q2kz-0');
      assert.equal(p.primary, 'hippo-instance1-8xvd-0');
      assert.ok(verdict(p, 'hippo-instance1-q2kz-0').notes.includes('instance hippo-instance1-q2kz'));
      assert.ok(verdict(p, 'hippo-instance1-q2kz-0').notes.includes('in zone-c'));
    }
  });

  test('no target: Patroni chooses, said as a warning; a failover needs one', () => {
    const p = crunchySwitchoverPreflight(crunchy());
    assert.ok(p.ok && p.warnings.some((w) => /Patroni chooses among hippo-instance1-q2kz-0/.test(w)));
    const f = crunchySwitchoverPreflight(crunchy(), { type: 'Failover' });
    assert.equal(f.action, 'failover');
    assert.ok(!f.ok && f.blockers.includes('PGO requires a target instance for a failover'));
  });

  test('the primary as target, a switchover still in flight, paused, shut down: refused', () => {
    assert.ok(crunchySwitchoverPreflight(crunchy(), { instance: 'hippo-instance1-8xvd' }).blockers.some((b) => /already the primary/.test(b)));
    const inflight = crunchy((r) => {
      (r.res.spec as Record<string, unknown>).patroni = { switchover: { enabled: true } };
      annotate(r, 'postgres-operator.crunchydata.com/trigger-switchover', 'Fri Apr 25 21:00:00 UTC 2025');
    });
    assert.ok(crunchySwitchoverPreflight(inflight).blockers.some((b) => /"Fri Apr 25 21:00:00 UTC 2025" has not completed/.test(b)));
    assert.ok(crunchySwitchoverPreflight(crunchy((r) => Object.assign(r.res.spec as object, { paused: true }))).blockers.some((b) => /spec.paused/.test(b)));
    assert.ok(crunchySwitchoverPreflight(crunchy((r) => Object.assign(r.res.spec as object, { shutdown: true }))).blockers.some((b) => /shut down/.test(b)));
  });

  test('an unready replica is no candidate', () => {
    const p = crunchySwitchoverPreflight(crunchy((r) => unready(pod(r, 'hippo-instance1-q2kz-0'))), { instance: 'hippo-instance1-q2kz' });
    assert.ok(!p.ok && verdict(p, 'hippo-instance1-q2kz-0').reasons.some((x) => /not ready/.test(x)));
  });
});

describe('every pre-flight on a state it cannot use', () => {
  test('unreadable, or another operator: refused, no crash', () => {
    const zalando = recorded('zalando.json', 'postgresql');
    const other = zalandoState(zalando.res, zalando.pods, ctx);
    for (const s of [UNREADABLE, other]) {
      const all = [cnpgPreflight(s, 'promote', { instance: '2' }), cnpgPreflight(s, 'restart'), cnpgPreflight(s, 'fence'), cnpgPreflight(s, 'unfence'), crunchySwitchoverPreflight(s)];
      for (const p of all) assert.ok(!p.ok && p.blockers.length === 1, JSON.stringify(p));
    }
    assert.match(cnpgPreflight(UNREADABLE, 'restart').blockers[0], /could not be read: connection refused/);
    assert.match(crunchySwitchoverPreflight(other).blockers[0], /not a Crunchy PGO cluster \(Zalando\)/);
  });
});

describe('patch bodies', () => {
  const at = new Date('2025-04-26T08:15:30.123Z');

  test('promote: the status fields the plugin sets, the Ready condition, the resourceVersion', () => {
    const { res } = recorded('cnpg.json', 'Cluster');
    res.metadata = { ...res.metadata, resourceVersion: '4242' };
    const body = cnpgPromotePatch(res, 'cluster-example-2', at) as { status: { conditions: Array<Record<string, string>> } };
    const conditions = structuredClone((res.status as { conditions: Array<Record<string, string>> }).conditions);
    conditions[0] = { ...conditions[0], status: 'False', reason: 'ClusterIsNotReady', message: 'Cluster Is Not Ready', lastTransitionTime: '2025-04-26T08:15:30Z' };
    assert.deepEqual(body, {
      metadata: { resourceVersion: '4242' },
      status: { conditions, phase: 'Switchover in progress', phaseReason: 'Switching over to cluster-example-2', targetPrimary: 'cluster-example-2', targetPrimaryTimestamp: '2025-04-26T08:15:30.123000Z' },
    });
  });

  test('restart and fencing annotations', () => {
    assert.deepEqual(cnpgRestartPatch(at), { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-04-26T08:15:30Z' } } });
    const { res } = recorded('cnpg.json', 'Cluster');
    assert.deepEqual(cnpgFencingPatch(res, true, 'cluster-example-3'), { metadata: { annotations: { 'cnpg.io/fencedInstances': '["cluster-example-3"]' } } });
    res.metadata = { ...res.metadata, annotations: { 'cnpg.io/fencedInstances': '["cluster-example-3"]' } };
    assert.deepEqual(cnpgFencingPatch(res, true, 'cluster-example-2'), { metadata: { annotations: { 'cnpg.io/fencedInstances': '["cluster-example-2","cluster-example-3"]' } } });
    assert.deepEqual(cnpgFencingPatch(res, false, 'cluster-example-3'), { metadata: { annotations: { 'cnpg.io/fencedInstances': null } } });
    assert.equal(cnpgFencingPatch(res, true, 'cluster-example-3'), undefined);
    assert.deepEqual(cnpgFencingPatch(res, true, '*'), { metadata: { annotations: { 'cnpg.io/fencedInstances': '["*"]' } } });
    res.metadata.annotations = { 'cnpg.io/fencedInstances': '["*"]' };
    assert.throws(() => cnpgFencingPatch(res, false, 'cluster-example-3'), /whole cluster is fenced/);
  });

  test('Crunchy: enabled, target and trigger in one merge patch; a stale target or type cleared', () => {
    const { res } = recorded('crunchy.json', 'PostgresCluster');
    const trigger = newTrigger(res, at);
    assert.equal(trigger, '2025-04-26T08:15:30.123Z');
    assert.deepEqual(crunchySwitchoverPatch(res, 'hippo-instance1-q2kz', 'Switchover', trigger), {
      metadata: { annotations: { 'postgres-operator.crunchydata.com/trigger-switchover': trigger } },
      spec: { patroni: { switchover: { enabled: true, targetInstance: 'hippo-instance1-q2kz' } } },
    });
    (res.spec as Record<string, unknown>).patroni = { switchover: { enabled: true, targetInstance: 'hippo-instance1-8xvd', type: 'Failover' } };
    res.metadata = { ...res.metadata, annotations: { 'postgres-operator.crunchydata.com/trigger-switchover': trigger } };
    assert.deepEqual((crunchySwitchoverPatch(res, undefined, 'Switchover', 'x') as { spec: unknown }).spec, { patroni: { switchover: { enabled: true, targetInstance: null, type: null } } });
    assert.notEqual(newTrigger(res, at), trigger, 'a trigger already used is not reused');
  });
});

describe('facts and addresses', () => {
  test('label selectors as policy/v1 reads them', () => {
    const labels = { 'cnpg.io/cluster': 'a', 'cnpg.io/instanceRole': 'replica' };
    assert.ok(selects({ matchLabels: { 'cnpg.io/cluster': 'a' } }, labels));
    assert.ok(selects({ matchExpressions: [{ key: 'cnpg.io/instanceRole', operator: 'In', values: ['replica'] }] }, labels));
    assert.ok(!selects({ matchExpressions: [{ key: 'cnpg.io/instanceRole', operator: 'NotIn', values: ['replica'] }] }, labels));
    assert.ok(!selects({ matchExpressions: [{ key: 'x', operator: 'Exists' }] }, labels));
    assert.ok(selects({ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, labels));
    assert.deepEqual(parseFenced('["b","a","a"]'), ['a', 'b']);
    assert.equal(parseFenced('{"a":1}'), 'invalid');
  });

  test('Zalando: each Spilo pod as a Patroni member, primary first, with the api_url Patroni published on it', () => {
    const z = recorded('zalando.json', 'postgresql');
    assert.deepEqual(zalandoPatroniPods(zalandoState(z.res, z.pods, ctx)), [
      { member: 'acid-minimal-cluster-0', apiUrl: 'http://10.244.1.14:8008/patroni' },
      { member: 'acid-minimal-cluster-1', apiUrl: 'http://10.244.2.15:8008/patroni' },
    ]);
    delete pod(z, 'acid-minimal-cluster-1').metadata.annotations;
    assert.deepEqual(zalandoPatroniPods(zalandoState(z.res, z.pods, ctx))[1], { member: 'acid-minimal-cluster-1' });
    assert.deepEqual(zalandoPatroniPods(UNREADABLE), []);
  });
});
