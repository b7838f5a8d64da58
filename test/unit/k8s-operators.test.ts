import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_SETTINGS } from '../../server/src/core';
import { parseKubernetes } from '../../server/src/core/documents/yaml/kubernetes';
import type { KubernetesModel } from '../../server/src/core/documents/yaml/kubernetes';
import { kubernetesFacts } from '../../server/src/core/documents/yaml/kubernetes-facts';
import type { Check, OperatorSettingFact, Report, TextEdit, WorkspaceView } from '../../server/src/core/types';
import { dedent, diagnose, expectDiag, expectNoDiag } from '../helpers/engine';
import { test } from 'node:test';



/** Runs one check on `text` alone (its own facts as the workspace, plus `extraSettings`), keeping offsets. */
export function reportsOf(check: Check<KubernetesModel>, text: string, extraSettings: OperatorSettingFact[] = []): Report[] {
  const file = { uri: 'file:///t/manifest.yaml', text, kind: 'kubernetes' as const };
  const model = parseKubernetes(file, DEFAULT_SETTINGS);
  const facts = kubernetesFacts(model);
  const workspace: WorkspaceView = {
    version: 1,
    fileCount: extraSettings.length > 0 ? 2 : 1,
    pdbs: () => facts.pdbs,
    workloads: () => facts.workloads,
    crds: () => facts.crds,
    operatorSettings: () => [...facts.operatorSettings, ...extraSettings],
    nodeLabels: () => facts.nodeLabels,
  };
  const out: Report[] = [];
  check.check({ file, model, settings: DEFAULT_SETTINGS, workspace, report: (r) => out.push(r) });
  return out;
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i].end <= sorted[i - 1].start, 'edits overlap');
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

const values = (text: string): unknown[] => {
  const docs = parseAllDocuments(text, { version: '1.2' });
  for (const d of docs) assert.deepEqual(d.errors.map((e) => e.message), [], `the fixed text parses:\n${text}`);
  return docs.map((d) => d.toJS() as unknown);
};

