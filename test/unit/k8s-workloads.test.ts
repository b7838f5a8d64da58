import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../server/src/core';
import { haWorkload, scaled, selectorOf, selects } from '../../server/src/core/checks/kubernetes/workloads/helpers';
import { systemOf } from '../../server/src/core/checks/kubernetes/workloads/systems';
import { parseKubernetes } from '../../server/src/core/documents/yaml/kubernetes';
import type { LabelSelector, PdbFact, WorkloadFact } from '../../server/src/core/types';
import { dedent, diagnose, engine, expectDiag, expectNoDiag } from '../helpers/engine';
import { rng } from '../helpers/random';

const M = 'manifest.yaml';

/** A workload whose pod spec lines (after `spec:` of the template, at 6 spaces) are `podSpec`. */
function workload(opts: { kind?: string; replicas?: number; labels?: string; podSpec: string; extra?: string }): string {
  const labels = opts.labels ?? 'app: db';
  return [
    'apiVersion: apps/v1',
    `kind: ${opts.kind ?? 'StatefulSet'}`,
    'metadata:',
    '  name: db',
    'spec:',
    ...(opts.replicas === undefined ? [] : [`  replicas: ${opts.replicas}`]),
    '  selector:',
    '    matchLabels:',
    `      ${labels.split('\n')[0]}`,
    '  template:',
    '    metadata:',
    '      labels:',
    ...labels.split('\n').map((l) => `        ${l}`),
    '    spec:',
    ...dedent(opts.podSpec).trimEnd().split('\n').map((l) => `      ${l}`),
    '',
  ].join('\n') + (opts.extra ?? '');
}

const PLAIN = 'containers:\n  - name: web\n    image: nginx:1.25\n';
const ANTI = (selector: string, key = 'kubernetes.io/hostname') =>
  `affinity:\n  podAntiAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector:\n${selector.split('\n').map((l) => `          ${l}`).join('\n')}\n        topologyKey: ${key}\n${PLAIN}`;
const PDB = (sel = 'app: db', body = 'maxUnavailable: 1') => `---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: db\nspec:\n  ${body}\n  selector:\n    matchLabels:\n      ${sel}\n`;