/** Sets `value` at `path` inside plain parsed YAML values, creating mappings on the way. */
function setIn(root: unknown, path: Array<string | number>, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/**
 * Applies the fix titled `title` of the check's only report on `text`: the result parses, the check
 * no longer reports, and its value is the original one with only the `expect` paths set.
 */
export function checkFix(check: Check<KubernetesModel>, text: string, title: string, expect: Array<[Array<string | number>, unknown]>): string {
  const reports = reportsOf(check, text);
  assert.equal(reports.length, 1, `one ${check.id} report`);
  const fix = reports[0].fixes?.find((f) => f.title === title);
  assert.ok(fix, `fix "${title}" among ${JSON.stringify(reports[0].fixes?.map((f) => f.title))}`);
  const fixed = applyEdits(text, fix.edits);
  const want = values(text);
  for (const [path, value] of expect) setIn(want, path, value);
  assert.deepEqual(values(fixed), want, `only the intended values changed:\n${fixed}`);
  assert.equal(diagnose(M, fixed).filter((d) => d.code === check.id).length, 0, `${check.id} is gone after the fix:\n${fixed}`);
  return fixed;
}
import { cnpgAntiAffinityDisabled } from '../../server/src/core/checks/kubernetes/operators/cnpg-anti-affinity-disabled';
import { cnpgAntiAffinityPreferred } from '../../server/src/core/checks/kubernetes/operators/cnpg-anti-affinity-preferred';
import { cnpgPdbDisabled } from '../../server/src/core/checks/kubernetes/operators/cnpg-pdb-disabled';
import { cnpgSingleInstance } from '../../server/src/core/checks/kubernetes/operators/cnpg-single-instance';
import { cnpgSupervisedSingleInstance } from '../../server/src/core/checks/kubernetes/operators/cnpg-supervised-single-instance';
import { cnpgWalLogHints, postgresBoolean } from '../../server/src/core/checks/kubernetes/operators/cnpg-wal-log-hints';
import { crunchyPatroniTiming } from '../../server/src/core/checks/kubernetes/operators/crunchy-patroni-timing';
import { crunchySingleInstance } from '../../server/src/core/checks/kubernetes/operators/crunchy-single-instance';
import { operatorChecks } from '../../server/src/core/checks/kubernetes/operators';
import { otredisQuorumImpossible, otredisQuorumMinority } from '../../server/src/core/checks/kubernetes/operators/otredis-quorum';
import { otredisReplicationSize } from '../../server/src/core/checks/kubernetes/operators/otredis-replication-size';
import { otredisSentinelSize } from '../../server/src/core/checks/kubernetes/operators/otredis-sentinel-size';
import { patroniTiming } from '../../server/src/core/checks/patroni/timing-rule';
import { majority, sentinelCountProblem } from '../../server/src/core/checks/kubernetes/operators/redis-sizes';
import { spotahomeRedisReplicas } from '../../server/src/core/checks/kubernetes/operators/spotahome-redis-replicas';
import { spotahomeSentinelReplicas } from '../../server/src/core/checks/kubernetes/operators/spotahome-sentinel-replicas';
import { zalandoAntiAffinity } from '../../server/src/core/checks/kubernetes/operators/zalando';
import { zalandoPatroniTiming } from '../../server/src/core/checks/kubernetes/operators/zalando-patroni-timing';
import { zalandoSingleInstance } from '../../server/src/core/checks/kubernetes/operators/zalando-single-instance';
import { engine } from '../helpers/engine';

const M = 'manifest.yaml';
const body = (lines: string): string => dedent(lines).trimEnd().split('\n').map((l) => `  ${l}`).join('\n') + '\n';
/** A CNPG Cluster: `spec:` is line 4, the first body line is line 5. */
const cnpg = (lines: string): string => `apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n${body(lines)}`;
/** A Zalando postgresql: the first body line is line 10. */
const zalando = (lines: string): string =>
  `apiVersion: "acid.zalan.do/v1"\nkind: postgresql\nmetadata:\n  name: acid-pg\nspec:\n  teamId: acid\n  postgresql:\n    version: "16"\n  volume:\n    size: 1Gi\n${body(lines)}`;
/** A Crunchy PostgresCluster: `patroni` lines start at 6; the instance set's name is line 7 (+ patroni lines). */
const crunchy = (patroni: string, set: string, version = 'v1beta1'): string =>
  `apiVersion: postgres-operator.crunchydata.com/${version}\nkind: PostgresCluster\nmetadata:\n  name: hippo\nspec:\n  postgresVersion: 16\n${patroni ? body(patroni) : ''}  instances:\n    - name: pg\n      dataVolumeClaimSpec:\n        accessModes: [ReadWriteOnce]\n${set ? `      ${set}\n` : ''}`;
const ot = (kind: string, lines: string): string => `apiVersion: redis.redis.opstreelabs.in/v1beta2\nkind: ${kind}\nmetadata:\n  name: redis\nspec:\n${body(lines)}`;
const rf = (lines: string): string => `apiVersion: databases.spotahome.com/v1\nkind: RedisFailover\nmetadata:\n  name: redis\nspec:\n${body(lines)}`;

test('every operator check has an operator-prefixed id and a summary', () => {
  for (const c of operatorChecks) {
    assert.match(c.id, /^(cnpg|zalando|crunchy|otredis|spotahome)\/[a-z0-9-]+$/);
    assert.ok(c.docs.summary.length > 80, c.id);
    assert.ok(c.docs.bad && c.docs.good, c.id);
  }
});

test("every check's documented bad example triggers it and its good example does not", () => {
  for (const c of operatorChecks) {
    const bad = diagnose(M, c.docs.bad!).filter((d) => d.code === c.id);
    assert.ok(bad.length > 0, `${c.id}: bad example triggers it`);
    assert.equal(diagnose(M, c.docs.good!).filter((d) => d.code === c.id).length, 0, `${c.id}: good example is clean`);
    assert.equal(bad[0].severity, c.defaultSeverity);
  }
});

// --- pure helpers -------------------------------------------------------------------------

test('patroniTiming mirrors Patroni: minimums first, then loop_wait, then retry_timeout', () => {
  assert.deepEqual(patroniTiming({}).changes, []);
  assert.deepEqual(patroniTiming({ ttl: 30, loop_wait: 10, retry_timeout: 10 }).ruleBroken, false);
  const a = patroniTiming({ retry_timeout: 15 });
  assert.equal(a.ruleBroken, true);
  // Even a one-second loop is too long for 2 × 15 within 30: loop_wait drops to 1, retry_timeout to (30 - 1) / 2.
  assert.deepEqual(a.effective, { ttl: 30, loop_wait: 1, retry_timeout: 14 });
  assert.deepEqual(a.changes, ['loop_wait 10 → 1', 'retry_timeout 15 → 14']);
  const b = patroniTiming({ ttl: 25 });
  assert.deepEqual(b.effective, { ttl: 25, loop_wait: 5, retry_timeout: 10 });
  const c = patroniTiming({ ttl: 20, retry_timeout: 12 });
  assert.deepEqual(c.effective, { ttl: 20, loop_wait: 1, retry_timeout: 9 });
  const d = patroniTiming({ ttl: 10, loop_wait: 1, retry_timeout: 3 });
  assert.deepEqual(d.effective, { ttl: 20, loop_wait: 1, retry_timeout: 3 });
  assert.deepEqual(d.changes, ['ttl 10 → 20']);
  assert.equal(d.ruleBroken, false);
  assert.deepEqual(patroniTiming({ loop_wait: 0 }).changes, ['loop_wait 0 → 1']);
});

test('postgresBoolean reads PostgreSQL booleans like the server', () => {
  for (const v of ['on', 'ON', 'true', 't', 'yes', 'y', '1', true, 1]) assert.equal(postgresBoolean(v), true, String(v));
  for (const v of ['off', 'OFF', 'of', 'false', 'f', 'no', 'n', '0', false, 0]) assert.equal(postgresBoolean(v), false, String(v));
  for (const v of ['o', '', 'maybe', 2, null]) assert.equal(postgresBoolean(v), undefined, String(v));
});

test('Sentinel counts and majorities', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map(majority), [1, 2, 2, 3, 3]);
  assert.ok(sentinelCountProblem(1));
  assert.ok(sentinelCountProblem(2));
  assert.equal(sentinelCountProblem(3), undefined);
  assert.ok(sentinelCountProblem(4));
  assert.equal(sentinelCountProblem(5), undefined);
});

test('zalandoAntiAffinity: unknown without settings; ConfigMap strings and booleans; on wins', () => {
  const s = (value: unknown, uri = 'file:///a') => ({ uri, operator: 'zalando' as const, name: 'enable_pod_antiaffinity', value });
  assert.deepEqual(zalandoAntiAffinity([]), { known: false });
  assert.deepEqual(zalandoAntiAffinity([{ ...s(true), name: 'enable_pod_disruption_budget' }]), { known: false });
  assert.deepEqual(zalandoAntiAffinity([s('false')]), { known: true, on: false, uri: 'file:///a' });
  assert.deepEqual(zalandoAntiAffinity([s(false), s('true', 'file:///b')]), { known: true, on: true, uri: 'file:///b' });
  assert.deepEqual(zalandoAntiAffinity([s(true)]), { known: true, on: true, uri: 'file:///a' });
});

// --- CloudNativePG webhook rules ------------------------------------------------------------

test('cnpg/max-sync-replicas: not lower than instances (instances default 1)', () => {
  const d = expectDiag(M, cnpg('instances: 2\nmaxSyncReplicas: 2'), 'cnpg/max-sync-replicas', 6);
  assert.equal(d.severity, 'error');
  expectDiag(M, cnpg('maxSyncReplicas: 1'), 'cnpg/max-sync-replicas', 5);
  expectNoDiag(M, cnpg('instances: 3\nminSyncReplicas: 1\nmaxSyncReplicas: 2'), 'cnpg/max-sync-replicas');
});

test('cnpg/min-sync-replicas: greater than maxSyncReplicas (default 0)', () => {
  expectDiag(M, cnpg('instances: 3\nminSyncReplicas: 1'), 'cnpg/min-sync-replicas', 6);
  expectDiag(M, cnpg('instances: 3\nminSyncReplicas: 2\nmaxSyncReplicas: 1'), 'cnpg/min-sync-replicas', 6);
  expectNoDiag(M, cnpg('instances: 3\nminSyncReplicas: 1\nmaxSyncReplicas: 1'), 'cnpg/min-sync-replicas');
});

test('cnpg/synchronous-number: number vs instances and standby names; failoverQuorum lower bound', () => {
  const sync = (n: number, extra = '', instances = 2) => cnpg(`instances: ${instances}\npostgresql:\n  synchronous:\n    method: any\n    number: ${n}\n${extra}`);
  expectDiag(M, sync(2), 'cnpg/synchronous-number', 9);
  expectNoDiag(M, sync(1), 'cnpg/synchronous-number');
  expectNoDiag(M, sync(2, '    standbyNamesPre:\n      - remote'), 'cnpg/synchronous-number');
  expectDiag(M, sync(1, '    failoverQuorum: true\n    standbyNamesPost: [a]', 3), 'cnpg/synchronous-number', 9);
  expectNoDiag(M, sync(2, '    failoverQuorum: true\n    standbyNamesPost: [a]', 3), 'cnpg/synchronous-number');
});

test('cnpg/synchronous-conflict: legacy fields with the synchronous stanza', () => {
  const text = cnpg('instances: 3\nmaxSyncReplicas: 1\npostgresql:\n  synchronous:\n    method: any\n    number: 1');
  expectDiag(M, text, 'cnpg/synchronous-conflict', 6);
  expectNoDiag(M, cnpg('instances: 3\nminSyncReplicas: 0\nmaxSyncReplicas: 0\npostgresql:\n  synchronous:\n    method: any\n    number: 1'), 'cnpg/synchronous-conflict');
  expectNoDiag(M, cnpg('instances: 3\nmaxSyncReplicas: 1'), 'cnpg/synchronous-conflict');
});

test('cnpg/supervised-single-instance: rejected with one instance; fix makes it unsupervised', () => {
  const text = cnpg('instances: 1\nprimaryUpdateStrategy: supervised');
  expectDiag(M, text, 'cnpg/supervised-single-instance', 6);
  expectNoDiag(M, cnpg('instances: 2\nprimaryUpdateStrategy: supervised'), 'cnpg/supervised-single-instance');
  checkFix(cnpgSupervisedSingleInstance, text, 'Set primaryUpdateStrategy to unsupervised', [[[0, 'spec', 'primaryUpdateStrategy'], 'unsupervised']]);
});