test('selector evaluation: matchLabels and every matchExpressions operator', () => {
  const pod = { app: 'db', tier: 'data' };
  assert.equal(selects(undefined, pod), false);
  assert.equal(selects({}, pod), true);
  assert.equal(selects({ matchLabels: { app: 'db' } }, pod), true);
  assert.equal(selects({ matchLabels: { app: 'db', tier: 'web' } }, pod), false);
  assert.equal(selects({ matchExpressions: [{ key: 'app', operator: 'In', values: ['x', 'db'] }] }, pod), true);
  assert.equal(selects({ matchExpressions: [{ key: 'app', operator: 'In', values: ['x'] }] }, pod), false);
  assert.equal(selects({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, pod), false);
  assert.equal(selects({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['x'] }] }, pod), true);
  assert.equal(selects({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] }, pod), false);
  assert.equal(selects({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['db'] }] }, pod), true);
  assert.equal(selects({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, pod), true);
  assert.equal(selects({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, pod), false);
  assert.equal(selects({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, pod), true);
  assert.equal(selects({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, pod), false);
  assert.equal(selects({ matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, pod), false);
  assert.deepEqual(selectorOf({ matchLabels: { n: 1 } }), { matchLabels: { n: '1' } });
});

test('scaled: percentages round up like the disruption controller', () => {
  assert.equal(scaled('67%', 3), 3);
  assert.equal(scaled('50%', 3), 2);
  assert.equal(scaled(2, 3), 2);
  assert.equal(scaled('2', 3), 2);
  assert.equal(scaled('x', 3), undefined);
});

test('system detection by image, port, label and env', () => {
  const sys = (podSpec: string, labels?: string) => {
    const d = parseKubernetes({ uri: 'file:///m.yaml', text: workload({ replicas: 3, podSpec, labels }), kind: 'kubernetes' }, DEFAULT_SETTINGS).documents[0];
    return systemOf(haWorkload(d)!);
  };
  assert.deepEqual(sys('containers:\n  - name: e\n    image: quay.io/coreos/etcd:v3.5.9\n'), { name: 'etcd', quorum: true });
  assert.deepEqual(sys('containers:\n  - name: z\n    image: example/zk-server\n    ports:\n      - containerPort: 2181\n'), { name: 'ZooKeeper', quorum: true });
  assert.deepEqual(sys(PLAIN, 'app: consul'), { name: 'Consul', quorum: true });
  assert.deepEqual(sys('containers:\n  - name: s\n    image: redis:7\n    ports:\n      - containerPort: 26379\n'), { name: 'Redis Sentinel', quorum: true });
  assert.deepEqual(sys('containers:\n  - name: p\n    image: example/pg\n    env:\n      - name: PATRONI_SCOPE\n        value: x\n'), { name: 'Patroni', quorum: false });
  assert.deepEqual(sys('containers:\n  - name: p\n    image: ghcr.io/zalando/spilo-16:3.2\n    env:\n      - name: PATRONI_RAFT_PARTNER_ADDRS\n        value: x\n'), { name: 'Patroni (Raft)', quorum: true });
  assert.equal(sys(PLAIN), undefined);
});

test('anti-affinity-missing: 3 replicas without anti-affinity or spread', () => {
  expectDiag(M, workload({ replicas: 3, podSpec: PLAIN }), 'kubernetes/anti-affinity-missing', 3);
});

test('anti-affinity-missing: quiet with anti-affinity, a hostname/zone spread, 1 replica or no replicas', () => {
  expectNoDiag(M, workload({ replicas: 3, podSpec: ANTI('matchLabels:\n  app: db') }), 'kubernetes/anti-affinity-missing');
  const spread = `topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: topology.kubernetes.io/zone\n    whenUnsatisfiable: ScheduleAnyway\n    labelSelector:\n      matchLabels:\n        app: db\n${PLAIN}`;
  expectNoDiag(M, workload({ replicas: 3, podSpec: spread }), 'kubernetes/anti-affinity-missing');
  expectNoDiag(M, workload({ replicas: 1, podSpec: PLAIN }), 'kubernetes/anti-affinity-missing');
  expectNoDiag(M, workload({ kind: 'Deployment', podSpec: PLAIN }), 'kubernetes/anti-affinity-missing');
});

test('anti-affinity-missing: a spread on another key does not count', () => {
  const rack = `topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: example.com/rack\n    whenUnsatisfiable: DoNotSchedule\n    labelSelector:\n      matchLabels:\n        app: db\n${PLAIN}`;
  expectDiag(M, workload({ replicas: 2, kind: 'Deployment', podSpec: rack }), 'kubernetes/anti-affinity-missing', 3);
});

test('anti-affinity-selector: a selector that misses the pod labels (line of labelSelector)', () => {
  // Lines: 0-13 header, 14 affinity, 15 podAntiAffinity, 16 required, 17 - labelSelector
  expectDiag(M, workload({ replicas: 3, podSpec: ANTI('matchLabels:\n  app: dbb') }), 'kubernetes/anti-affinity-selector', 17);
  expectDiag(M, workload({ replicas: 3, podSpec: ANTI('matchExpressions:\n  - key: app\n    operator: NotIn\n    values: [db]') }), 'kubernetes/anti-affinity-selector', 17);
});

test('anti-affinity-selector: a matching selector (labels or expressions) is quiet', () => {
  expectNoDiag(M, workload({ replicas: 3, podSpec: ANTI('matchLabels:\n  app: db') }), 'kubernetes/anti-affinity-selector');
  expectNoDiag(M, workload({ replicas: 3, podSpec: ANTI('matchExpressions:\n  - key: app\n    operator: In\n    values: [x, db]') }), 'kubernetes/anti-affinity-selector');
});

test('anti-affinity-selector: a term aimed at another app is fine beside one that spreads the workload itself', () => {
  const two = (other: boolean) =>
    `affinity:\n  podAntiAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n${other ? '' : '      - labelSelector:\n          matchLabels:\n            app: db\n        topologyKey: kubernetes.io/hostname\n'}      - labelSelector:\n          matchLabels:\n            app: cache\n        topologyKey: kubernetes.io/hostname\n${PLAIN}`;
  expectNoDiag(M, workload({ replicas: 3, podSpec: two(false) }), 'kubernetes/anti-affinity-selector');
  // Only the other app's term: nothing keeps the replicas apart.
  expectDiag(M, workload({ replicas: 3, podSpec: two(true) }), 'kubernetes/anti-affinity-selector', 17);
});

test('anti-affinity-missing: an empty podAntiAffinity gets no fix that would repeat the key', () => {
  const uri = 'file:///t/empty-anti/manifest.yaml';
  const text = workload({ replicas: 3, podSpec: `affinity:\n  podAntiAffinity: {}\n${PLAIN}` });
  const diag = engine.validate({ uri, text }).find((d) => d.code === 'kubernetes/anti-affinity-missing');
  assert.ok(diag);
  const titles = engine.codeActions({ uri, text }, diag.range).filter((a) => a.diagnostic.code === diag.code).map((a) => a.title);
  engine.forget(uri);
  engine.removeWorkspaceFile(uri);
  assert.deepEqual(titles, ['Add a topologySpreadConstraint on topology.kubernetes.io/zone']);
});

test('topology-key: a prefixed custom label is reported without a guessed fix', () => {
  const uri = 'file:///t/rack/manifest.yaml';
  const text = workload({ replicas: 3, podSpec: ANTI('matchLabels:\n  app: db', 'example.com/zone') });
  const diag = engine.validate({ uri, text }).find((d) => d.code === 'kubernetes/topology-key');
  assert.ok(diag);
  assert.equal(diag.range.start.line, 20);
  assert.equal(engine.codeActions({ uri, text }, diag.range).filter((a) => a.diagnostic.code === diag.code).length, 0);
  engine.forget(uri);
  engine.removeWorkspaceFile(uri);
});

test('anti-affinity-selector: a spread constraint without labelSelector', () => {
  const spread = `topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: kubernetes.io/hostname\n    whenUnsatisfiable: DoNotSchedule\n${PLAIN}`;
  // 14 topologySpreadConstraints, 15 - maxSkew, 16 topologyKey
  expectDiag(M, workload({ replicas: 3, podSpec: spread }), 'kubernetes/anti-affinity-selector', 16);
});

const ETCD = 'containers:\n  - name: etcd\n    image: quay.io/coreos/etcd:v3.5.9\n';
const PREFERRED = (containers: string) =>
  `affinity:\n  podAntiAffinity:\n    preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: 100\n        podAffinityTerm:\n          labelSelector:\n            matchLabels:\n              app: db\n          topologyKey: kubernetes.io/hostname\n${containers}`;

test('anti-affinity-preferred: soft anti-affinity on etcd', () => {
  expectDiag(M, workload({ replicas: 3, podSpec: PREFERRED(ETCD) }), 'kubernetes/anti-affinity-preferred', 16);
});

test('anti-affinity-preferred: quiet for stateless pods and with required terms', () => {
  expectNoDiag(M, workload({ replicas: 3, podSpec: PREFERRED(PLAIN) }), 'kubernetes/anti-affinity-preferred');
  expectNoDiag(M, workload({ replicas: 3, podSpec: ANTI('matchLabels:\n  app: db').replace(PLAIN, ETCD) }), 'kubernetes/anti-affinity-preferred');
});

test('topology-key: unknown key is information, with a guess for hostname typos', () => {
  const d = expectDiag(M, workload({ replicas: 3, podSpec: ANTI('matchLabels:\n  app: db', 'hostname') }), 'kubernetes/topology-key', 20);
  assert.equal(d.severity, 'information');
  expectNoDiag(M, workload({ replicas: 3, podSpec: ANTI('matchLabels:\n  app: db', 'topology.kubernetes.io/zone') }), 'kubernetes/topology-key');
});

test('topology-key-deprecated: failure-domain labels name their replacement', () => {
  const d = expectDiag(M, workload({ replicas: 3, podSpec: ANTI('matchLabels:\n  app: db', 'failure-domain.beta.kubernetes.io/zone') }), 'kubernetes/topology-key-deprecated', 20);
  assert.match(d.message, /topology\.kubernetes\.io\/zone/);
  expectNoDiag(M, workload({ replicas: 3, podSpec: ANTI('matchLabels:\n  app: db') }), 'kubernetes/topology-key-deprecated');
});

test('quorum-replicas: 2 and 4 etcd members; 3 and a stateless 2 are quiet', () => {
  expectDiag(M, workload({ replicas: 2, podSpec: ETCD }), 'kubernetes/quorum-replicas', 5);
  expectDiag(M, workload({ replicas: 4, podSpec: ETCD }), 'kubernetes/quorum-replicas', 5);
  expectNoDiag(M, workload({ replicas: 3, podSpec: ETCD }), 'kubernetes/quorum-replicas');
  expectNoDiag(M, workload({ replicas: 2, podSpec: PLAIN }), 'kubernetes/quorum-replicas');
});

test('pdb-missing: no PDB in the file; a matching PDB (same namespace) silences it', () => {
  const d = expectDiag(M, workload({ replicas: 2, podSpec: PLAIN }), 'kubernetes/pdb-missing', 3);
  assert.match(d.message, /this file only/);
  expectNoDiag(M, workload({ replicas: 2, podSpec: PLAIN, extra: PDB() }), 'kubernetes/pdb-missing');
  expectDiag(M, workload({ replicas: 2, podSpec: PLAIN, extra: PDB('app: other') }), 'kubernetes/pdb-missing', 3);
  expectDiag(M, workload({ replicas: 2, podSpec: PLAIN, extra: PDB().replace('  name: db\n', '  name: db\n  namespace: other\n') }), 'kubernetes/pdb-missing', 3);
  expectNoDiag(M, workload({ replicas: 2, podSpec: PLAIN, extra: PDB().replace('  name: db\n', '  name: db\n  namespace: default\n') }), 'kubernetes/pdb-missing');
  expectNoDiag(M, workload({ replicas: 1, podSpec: PLAIN }), 'kubernetes/pdb-missing');
});

test('pdb-missing: a PDB in another workspace file counts', () => {
  const pdbUri = 'file:///ws/pdb.yaml';
  engine.setWorkspaceFile(pdbUri, PDB().slice(4));
  try {
    const uri = 'file:///ws/sts.yaml';
    const diags = engine.validate({ uri, text: workload({ replicas: 2, podSpec: PLAIN }) });
    engine.forget(uri);
    engine.removeWorkspaceFile(uri);
    assert.ok(!diags.some((d) => d.code === 'kubernetes/pdb-missing'));
  } finally {
    engine.removeWorkspaceFile(pdbUri);
  }
});

test('pdb-selects-nothing: a selector matching no known workload; quiet when it matches', () => {
  // PDB document starts at line 17 (after the 16-line workload and ---): selector on line 24.
  expectDiag(M, workload({ replicas: 2, podSpec: PLAIN, extra: PDB('app: dbb') }), 'kubernetes/pdb-selects-nothing', 24);
  expectNoDiag(M, workload({ replicas: 2, podSpec: PLAIN, extra: PDB() }), 'kubernetes/pdb-selects-nothing');
});

test('pdb-target-unknown: a lone PDB gets information, not a warning', () => {
  const lone = PDB().slice(4);
  const d = expectDiag(M, lone, 'kubernetes/pdb-target-unknown', 6);
  assert.equal(d.severity, 'information');
  expectNoDiag(M, lone, 'kubernetes/pdb-selects-nothing');
  expectNoDiag(M, workload({ replicas: 2, podSpec: PLAIN, extra: PDB() }), 'kubernetes/pdb-target-unknown');
});

test('pdb-blocks-drain: maxUnavailable 0 and minAvailable = replicas', () => {
  expectDiag(M, PDB('app: db', 'maxUnavailable: 0').slice(4), 'kubernetes/pdb-blocks-drain', 5);
  expectDiag(M, workload({ replicas: 3, podSpec: PLAIN, extra: PDB('app: db', 'minAvailable: 3') }), 'kubernetes/pdb-blocks-drain', 23);
  expectDiag(M, workload({ replicas: 3, podSpec: PLAIN, extra: PDB('app: db', 'minAvailable: 67%') }), 'kubernetes/pdb-blocks-drain', 23);
  expectNoDiag(M, workload({ replicas: 3, podSpec: PLAIN, extra: PDB('app: db', 'minAvailable: 2') }), 'kubernetes/pdb-blocks-drain');
  expectNoDiag(M, workload({ replicas: 3, podSpec: PLAIN, extra: PDB('app: db', 'maxUnavailable: 1') }), 'kubernetes/pdb-blocks-drain');
});

test('pdb-below-quorum: minAvailable under the majority, maxUnavailable over the spare', () => {
  expectDiag(M, workload({ replicas: 5, podSpec: ETCD, extra: PDB('app: db', 'minAvailable: 2') }), 'kubernetes/pdb-below-quorum', 23);
  expectDiag(M, workload({ replicas: 5, podSpec: ETCD, extra: PDB('app: db', 'maxUnavailable: 3') }), 'kubernetes/pdb-below-quorum', 23);
  expectNoDiag(M, workload({ replicas: 5, podSpec: ETCD, extra: PDB('app: db', 'minAvailable: 3') }), 'kubernetes/pdb-below-quorum');
  expectNoDiag(M, workload({ replicas: 5, podSpec: PLAIN, extra: PDB('app: db', 'minAvailable: 2') }), 'kubernetes/pdb-below-quorum');
});

test('probes-missing: database containers without probes; probes or a non-database image are quiet', () => {
  const redis = 'containers:\n  - name: redis\n    image: redis:7\n';
  expectDiag(M, workload({ replicas: 3, podSpec: redis }), 'kubernetes/probes-missing', 15);
  const probed = `${redis}    readinessProbe:\n      tcpSocket:\n        port: 6379\n    livenessProbe:\n      tcpSocket:\n        port: 6379\n`;
  expectNoDiag(M, workload({ replicas: 3, podSpec: probed }), 'kubernetes/probes-missing');
  expectNoDiag(M, workload({ replicas: 3, podSpec: PLAIN }), 'kubernetes/probes-missing');
  expectNoDiag(M, workload({ replicas: 3, podSpec: 'containers:\n  - name: m\n    image: oliver006/redis_exporter\n' }), 'kubernetes/probes-missing');
});

test("patroni-probes: probes that bypass Patroni's REST API", () => {
  const spilo = (probes: string) => `containers:\n  - name: pg\n    image: ghcr.io/zalando/spilo-16:3.2-p2\n    ports:\n      - name: api\n        containerPort: 8008\n${probes}`;
  const bad = '    readinessProbe:\n      exec:\n        command: [pg_isready]\n    livenessProbe:\n      httpGet:\n        path: /\n        port: 8008\n';
  const diags = diagnose(M, workload({ replicas: 3, podSpec: spilo(bad) })).filter((d) => d.code === 'kubernetes/patroni-probes');
  assert.deepEqual(diags.map((d) => d.range.start.line), [20, 23]);
  const good = '    readinessProbe:\n      httpGet:\n        path: /readiness\n        port: api\n    livenessProbe:\n      httpGet:\n        path: /liveness\n        port: 8008\n';
  expectNoDiag(M, workload({ replicas: 3, podSpec: spilo(good) }), 'kubernetes/patroni-probes');
  const wrongPort = good.replace('port: api', 'port: 5432');
  expectDiag(M, workload({ replicas: 3, podSpec: spilo(wrongPort) }), 'kubernetes/patroni-probes', 20);
});

test('every workload check has docs and a stable kebab-case id', () => {
  const ids = engine.checks().filter((c) => /^kubernetes\/(anti-affinity|topology|quorum|pdb|probes|patroni-probes)/.test(c.id));
  assert.equal(ids.length, 13);
  for (const c of ids) {
    assert.match(c.id, /^kubernetes\/[a-z]+(-[a-z]+)*$/);
    assert.ok(c.summary.length > 80, c.id);
  }
});

test("each check's documented bad example triggers it and its good example does not", async () => {
  const { workloadChecks } = await import('../../server/src/core/checks/kubernetes/workloads');
  assert.equal(workloadChecks.length, 13);
  for (const c of workloadChecks) {
    assert.ok(c.docs.bad, `${c.id} has a bad example`);
    const bad = diagnose(M, c.docs.bad).map((d) => d.code);
    assert.ok(bad.includes(c.id), `${c.id}: its bad example does not trigger it (got ${bad.join(', ')})`);
    if (c.docs.good !== undefined) assert.ok(!diagnose(M, c.docs.good).some((d) => d.code === c.id), `${c.id}: its good example triggers it`);
  }
});

test('pdb-blocks-drain follows an edit of another document of the same file', () => {
  const uri = 'file:///t/edit/manifest.yaml';
  const before = workload({ replicas: 3, podSpec: PLAIN, extra: PDB('app: db', 'minAvailable: 3') });
  const has = (text: string) => engine.validate({ uri, text }).some((d) => d.code === 'kubernetes/pdb-blocks-drain');
  try {
    assert.equal(has(before), true);
    // Only the workload document changes; the PDB document's text is the same.
    assert.equal(has(before.replace('replicas: 3', 'replicas: 5')), false);
    assert.equal(has(before), true);
  } finally {
    engine.forget(uri);
    engine.removeWorkspaceFile(uri);
  }
});

test('pdb-missing follows a PDB added in another document of the same file', () => {
  const uri = 'file:///t/edit2/manifest.yaml';
  const alone = workload({ replicas: 2, podSpec: PLAIN });
  const has = (text: string) => engine.validate({ uri, text }).some((d) => d.code === 'kubernetes/pdb-missing');
  try {
    assert.equal(has(alone), true);
    assert.equal(has(alone + PDB()), false);
    assert.equal(has(alone + PDB('app: other')), true);
  } finally {
    engine.forget(uri);
    engine.removeWorkspaceFile(uri);
  }
});

test('region-scoped workload checks report the same on one document alone as on the whole file', async () => {
  const { workloadChecks } = await import('../../server/src/core/checks/kubernetes/workloads');
  const { kubernetesIncremental } = await import('../../server/src/core/documents/yaml/kubernetes-regions');
  const { kubernetesFacts } = await import('../../server/src/core/documents/yaml/kubernetes-facts');
  const text = [
    workload({ replicas: 2, podSpec: ETCD }),
    PDB('app: db', 'minAvailable: 1').slice(4),
    workload({ replicas: 3, podSpec: ANTI('matchLabels:\n  app: dbb', 'hostname') }).replace(/name: db\n/, 'name: other\n'),
    PDB('app: nothing').slice(4),
  ].join('---\n');
  const file = { uri: 'file:///t/regions/manifest.yaml', text, kind: 'kubernetes' as const };
  const model = parseKubernetes(file, DEFAULT_SETTINGS);
  const facts = kubernetesFacts(model);
  const workspace = { version: 1, fileCount: 1, pdbs: () => facts.pdbs, workloads: () => facts.workloads, crds: () => facts.crds, operatorSettings: () => facts.operatorSettings, nodeLabels: () => facts.nodeLabels };
  const run = (m: typeof model) => {
    const out: string[] = [];
    for (const c of workloadChecks.filter((x) => x.scope === 'region')) {
      c.check({ file, model: m, settings: DEFAULT_SETTINGS, workspace, report: (r) => out.push(`${c.id}@${r.start}`) });
    }
    return out.sort();
  };
  const whole = run(model);
  assert.ok(whole.length >= 5, whole.join('\n'));
  const regions = kubernetesIncremental.regions(model) ?? [];
  assert.equal(regions.length, 4);
  const pieces = regions.flatMap((r) => run(kubernetesIncremental.restrict(model, new Set([r.id])))).sort();
  assert.deepEqual(pieces, whole);
});

/** Validates `text` as `uri` while `others` (uri → text) are workspace files read from disk; cleans up after. */
function validateWith(uri: string, text: string, others: Record<string, string>) {
  for (const [u, t] of Object.entries(others)) engine.setWorkspaceFile(u, t);
  try {
    return engine.validate({ uri, text });
  } finally {
    engine.forget(uri);
    engine.removeWorkspaceFile(uri);
    for (const u of Object.keys(others)) engine.removeWorkspaceFile(u);
  }
}

test('pdb-blocks-drain: a PDB judged against the replicas of a workload in another workspace file', () => {
  const sts = { 'file:///ws/cross/apps/db-sts.yaml': workload({ replicas: 3, podSpec: PLAIN }) };
  const pdb = (body: string) => PDB('app: db', body).slice(4);
  const uri = 'file:///ws/cross/pdb.yaml';
  const d = validateWith(uri, pdb('minAvailable: 3'), sts).find((x) => x.code === 'kubernetes/pdb-blocks-drain');
  assert.ok(d, 'reported on the PDB');
  assert.equal(d.range.start.line, 5);
  assert.match(d.message, /3 replica\(s\) of StatefulSet db \(in db-sts\.yaml\)/);
  assert.ok(!validateWith(uri, pdb('minAvailable: 2'), sts).some((x) => x.code === 'kubernetes/pdb-blocks-drain'));
  // Another namespace, or a selector for other pods: not this workload's budget.
  assert.ok(!validateWith(uri, pdb('minAvailable: 3').replace('  name: db\n', '  name: db\n  namespace: other\n'), sts).some((x) => x.code === 'kubernetes/pdb-blocks-drain'));
  assert.ok(!validateWith(uri, PDB('app: web', 'minAvailable: 3').slice(4), sts).some((x) => x.code === 'kubernetes/pdb-blocks-drain'));
  // A missing replicas is 1.
  const one = { 'file:///ws/cross/apps/db-sts.yaml': workload({ podSpec: PLAIN }) };
  assert.ok(validateWith(uri, pdb('minAvailable: 1'), one).some((x) => x.code === 'kubernetes/pdb-blocks-drain'));
});

test('pdb-blocks-drain: the PDB follows a replica change in the workload file; the workload file gets nothing', () => {
  const stsUri = 'file:///ws/cross2/sts.yaml';
  const pdbUri = 'file:///ws/cross2/pdb.yaml';
  const pdbText = PDB('app: db', 'minAvailable: 3').slice(4);
  const has = () => engine.validate({ uri: pdbUri, text: pdbText }).some((d) => d.code === 'kubernetes/pdb-blocks-drain');
  try {
    engine.setWorkspaceFile(stsUri, workload({ replicas: 3, podSpec: PLAIN }));
    assert.equal(has(), true);
    assert.equal(engine.setWorkspaceFile(stsUri, workload({ replicas: 5, podSpec: PLAIN })), true);
    assert.equal(has(), false);
    // Validated itself, with the PDB known from the workspace, the StatefulSet is not blamed for the budget.
    engine.setWorkspaceFile(stsUri, workload({ replicas: 3, podSpec: PLAIN }));
    const stsDiags = engine.validate({ uri: stsUri, text: workload({ replicas: 3, podSpec: PLAIN }) });
    assert.ok(!stsDiags.some((d) => d.code === 'kubernetes/pdb-blocks-drain' || d.code === 'kubernetes/pdb-below-quorum'));
    assert.equal(has(), true);
  } finally {
    for (const u of [stsUri, pdbUri]) {
      engine.forget(u);
      engine.removeWorkspaceFile(u);
    }
  }
});

test('pdb-below-quorum: a PDB judged against a quorum system in another workspace file', () => {
  const etcd = { 'file:///ws/quorum/etcd.yaml': workload({ replicas: 5, podSpec: ETCD }) };
  const uri = 'file:///ws/quorum/etcd-pdb.yaml';
  const pdb = (body: string) => PDB('app: db', body).slice(4);
  const d = validateWith(uri, pdb('minAvailable: 2'), etcd).find((x) => x.code === 'kubernetes/pdb-below-quorum');
  assert.ok(d, 'reported on the PDB');
  assert.equal(d.range.start.line, 5);
  assert.match(d.message, /^etcd db \(in etcd\.yaml\) has 5 members and needs 3/);
  assert.ok(validateWith(uri, pdb('maxUnavailable: 3'), etcd).some((x) => x.code === 'kubernetes/pdb-below-quorum'));
  assert.ok(!validateWith(uri, pdb('minAvailable: 3'), etcd).some((x) => x.code === 'kubernetes/pdb-below-quorum'));
  // Not a quorum system: any budget keeps it running.
  const web = { 'file:///ws/quorum/etcd.yaml': workload({ replicas: 5, podSpec: PLAIN }) };
  assert.ok(!validateWith(uri, pdb('minAvailable: 2'), web).some((x) => x.code === 'kubernetes/pdb-below-quorum'));
  // The quick fix edits the PDB.
  const actions = (() => {
    for (const [u, t] of Object.entries(etcd)) engine.setWorkspaceFile(u, t);
    try {
      const text = pdb('minAvailable: 2');
      return engine.codeActions({ uri, text }, d.range).filter((a) => a.diagnostic.code === 'kubernetes/pdb-below-quorum');
    } finally {
      engine.forget(uri);
      engine.removeWorkspaceFile(uri);
      for (const u of Object.keys(etcd)) engine.removeWorkspaceFile(u);
    }
  })();
  assert.deepEqual(actions.map((a) => [a.title, a.edits.map((e) => e.newText)]), [['Set minAvailable to 3', ['3']]]);
});

const NODE_KEY = 'example.com/rack';
const RACK_SPREAD = workload({ replicas: 3, podSpec: ANTI('matchLabels:\n  app: db', NODE_KEY) });

test('topology-key: a custom key no file defines is reported, and the message says so', () => {
  const uri = 'file:///ws/topo0/db.yaml';
  const other = { 'file:///ws/topo0/svc.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      nodeSelector:\n        example.com/pool: web\n' };
  const d = validateWith(uri, RACK_SPREAD, other).find((x) => x.code === 'kubernetes/topology-key');
  assert.ok(d);
  assert.equal(d.range.start.line, 20);
  assert.match(d.message, /"example\.com\/rack" is not a well-known node label, and no Node label, nodeSelector, node affinity or kubelet --node-labels in the 2 manifest files known in the workspace defines it/);
  const alone = expectDiag(M, RACK_SPREAD, 'kubernetes/topology-key', 20);
  assert.match(alone.message, /in this file \(the only manifest known/);
});

test('topology-key: a custom key is accepted when the workspace defines it on nodes or schedules on it', () => {
  const uri = 'file:///ws/topo1/db.yaml';
  const quiet = (name: string, text: string) =>
    assert.ok(!validateWith(uri, RACK_SPREAD, { [`file:///ws/topo1/${name}`]: text }).some((x) => x.code === 'kubernetes/topology-key'), name);
  quiet('node.yaml', `apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels:\n    ${NODE_KEY}: r1\n`);
  quiet('selector.yaml', `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeSelector:\n    ${NODE_KEY}: r1\n  containers:\n    - name: c\n      image: busybox\n`);
  quiet(
    'affinity.yaml',
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n              - matchExpressions:\n                  - key: ${NODE_KEY}\n                    operator: Exists\n`,
  );
  quiet('kubelet.yaml', `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      containers:\n        - name: kubelet\n          image: kubelet\n          args: ["--node-labels=${NODE_KEY}=r1,example.com/pool=db"]\n`);
  quiet('kubeadm.yaml', `apiVersion: kubeadm.k8s.io/v1beta3\nkind: JoinConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n    node-labels: "${NODE_KEY}=r2"\n`);
  quiet('kubeadm-v1beta4.yaml', `apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n    - name: node-labels\n      value: ${NODE_KEY}=r3\n`);
  quiet('kind.yaml', `apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes:\n  - role: worker\n    labels:\n      ${NODE_KEY}: r1\n`);
  quiet(
    'kind-patch.yaml',
    `apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes:\n  - role: worker\n    kubeadmConfigPatches:\n      - |\n        kind: JoinConfiguration\n        nodeRegistration:\n          kubeletExtraArgs:\n            node-labels: "${NODE_KEY}=r1"\n`,
  );
  // The same file counts too.
  expectNoDiag(M, `${RACK_SPREAD}---\napiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels:\n    ${NODE_KEY}: r1\n`, 'kubernetes/topology-key');
  // Pod labels are not node labels.
  const podLabel = workload({ replicas: 3, labels: `app: db\n${NODE_KEY}: r1`, podSpec: ANTI('matchLabels:\n  app: db', NODE_KEY) });
  expectDiag(M, podLabel, 'kubernetes/topology-key', 21);
});

/** An array whose item reads are counted. */
function countingList<T>(list: T[], counter: { reads: number }): T[] {
  return new Proxy(list, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) counter.reads++;
      return Reflect.get(target, prop, receiver);
    },
  });
}

test('budgets and workloads are matched through an index: the work grows with their number, not its square', async () => {
  const { workloadChecks } = await import('../../server/src/core/checks/kubernetes/workloads');
  const { kubernetesFacts } = await import('../../server/src/core/documents/yaml/kubernetes-facts');
  for (const n of [300, 600]) {
    const docs: string[] = [];
    for (let i = 0; i < n; i++) {
      const ns = `ns${i % 5}`;
      docs.push(`apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db${i}\n  namespace: ${ns}\nspec:\n  replicas: 3\n  template:\n    metadata:\n      labels:\n        app: db${i}\n        tier: db\n    spec:\n      containers:\n        - name: db\n          image: postgres\n`);
      docs.push(`apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: db${i}\n  namespace: ${ns}\nspec:\n  minAvailable: ${i % 3 === 0 ? 3 : 2}\n  selector:\n    matchLabels:\n      tier: db\n      app: db${i}\n`);
    }
    const file = { uri: 'file:///t/index/manifest.yaml', text: docs.join('---\n'), kind: 'kubernetes' as const };
    const model = parseKubernetes(file, DEFAULT_SETTINGS);
    const facts = kubernetesFacts(model);
    const counter = { reads: 0 };
    const pdbs = countingList(facts.pdbs, counter);
    const workloads = countingList(facts.workloads, counter);
    const workspace = { version: 1, fileCount: 2, pdbs: () => pdbs, workloads: () => workloads, crds: () => facts.crds, operatorSettings: () => facts.operatorSettings, nodeLabels: () => facts.nodeLabels };
    const reported = new Map<string, number>();
    for (const c of workloadChecks.filter((x) => x.id.includes('pdb'))) {
      c.check({ file, model, settings: DEFAULT_SETTINGS, workspace, report: () => reported.set(c.id, (reported.get(c.id) ?? 0) + 1) });
    }
    // Every workload has its budget; a third of the budgets allow no eviction of their 3 replicas.
    assert.deepEqual(Object.fromEntries(reported), { 'kubernetes/pdb-blocks-drain': n / 3 });
    assert.ok(counter.reads <= 10 * n, `${counter.reads} reads of ${2 * n} facts`);
  }
});

test('the selector index answers as comparing every budget with every workload does, on random labels and selectors', async () => {
  const { pdbIndex, workloadIndex } = await import('../../server/src/core/checks/kubernetes/workloads/selector-index');
  const { sameNamespace } = await import('../../server/src/core/checks/kubernetes/workloads/helpers');
  const rand = rng(7);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const keys = ['app', 'tier', 'role', 'zone'];
  const values = ['a', 'b', 'c'];
  const namespaces = [undefined, 'default', 'db'];
  const labels = (): Record<string, string> => Object.fromEntries(keys.filter(() => rand() < 0.6).map((k) => [k, pick(values)]));
  const selector = (): LabelSelector | undefined => {
    if (rand() < 0.1) return undefined;
    const s: LabelSelector = {};
    if (rand() < 0.7) s.matchLabels = Object.fromEntries(keys.filter(() => rand() < 0.3).map((k) => [k, pick(values)]));
    if (rand() < 0.5) {
      s.matchExpressions = keys.filter(() => rand() < 0.3).map((key) => ({ key, operator: pick(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Bogus']), values: values.filter(() => rand() < 0.5) }));
    }
    return s;
  };
  for (let round = 0; round < 20; round++) {
    const workloads: WorkloadFact[] = Array.from({ length: 60 }, (_, i) => ({ uri: `file:///w${i}`, namespace: pick(namespaces), kind: 'StatefulSet', name: `w${i}`, podLabels: labels(), replicas: 3 }));
    const pdbs: PdbFact[] = Array.from({ length: 60 }, (_, i) => ({ uri: `file:///p${i}`, namespace: pick(namespaces), name: `p${i}`, selector: selector() }));
    for (const p of pdbs) {
      const brute = workloads.filter((w) => sameNamespace(w.namespace, p.namespace) && selects(p.selector, w.podLabels));
      assert.deepEqual(workloadIndex(workloads).selectedBy(p.namespace, p.selector), brute, JSON.stringify(p));
      assert.equal(workloadIndex(workloads).count(p.namespace), workloads.filter((w) => sameNamespace(w.namespace, p.namespace)).length);
    }
    for (const w of workloads) {
      const brute = pdbs.filter((p) => sameNamespace(p.namespace, w.namespace) && selects(p.selector, w.podLabels));
      assert.deepEqual(pdbIndex(pdbs).selecting(w.namespace, w.podLabels), brute, JSON.stringify(w));
    }
  }
});

test('the workspace\'s node label keys are gathered once per version of the workspace, not once per file checked', async () => {
  const { topologyKey } = await import('../../server/src/core/checks/kubernetes/workloads/topology-key');
  const text = workload({ replicas: 3, podSpec: ANTI('matchLabels:\n  app: db', 'rack') });
  const file = { uri: 'file:///t/racks/manifest.yaml', text, kind: 'kubernetes' as const };
  const model = parseKubernetes(file, DEFAULT_SETTINGS);
  const counter = { reads: 0 };
  const nodeLabels = countingList(Array.from({ length: 1000 }, (_, i) => ({ uri: `file:///t/nodes/${i}.yaml`, key: i === 999 ? 'rack' : `l${i}` })), counter);
  const workspace = { version: 1, fileCount: 2, pdbs: () => [], workloads: () => [], crds: () => [], operatorSettings: () => [], nodeLabels: () => nodeLabels };
  let reported = 0;
  // As when 100 files with such a workload are checked against the same workspace.
  for (let i = 0; i < 100; i++) topologyKey.check({ file, model, settings: DEFAULT_SETTINGS, workspace, report: () => reported++ });
  assert.equal(reported, 0, 'rack is a node label of the workspace');
  assert.ok(counter.reads <= 2 * 1000, `${counter.reads} reads of 1,000 node labels`);
});

test('an In or NotIn expression of many values is tested against many workloads reading its values once', () => {
  const counter = { reads: 0 };
  const values = countingList(Array.from({ length: 1000 }, (_, i) => `v${i}`), counter);
  const selector: LabelSelector = { matchExpressions: [{ key: 'app', operator: 'In', values }, { key: 'tier', operator: 'NotIn', values }] };
  let selected = 0;
  for (let i = 0; i < 1000; i++) if (selects(selector, { app: `v${i * 2}`, tier: 'db' })) selected++;
  assert.equal(selected, 500);
  assert.ok(counter.reads <= 2 * 1000, `${counter.reads} reads of 1,000 values`);
});