test('cnpg/wal-log-hints: off with instances > 1, or not a boolean; fix sets "on"', () => {
  const text = (v: string, n = 3) => cnpg(`instances: ${n}\npostgresql:\n  parameters:\n    wal_log_hints: ${v}`);
  expectDiag(M, text('"off"'), 'cnpg/wal-log-hints', 8);
  expectDiag(M, text('maybe', 1), 'cnpg/wal-log-hints', 8);
  expectNoDiag(M, text('"off"', 1), 'cnpg/wal-log-hints');
  expectNoDiag(M, text('"on"'), 'cnpg/wal-log-hints');
  expectNoDiag(M, cnpg('instances: 3'), 'cnpg/wal-log-hints');
  checkFix(cnpgWalLogHints, text("'off'"), 'Set wal_log_hints to "on"', [[[0, 'spec', 'postgresql', 'parameters', 'wal_log_hints'], 'on']]);
});

// --- CloudNativePG HA advice ---------------------------------------------------------------

test('cnpg/single-instance: written or defaulted; fix sets 3 instances', () => {
  expectDiag(M, cnpg('instances: 1'), 'cnpg/single-instance', 5);
  expectDiag(M, cnpg('storage:\n  size: 1Gi'), 'cnpg/single-instance', 3);
  expectNoDiag(M, cnpg('instances: 2'), 'cnpg/single-instance');
  expectNoDiag(M, cnpg('instances: three'), 'cnpg/single-instance');
  checkFix(cnpgSingleInstance, cnpg('instances: 1\nstorage:\n  size: 1Gi'), 'Set instances to 3', [[[0, 'spec', 'instances'], 3]]);
});

test('cnpg/anti-affinity-disabled: enablePodAntiAffinity false with 2+ instances; fix enables required', () => {
  const text = cnpg('instances: 3\naffinity:\n  enablePodAntiAffinity: false\nstorage:\n  size: 1Gi');
  expectDiag(M, text, 'cnpg/anti-affinity-disabled', 7);
  expectNoDiag(M, cnpg('instances: 1\naffinity:\n  enablePodAntiAffinity: false'), 'cnpg/anti-affinity-disabled');
  expectNoDiag(M, cnpg('instances: 3\naffinity:\n  enablePodAntiAffinity: true'), 'cnpg/anti-affinity-disabled');
  const fixed = checkFix(cnpgAntiAffinityDisabled, text, 'Enable required pod anti-affinity', [[[0, 'spec', 'affinity'], { enablePodAntiAffinity: true, podAntiAffinityType: 'required' }]]);
  assert.match(fixed, /\n {4}enablePodAntiAffinity: true\n {4}podAntiAffinityType: required\n {2}storage:/);
  // The preferred-type advice is satisfied too.
  assert.equal(diagnose(M, fixed).filter((d) => d.code === 'cnpg/anti-affinity-preferred').length, 0);
});

test('cnpg/anti-affinity-disabled fix keeps a 4-space document in 4 spaces and replaces an existing type', () => {
  const text = 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n    name: pg\nspec:\n    instances: 3\n    affinity:\n        podAntiAffinityType: preferred\n        enablePodAntiAffinity: false\n';
  const fixed = checkFix(cnpgAntiAffinityDisabled, text, 'Enable required pod anti-affinity', [[[0, 'spec', 'affinity'], { podAntiAffinityType: 'required', enablePodAntiAffinity: true }]]);
  assert.equal(fixed, text.replace('preferred', 'required').replace('false', 'true'));
});

test('cnpg/anti-affinity-preferred: default or written preferred; quiet for required, disabled, or one instance', () => {
  expectDiag(M, cnpg('instances: 3'), 'cnpg/anti-affinity-preferred', 5);
  const written = cnpg('instances: 3\naffinity:\n  podAntiAffinityType: preferred');
  const d = expectDiag(M, written, 'cnpg/anti-affinity-preferred', 7);
  assert.equal(d.severity, 'information');
  expectNoDiag(M, cnpg('instances: 3\naffinity:\n  podAntiAffinityType: required'), 'cnpg/anti-affinity-preferred');
  expectNoDiag(M, cnpg('instances: 3\naffinity:\n  enablePodAntiAffinity: false'), 'cnpg/anti-affinity-preferred');
  expectNoDiag(M, cnpg('instances: 1'), 'cnpg/anti-affinity-preferred');
  checkFix(cnpgAntiAffinityPreferred, written, 'Set podAntiAffinityType to required', [[[0, 'spec', 'affinity', 'podAntiAffinityType'], 'required']]);
  const fixed = checkFix(cnpgAntiAffinityPreferred, cnpg('instances: 3\nstorage:\n  size: 1Gi'), 'Set podAntiAffinityType to required', [[[0, 'spec', 'affinity'], { podAntiAffinityType: 'required' }]]);
  assert.match(fixed, /\n {2}affinity:\n {4}podAntiAffinityType: required\n/);
});

test('cnpg/pdb-disabled: enablePDB false with 2+ instances; fix enables it', () => {
  const text = cnpg('instances: 3\nenablePDB: false');
  expectDiag(M, text, 'cnpg/pdb-disabled', 6);
  expectNoDiag(M, cnpg('instances: 1\nenablePDB: false'), 'cnpg/pdb-disabled');
  expectNoDiag(M, cnpg('instances: 3'), 'cnpg/pdb-disabled');
  checkFix(cnpgPdbDisabled, text, 'Set enablePDB to true', [[[0, 'spec', 'enablePDB'], true]]);
});

test('cnpg/no-backup: information unless spec.backup or a plugin is configured', () => {
  const d = expectDiag(M, cnpg('instances: 3'), 'cnpg/no-backup', 3);
  assert.equal(d.severity, 'information');
  expectNoDiag(M, cnpg('instances: 3\nbackup:\n  volumeSnapshot:\n    className: snap'), 'cnpg/no-backup');
  expectNoDiag(M, cnpg('instances: 3\nplugins:\n  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true'), 'cnpg/no-backup');
});

test('rules apply per document: a Pooler or another group named Cluster is not a CNPG Cluster', () => {
  const other = 'apiVersion: example.com/v1\nkind: Cluster\nmetadata:\n  name: x\nspec:\n  instances: 1\n';
  assert.equal(diagnose(M, other).filter((d) => /^cnpg\//.test(String(d.code))).length, 0);
  const two = `${cnpg('instances: 3')}---\n${cnpg('instances: 1')}`;
  expectDiag(M, two, 'cnpg/single-instance', 12);
  assert.equal(diagnose(M, two).filter((d) => d.code === 'cnpg/single-instance').length, 1);
});

// --- Zalando ------------------------------------------------------------------------------

test('zalando/single-instance: numberOfInstances 1; fix sets 2', () => {
  const text = zalando('numberOfInstances: 1');
  expectDiag(M, text, 'zalando/single-instance', 10);
  expectNoDiag(M, zalando('numberOfInstances: 2'), 'zalando/single-instance');
  expectNoDiag(M, zalando('numberOfInstances: 0'), 'zalando/single-instance');
  checkFix(zalandoSingleInstance, text, 'Set numberOfInstances to 2', [[[0, 'spec', 'numberOfInstances'], 2]]);
});

test('zalando/patroni-timing: the Patroni rule on spec.patroni, with what Patroni runs; fix raises ttl', () => {
  const text = zalando('numberOfInstances: 2\npatroni:\n  ttl: 30\n  loop_wait: 10\n  retry_timeout: 15');
  const d = expectDiag(M, text, 'zalando/patroni-timing', 12);
  assert.match(d.message, /loop_wait 10 → 1, retry_timeout 15 → 14/);
  expectNoDiag(M, zalando('numberOfInstances: 2\npatroni:\n  ttl: 30\n  loop_wait: 10\n  retry_timeout: 10'), 'zalando/patroni-timing');
  expectNoDiag(M, zalando('numberOfInstances: 2'), 'zalando/patroni-timing');
  const low = expectDiag(M, zalando('numberOfInstances: 2\npatroni:\n  ttl: 10\n  loop_wait: 1\n  retry_timeout: 3'), 'zalando/patroni-timing', 12);
  assert.match(low.message, /ttl 10 → 20/);
  expectDiag(M, zalando('numberOfInstances: 2\npatroni:\n  loop_wait: 20'), 'zalando/patroni-timing', 12);
  checkFix(zalandoPatroniTiming, text, 'Raise ttl to 40', [[[0, 'spec', 'patroni', 'ttl'], 40]]);
  checkFix(zalandoPatroniTiming, zalando('numberOfInstances: 2\npatroni:\n  loop_wait: 20'), 'Raise ttl to 40', [[[0, 'spec', 'patroni', 'ttl'], 40]]);
});

const CONFIGMAP = (v: string) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: postgres-operator\ndata:\n  docker_image: ghcr.io/zalando/spilo-16:3.2-p3\n  enable_pod_antiaffinity: "${v}"\n`;

test('zalando/anti-affinity-off and -unknown: read the operator configuration in the same file', () => {
  const off = zalando('numberOfInstances: 3') + CONFIGMAP('false');
  const d = expectDiag(M, off, 'zalando/anti-affinity-off', 10);
  assert.equal(d.severity, 'warning');
  expectNoDiag(M, off, 'zalando/anti-affinity-unknown');
  expectNoDiag(M, zalando('numberOfInstances: 3') + CONFIGMAP('true'), 'zalando/anti-affinity-off');
  expectNoDiag(M, zalando('numberOfInstances: 1') + CONFIGMAP('false'), 'zalando/anti-affinity-off');
  const u = expectDiag(M, zalando('numberOfInstances: 3'), 'zalando/anti-affinity-unknown', 10);
  assert.equal(u.severity, 'information');
  assert.match(u.message, /enable_pod_antiaffinity/);
  expectNoDiag(M, zalando('numberOfInstances: 3'), 'zalando/anti-affinity-off');
  expectNoDiag(M, zalando('numberOfInstances: 1'), 'zalando/anti-affinity-unknown');
  // An OperatorConfiguration in the same file without the setting means its default, off.
  const silent = `${zalando('numberOfInstances: 3')}---\napiVersion: acid.zalan.do/v1\nkind: OperatorConfiguration\nmetadata:\n  name: cfg\nconfiguration:\n  kubernetes:\n    watched_namespace: '*'\n`;
  expectDiag(M, silent, 'zalando/anti-affinity-off', 10);
  expectNoDiag(M, silent, 'zalando/anti-affinity-unknown');
});

test('zalando/anti-affinity-off: an OperatorConfiguration in another workspace file counts', () => {
  const cfg = 'file:///ws-op/operator-config.yaml';
  const text = (v: boolean) => `apiVersion: acid.zalan.do/v1\nkind: OperatorConfiguration\nmetadata:\n  name: postgresql-operator-default-configuration\nconfiguration:\n  kubernetes:\n    enable_pod_antiaffinity: ${v}\n`;
  const uri = 'file:///ws-op/cluster.yaml';
  const run = () => {
    const diags = engine.validate({ uri, text: zalando('numberOfInstances: 2') });
    engine.forget(uri);
    return diags.map((d) => d.code);
  };
  try {
    engine.setWorkspaceFile(cfg, text(false));
    assert.ok(run().includes('zalando/anti-affinity-off'));
    engine.setWorkspaceFile(cfg, text(true));
    const codes = run();
    assert.ok(!codes.includes('zalando/anti-affinity-off') && !codes.includes('zalando/anti-affinity-unknown'));
  } finally {
    engine.removeWorkspaceFile(cfg);
    engine.removeWorkspaceFile(uri);
  }
});

// --- Crunchy ------------------------------------------------------------------------------

test('crunchy/single-instance: one pod in total; fix adds replicas: 2 to the set', () => {
  const text = crunchy('', '');
  expectDiag(M, text, 'crunchy/single-instance', 7);
  expectDiag(M, crunchy('', 'replicas: 1', 'v1'), 'crunchy/single-instance', 10);
  expectNoDiag(M, crunchy('', 'replicas: 2'), 'crunchy/single-instance');
  expectNoDiag(M, text + '    - name: pg2\n', 'crunchy/single-instance');
  const fixed = checkFix(crunchySingleInstance, text, 'Set replicas to 2', [[[0, 'spec', 'instances', 0, 'replicas'], 2]]);
  assert.match(fixed, /\n {6}replicas: 2\n/);
  checkFix(crunchySingleInstance, crunchy('', 'replicas: 1'), 'Set replicas to 2', [[[0, 'spec', 'instances', 0, 'replicas'], 2]]);
});

test('crunchy/sync-period: syncPeriodSeconds not below leaderLeaseDurationSeconds (default 30)', () => {
  expectDiag(M, crunchy('patroni:\n  leaderLeaseDurationSeconds: 30\n  syncPeriodSeconds: 30', 'replicas: 2'), 'crunchy/sync-period', 8);
  expectDiag(M, crunchy('patroni:\n  syncPeriodSeconds: 45', 'replicas: 2'), 'crunchy/sync-period', 7);
  expectNoDiag(M, crunchy('patroni:\n  syncPeriodSeconds: 10', 'replicas: 2'), 'crunchy/sync-period');
  // The timing rule stays quiet when sync-period already reports.
  expectNoDiag(M, crunchy('patroni:\n  syncPeriodSeconds: 45', 'replicas: 2'), 'crunchy/patroni-timing');
});

test('crunchy/patroni-timing: through the operator mapping; fix raises the lease', () => {
  const text = crunchy('patroni:\n  leaderLeaseDurationSeconds: 25', 'replicas: 2');
  const d = expectDiag(M, text, 'crunchy/patroni-timing', 7);
  assert.match(d.message, /syncPeriodSeconds \(loop_wait\) 10 → 5/);
  expectDiag(M, crunchy('patroni:\n  dynamicConfiguration:\n    retry_timeout: 15', 'replicas: 2'), 'crunchy/patroni-timing', 8);
  expectNoDiag(M, crunchy('patroni:\n  leaderLeaseDurationSeconds: 25\n  dynamicConfiguration:\n    retry_timeout: 5', 'replicas: 2'), 'crunchy/patroni-timing');
  expectNoDiag(M, crunchy('', 'replicas: 2'), 'crunchy/patroni-timing');
  checkFix(crunchyPatroniTiming, text, 'Raise leaderLeaseDurationSeconds to 30', [[[0, 'spec', 'patroni', 'leaderLeaseDurationSeconds'], 30]]);
  const t2 = crunchy('patroni:\n  dynamicConfiguration:\n    retry_timeout: 15', 'replicas: 2');
  checkFix(crunchyPatroniTiming, t2, 'Raise leaderLeaseDurationSeconds to 40', [[[0, 'spec', 'patroni', 'leaderLeaseDurationSeconds'], 40]]);
});

// --- OT redis-operator ------------------------------------------------------------------------

test('otredis/sentinel-size: below 3 or even; fix sets an odd size', () => {
  expectDiag(M, ot('RedisSentinel', 'clusterSize: 2'), 'otredis/sentinel-size', 5);
  expectDiag(M, ot('RedisSentinel', 'clusterSize: 4'), 'otredis/sentinel-size', 5);
  expectNoDiag(M, ot('RedisSentinel', 'clusterSize: 3'), 'otredis/sentinel-size');
  expectNoDiag(M, ot('RedisReplication', 'clusterSize: 2'), 'otredis/sentinel-size');
  checkFix(otredisSentinelSize, ot('RedisSentinel', 'clusterSize: 4'), 'Set clusterSize to 5', [[[0, 'spec', 'clusterSize'], 5]]);
});

test('otredis/quorum-impossible and quorum-minority: quorum against clusterSize', () => {
  const q = (size: number, quorum: string) => ot('RedisSentinel', `clusterSize: ${size}\nredisSentinelConfig:\n  redisReplicationName: redis-replication\n  quorum: "${quorum}"`);
  const e = expectDiag(M, q(3, '4'), 'otredis/quorum-impossible', 8);
  assert.equal(e.severity, 'error');
  expectNoDiag(M, q(3, '4'), 'otredis/quorum-minority');
  expectNoDiag(M, q(3, '2'), 'otredis/quorum-impossible');
  expectNoDiag(M, q(3, '3'), 'otredis/quorum-impossible');
  expectDiag(M, q(5, '2'), 'otredis/quorum-minority', 8);
  expectNoDiag(M, q(5, '3'), 'otredis/quorum-minority');
  expectNoDiag(M, ot('RedisSentinel', 'clusterSize: 3'), 'otredis/quorum-impossible');
  checkFix(otredisQuorumImpossible, q(3, '4'), 'Set quorum to 2', [[[0, 'spec', 'redisSentinelConfig', 'quorum'], '2']]);
  const fixed = checkFix(otredisQuorumMinority, q(5, '2'), 'Set quorum to 3', [[[0, 'spec', 'redisSentinelConfig', 'quorum'], '3']]);
  assert.match(fixed, /quorum: "3"/);
});

test('otredis/replication-size: clusterSize 1; fix sets 3', () => {
  expectDiag(M, ot('RedisReplication', 'clusterSize: 1'), 'otredis/replication-size', 5);
  expectNoDiag(M, ot('RedisReplication', 'clusterSize: 2'), 'otredis/replication-size');
  checkFix(otredisReplicationSize, ot('RedisReplication', 'clusterSize: 1'), 'Set clusterSize to 3', [[[0, 'spec', 'clusterSize'], 3]]);
});

// --- Spotahome ----------------------------------------------------------------------------

test('spotahome/sentinel-replicas: below 3 or even; omitted or 0 means the default 3', () => {
  const text = rf('sentinel:\n  replicas: 2\nredis:\n  replicas: 3');
  expectDiag(M, text, 'spotahome/sentinel-replicas', 6);
  expectDiag(M, rf('sentinel:\n  replicas: 4'), 'spotahome/sentinel-replicas', 6);
  expectNoDiag(M, rf('redis:\n  replicas: 3'), 'spotahome/sentinel-replicas');
  expectNoDiag(M, rf('sentinel:\n  replicas: 0'), 'spotahome/sentinel-replicas');
  checkFix(spotahomeSentinelReplicas, text, 'Set sentinel.replicas to 3', [[[0, 'spec', 'sentinel', 'replicas'], 3]]);
});

test('spotahome/redis-replicas: a single Redis pod', () => {
  const text = rf('sentinel:\n  replicas: 3\nredis:\n  replicas: 1');
  expectDiag(M, text, 'spotahome/redis-replicas', 8);
  expectNoDiag(M, rf('sentinel:\n  replicas: 3'), 'spotahome/redis-replicas');
  checkFix(spotahomeRedisReplicas, text, 'Set redis.replicas to 3', [[[0, 'spec', 'redis', 'replicas'], 3]]);
});

test('diagnostic ranges cover the offending value (offsets)', () => {
  const text = cnpg('instances: 2\nmaxSyncReplicas: 2');
  const [r] = reportsOf(operatorChecks.find((c) => c.id === 'cnpg/max-sync-replicas')!, text);
  assert.equal(text.slice(r.start, r.end), '2');
  assert.equal(text.lastIndexOf('maxSyncReplicas: 2') + 'maxSyncReplicas: '.length, r.start);
  const [z] = reportsOf(zalandoPatroniTiming, zalando('patroni:\n  ttl: 25'));
  assert.equal(zalando('patroni:\n  ttl: 25').slice(z.start, z.end), '25');
});

test('operator settings handed in from other files are read (reportsOf workspace stub)', () => {
  const setting = { uri: 'file:///x/cm.yaml', operator: 'zalando' as const, name: 'enable_pod_antiaffinity', value: 'false' };
  const off = operatorChecks.find((c) => c.id === 'zalando/anti-affinity-off')!;
  assert.equal(reportsOf(off, zalando('numberOfInstances: 2'), [setting]).length, 1);
  assert.match(reportsOf(off, zalando('numberOfInstances: 2'), [setting])[0].message, /cm\.yaml/);
  assert.equal(reportsOf(off, zalando('numberOfInstances: 2')).length, 0);
});

test('odd shapes never throw, and every fix offered on them yields valid YAML that removes its report', () => {
  const odd = [
    cnpg('instances: "three"\naffinity: [1]\nenablePDB: "false"'),
    cnpg('instances: 3\naffinity: {enablePodAntiAffinity: false}\nenablePDB: false'),
    cnpg('instances: 3\naffinity:\npostgresql:\n  parameters: {wal_log_hints: "off"}'),
    cnpg('instances: 1\nprimaryUpdateStrategy: supervised\npostgresql:\n  synchronous: {number: 5}'),
    'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n',
    'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nspec: [1, 2]\n',
    'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\n',
    zalando('numberOfInstances: 1\npatroni: {ttl: 5}'),
    zalando('numberOfInstances: 3\npatroni:\n  ttl: "x"\n  loop_wait: null'),
    crunchy('patroni: {leaderLeaseDurationSeconds: 25}', 'replicas: 1'),
    'apiVersion: postgres-operator.crunchydata.com/v1beta1\nkind: PostgresCluster\nspec:\n  instances: [{name: a}]\n',
    ot('RedisSentinel', 'clusterSize: 2\nredisSentinelConfig: {quorum: "9"}'),
    ot('RedisSentinel', 'redisSentinelConfig:\n  quorum: 1'),
    ot('RedisReplication', 'clusterSize: 0'),
    rf('sentinel: {replicas: 2}\nredis: null'),
    'apiVersion: databases.spotahome.com/v1\nkind: RedisFailover\nmetadata: {name: x}\nspec:\n  redis:\n    replicas: 1\n',
  ];
  let fixesTried = 0;
  for (const text of odd) {
    // The engine helper turns an internal error of any check into a failure.
    diagnose(M, text);
    for (const check of operatorChecks) {
      const reports = reportsOf(check, text);
      for (const r of reports) {
        for (const fix of r.fixes ?? []) {
          fixesTried++;
          const fixed = applyEdits(text, fix.edits);
          const docs = parseAllDocuments(fixed, { version: '1.2' });
          assert.deepEqual(docs.flatMap((d) => d.errors.map((e) => e.message)), [], `${check.id} "${fix.title}" on:\n${text}\ngave:\n${fixed}`);
          assert.ok(reportsOf(check, fixed).length < reports.length, `${check.id} "${fix.title}" removes its report:\n${fixed}`);
        }
      }
    }
  }
  assert.ok(fixesTried >= 8, `fixes tried: ${fixesTried}`);
});

test('zalando: only an operator watching the cluster\'s namespace decides its anti-affinity', () => {
  const cluster = (ns: string) => `apiVersion: acid.zalan.do/v1\nkind: postgresql\nmetadata:\n  name: acid-pg\n  namespace: ${ns}\nspec:\n  teamId: acid\n  numberOfInstances: 3\n  postgresql:\n    version: "16"\n  volume:\n    size: 1Gi\n`;
  const operator = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: postgres-operator\ndata:\n  docker_image: spilo\n  watched_namespace: billing\n  enable_pod_antiaffinity: "false"\n';
  expectDiag('manifest.yaml', `${cluster('billing')}---\n${operator}`, 'zalando/anti-affinity-off', 7);
  expectNoDiag('manifest.yaml', `${cluster('analytics')}---\n${operator}`, 'zalando/anti-affinity-off');
  expectDiag('manifest.yaml', `${cluster('analytics')}---\n${operator}`, 'zalando/anti-affinity-unknown', 7);
});
