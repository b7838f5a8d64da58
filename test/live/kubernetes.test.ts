// The Kubernetes provider through the real @kubernetes/client-node. No Kubernetes API server can
// run on these machines, so the client talks to a local HTTPS server that replays the API server's
// answers (test/live/kube/replay-server.ts): list and watch responses in their real shapes, built
// from the operators' documentation and examples (test/live/kube/recordings/README.md), behind
// real TLS (a CA made with openssl, written into the kubeconfig) and bearer tokens. kubectl,
// through the same kubeconfig, is the independent reader of what the server holds.
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
// Before anything loads client-node from source: give it the undici that dist/kubernetes.js bundles.
register(pathToFileURL(join(__dirname, 'kube', 'undici-7.mjs')).href);

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as KubernetesSupport from '../../live/src/kubernetes/index';
import type { ClusterState, Member } from '../../live/src/model';
import type { Provider } from '../../live/src/provider';
import { kubernetesProvider, listServedCrds } from '../../live/src/providers/kubernetes';
import { clusterStateErrors } from '../helpers/cluster-state';
import { waitFor } from './lab/processes';
import type { KubeLab } from './kube/lab';
import { changes } from './kube/changes';
import { DOWN_PORT, kubectl, kubectlMissing, kubectlRaw, secretsOf, startKubeLab } from './kube/lab';
import { readTruth } from './kube/truth';
import type { TruthCluster } from './kube/truth';

const TIMEOUT_MS = 3000;
let lab: KubeLab | undefined;
const providers: Provider[] = [];
/** Everything the provider said, checked for secrets at the end and along the way. */
const outputs: string[] = [];

function the(): KubeLab {
  if (!lab) throw new Error('the replay server did not start');
  return lab;
}

/** A provider of the lab's kubeconfig (`undefined`: the KUBECONFIG environment variable). */
function provider(context: string | undefined, extra: { namespace?: string; kubeconfig?: string | null } = {}): Provider {
  const kubeconfig = extra.kubeconfig === null ? undefined : (extra.kubeconfig ?? the().file('main.yaml'));
  const p = kubernetesProvider({ kubeconfig, context, namespace: extra.namespace });
  providers.push(p);
  return p;
}

/** Reads, checks the states against docs/cluster-state.schema.json, and keeps them for the secrets check. */
async function read(p: Provider): Promise<ClusterState[]> {
  const states = await p.read({ timeoutMs: TIMEOUT_MS });
  outputs.push(JSON.stringify(states));
  assert.deepEqual(clusterStateErrors(states), []);
  return states;
}

function assertNoSecret(text: string): void {
  for (const s of secretsOf(the())) assert.ok(!text.includes(s), `a secret appears in: ${text.slice(0, 300)}`);
}

/**
 * The provider's states agree with kubectl's view of the same clusters, member by member. A
 * context that may not list nodes knows no zones: its members' failure domain is their node.
 */
function assertMatchesTruth(states: ClusterState[], truth: TruthCluster[], zones = true): void {
  assert.deepEqual(states.map((s) => s.name).sort(), truth.map((t) => t.name).sort(), 'the same clusters');
  for (const t of truth) {
    const s = states.find((x) => x.name === t.name);
    assert.ok(s && !s.error, `${t.name} read without error`);
    assert.equal(s.details?.operator, t.operator, `${t.name} operator`);
    assert.deepEqual(s.members.map((m) => m.name).sort(), t.members.map((m) => m.name).sort(), `${t.name} members`);
    for (const tm of t.members) {
      const m: Member | undefined = s.members.find((x) => x.name === tm.name);
      assert.ok(m);
      assert.equal(m.role === 'primary' ? 'primary' : m.role === 'replica' ? 'replica' : m.role === 'sentinel' ? 'sentinel' : 'other', tm.role, `${tm.name} role`);
      assert.equal(m.health === 'ok', tm.ready, `${tm.name} ready`);
      assert.ok(m.address?.startsWith(`${tm.ip}:`), `${tm.name} address ${m.address} from pod IP ${tm.ip}`);
      assert.equal(m.failureDomain, zones ? tm.zone : tm.node, `${tm.name} failure domain`);
    }
    const primaries = t.members.filter((m) => m.role === 'primary').map((m) => m.name);
    // A Redis Cluster has a master per shard and no single leader; a Sentinel group has none.
    if (t.name.endsWith('/redis-cluster') || t.name.endsWith('/redis-sentinel')) assert.equal(s.leader, undefined);
    else if (primaries.length === 1) assert.equal(s.leader, primaries[0], `${t.name} leader`);
    assert.equal(s.details?.phase, t.phase, `${t.name} phase`);
  }
}

const CNPG = 'postgresql.cnpg.io/v1';

describe('Kubernetes provider against the replay server', { timeout: 90_000 }, () => {
  before(async () => {
    lab = await startKubeLab();
  });

  after(async () => {
    await Promise.all(providers.map((p) => p.close?.()));
    await lab?.stop();
    for (const o of outputs) assertNoSecret(o);
  });

  test('every operator cluster in every namespace, as kubectl reads them', { skip: kubectlMissing }, async () => {
    const states = await read(provider('lab'));
    assertMatchesTruth(states, await readTruth(the(), 'lab'));
    assert.deepEqual([...new Set(states.map((s) => s.details?.operator))].sort(), ['cnpg', 'crunchy', 'ot-redis', 'zalando']);
    for (const s of states) {
      assert.equal(s.kind, 'kubernetes');
      assert.equal(s.health, 'ok', `${s.name}: ${JSON.stringify(s.problems)}`);
      assert.match(s.source, /^https:\/\/127\.0\.0\.1:18600 \(context lab\)$/);
    }
  });

  test('CloudNativePG: the status fields and the timelines come through', { skip: kubectlMissing }, async () => {
    const states = await read(provider('lab', { namespace: 'db' }));
    const cnpg = states.find((s) => s.details?.operator === 'cnpg');
    const [truth] = (await readTruth(the(), 'lab', 'db')).filter((t) => t.operator === 'cnpg');
    assert.ok(cnpg && truth);
    for (const k of ['currentPrimary', 'targetPrimary', 'instances', 'readyInstances', 'phase']) assert.deepEqual(cnpg.details?.[k], truth.status[k], k);
    assert.equal(cnpg.details?.timeline, truth.status.timelineID);
    const reported = truth.status.instancesReportedState as Record<string, { timeLineID: number }>;
    for (const m of cnpg.members) assert.equal(m.timeline, reported[m.name].timeLineID, `${m.name} timeline`);
  });

  test('KUBECONFIG with two files merges as kubectl does: the first current-context, the first cluster of a name', { skip: kubectlMissing }, async () => {
    const lab = the();
    const KUBECONFIG = `${lab.file('first.yaml')}:${lab.file('second.yaml')}`;
    const view = JSON.parse(await kubectl(['config', 'view', '--minify', '-o', 'json'], { KUBECONFIG })) as {
      'current-context': string;
      contexts: Array<{ context: { namespace?: string } }>;
      clusters: Array<{ cluster: { server: string } }>;
    };
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = KUBECONFIG;
    try {
      const states = await read(provider(undefined, { kubeconfig: null }));
      const namespace = view.contexts[0].context.namespace;
      assert.equal(namespace, 'db');
      assert.equal(view['current-context'], 'team-db');
      assert.ok(states.length > 0 && states.every((s) => !s.error), JSON.stringify(states.map((s) => s.error)));
      assert.deepEqual([...new Set(states.map((s) => s.name.split('/')[0]))], [namespace]);
      for (const s of states) assert.equal(s.source, `${view.clusters[0].cluster.server} (context ${view['current-context']})`);
      assertMatchesTruth(states, await readTruth(lab, 'lab', namespace));
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });

  test('the context and the namespace: the context names one, an explicit one wins', async () => {
    const fromContext = await read(provider('lab-db'));
    assert.ok(fromContext.length > 0 && fromContext.every((s) => s.name.startsWith('db/')), fromContext.map((s) => s.name).join());
    const explicit = await read(provider('lab-db', { namespace: 'cache' }));
    assert.deepEqual(explicit.map((s) => s.name).sort(), ['cache/redis-cluster', 'cache/redis-replication', 'cache/redis-sentinel']);
    const missing = await read(provider('no-such-context'));
    assert.equal(missing.length, 1);
    assert.match(missing[0].error ?? '', /no context 'no-such-context'/);
  });

  test('a token limited to one namespace reads it, and is refused (403) elsewhere', async () => {
    const inDb = await read(provider('viewer-db'));
    assert.ok(inDb.length > 0 && inDb.every((s) => s.name.startsWith('db/') && !s.error));
    const everywhere = await read(provider('viewer-all'));
    assert.equal(everywhere.length, 1);
    assert.match(everywhere[0].error ?? '', /forbidden \(403\)/);
    assert.equal(everywhere[0].health, 'error');
  });

  test('no namespace and no right to list across them: every namespace the token may list, one by one', { skip: kubectlMissing }, async () => {
    const lab = the();
    const states = await read(provider('lister-all'));
    const truth = [...(await readTruth(lab, 'lab', 'db')), ...(await readTruth(lab, 'lab', 'cache'))];
    assertMatchesTruth(states, truth, false);
    const refused = lab.server.requests.filter((r) => r.user === 'token#2' && r.status === 403).map((r) => r.path);
    assert.ok(refused.includes('/api/v1/pods') && refused.some((p) => p.startsWith('/apis/postgresql.cnpg.io/v1/namespaces/kube-system/')), refused.join(' '));
  });

  test('a wrong token is an authentication error that does not show the token', async () => {
    const states = await read(provider('wrong-token'));
    assert.equal(states.length, 1);
    assert.match(states[0].error ?? '', /authentication failed \(401/);
    assert.ok(!JSON.stringify(states).includes(the().intruderToken));
    assertNoSecret(JSON.stringify(states));
  });

  test('the API server down is an error state, fast', async () => {
    const started = Date.now();
    const states = await read(provider('down'));
    assert.equal(states.length, 1);
    assert.equal(states[0].error, `connection refused 127.0.0.1:${DOWN_PORT}`);
    assert.ok(Date.now() - started < TIMEOUT_MS, `took ${Date.now() - started} ms`);
  });

  test('an API server that accepts but does not answer: the read ends at its deadline', async () => {
    const lab = the();
    assert.ok((await read(provider('lab-db'))).every((s) => !s.error), 'answers before the stall');
    lab.server.stall(10_000);
    try {
      const started = Date.now();
      const states = await provider('lab').read({ timeoutMs: 400 });
      outputs.push(JSON.stringify(states));
      const took = Date.now() - started;
      assert.equal(states.length, 1);
      assert.equal(states[0].error, 'timed out after 400 ms (127.0.0.1:18600)');
      assert.ok(took >= 400 && took < 2000, `took ${took} ms`);
      const crds = listServedCrds({ kubeconfig: lab.file('main.yaml'), context: 'lab', timeoutMs: 400 });
      await assert.rejects(crds, /timed out after 400 ms/);
    } finally {
      lab.server.stall(0);
    }
  });

  test('TLS is verified: a kubeconfig trusting another CA is refused', async () => {
    const states = await read(provider('untrusted'));
    assert.match(states[0].error ?? '', /^TLS: the certificate of 127\.0\.0\.1:18600 is not trusted/);
  });

  test('a client certificate authenticates; its key appears nowhere', { skip: kubectlMissing }, async () => {
    const states = await read(provider('cert', { namespace: 'cache' }));
    assertMatchesTruth(states, await readTruth(the(), 'lab', 'cache'));
    const certUser = the().server.requests.filter((r) => r.user === 'cert:lab-admin');
    assert.ok(certUser.length > 0, 'the server saw the certificate');
  });

  test('an operator that is not installed (its CRD absent: 404) is nothing, not an error', async () => {
    const lab = the();
    const crunchy = { group: 'postgres-operator.crunchydata.com', plural: 'postgresclusters' };
    lab.server.unserve(crunchy);
    try {
      const states = await read(provider('lab-db'));
      assert.ok(lab.server.requests.some((r) => r.path.endsWith('/postgresclusters') && r.status === 404), 'the server answered 404');
      assert.ok(states.length > 0);
      assert.ok(states.every((s) => !s.error && s.details?.operator !== 'crunchy'), JSON.stringify(states.map((s) => [s.name, s.error])));
    } finally {
      lab.server.serve({ ...crunchy, versions: ['v1', 'v1beta1'], kind: 'PostgresCluster', namespaced: true });
    }
  });

  test('listServedCrds returns the CRDs the cluster serves, schemas intact', { skip: kubectlMissing }, async () => {
    type Crd = { metadata: { name: string }; spec: { versions: Array<{ schema?: { openAPIV3Schema?: { properties?: Record<string, unknown> } } }> } };
    const crds = (await listServedCrds({ kubeconfig: the().file('main.yaml'), context: 'lab' })) as Crd[];
    const truth = await kubectlRaw<{ items: Crd[] }>(the(), 'lab', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    assert.deepEqual(crds.map((c) => c.metadata.name).sort(), truth.items.map((c) => c.metadata.name).sort());
    for (const c of crds) {
      assert.ok(c.spec.versions.some((v) => v.schema?.openAPIV3Schema?.properties?.spec), `${c.metadata.name} has its schema`);
      // As served, to the key: x-kubernetes-* and $ref are not renamed by a typed model.
      assert.deepEqual(c, truth.items.find((t) => t.metadata.name === c.metadata.name));
    }
    await assert.rejects(listServedCrds({ kubeconfig: the().file('main.yaml'), context: 'wrong-token' }), (err: Error) => {
      outputs.push(err.message);
      return /authentication failed \(401/.test(err.message);
    });
  });

  test('problems: two pods labelled primary, a primary not ready, fewer ready than asked, an unhealthy phase, no primary', { skip: kubectlMissing }, async () => {
    const lab = the();
    const c = changes(lab);
    try {
      c.labels('db', 'acid-minimal-cluster-1', { 'spilo-role': 'primary' }); // Patroni 4's word, beside a master
      c.status('acid.zalan.do/v1', 'postgresql', 'db', 'acid-minimal-cluster', { PostgresClusterStatus: 'SyncFailed' });
      c.ready('db', 'hippo-instance1-8xvd-0', false);
      c.status('postgres-operator.crunchydata.com/v1beta1', 'PostgresCluster', 'db', 'hippo', { instances: [{ name: 'instance1', readyReplicas: 1, replicas: 2, updatedReplicas: 2 }] });
      c.status(CNPG, 'Cluster', 'db', 'cluster-example', { readyInstances: 2, phase: 'Failing over', phaseReason: 'Failing over from cluster-example-1' });
      c.ready('db', 'cluster-example-3', false);
      c.labels('cache', 'redis-replication-0', { 'redis-role': 'slave' });
      const states = await read(provider('lab'));
      assertMatchesTruth(states, await readTruth(lab, 'lab'));
      const problems = (name: string) => states.find((s) => s.name === name)?.problems.map((p) => `${p.severity} ${p.code}`) ?? [];
      assert.deepEqual(problems('db/acid-minimal-cluster').sort(), ['error phase', 'error split-brain']);
      assert.deepEqual(problems('db/hippo'), ['error primary-not-ready', 'warning not-ready']);
      assert.deepEqual(problems('db/cluster-example').sort(), ['warning not-ready', 'warning phase']);
      assert.deepEqual(problems('cache/redis-replication'), ['error no-primary']);
      assert.deepEqual(
        states.map((s) => [s.name, s.health]).sort(),
        [
          ['cache/redis-cluster', 'ok'],
          ['cache/redis-replication', 'error'],
          ['cache/redis-sentinel', 'ok'],
          ['db/acid-minimal-cluster', 'error'],
          ['db/cluster-example', 'warning'],
          ['db/hippo', 'error'],
        ],
      );
    } finally {
      c.restore();
    }
    const healed = await read(provider('lab'));
    assert.ok(healed.every((s) => s.health === 'ok'), JSON.stringify(healed.map((s) => [s.name, s.problems])));
  });

  test('watch: an event calls changed and a re-read shows the new primary; streams reopen; stop closes them', { skip: kubectlMissing }, async () => {
    const lab = the();
    const c = changes(lab);
    const p = provider('lab-db');
    let seen = 0;
    assert.ok(p.watch);
    const stop = p.watch(() => seen++);
    const clusters = '/apis/postgresql.cnpg.io/v1/namespaces/db/clusters';
    const pods = '/api/v1/namespaces/db/pods';
    try {
      await waitFor('watches on the clusters and the pods of db', () => lab.server.openWatches(clusters) > 0 && lab.server.openWatches(pods) > 0, 10_000, 20);
      assert.equal(seen, 0, 'no change yet, no call');

      // A switchover as CloudNativePG records it: the role labels move, the status follows.
      let before = seen;
      c.labels('db', 'cluster-example-1', { 'cnpg.io/instanceRole': 'replica', role: 'replica' });
      c.labels('db', 'cluster-example-2', { 'cnpg.io/instanceRole': 'primary', role: 'primary' });
      c.status(CNPG, 'Cluster', 'db', 'cluster-example', { currentPrimary: 'cluster-example-2', targetPrimary: 'cluster-example-2', timelineID: 2 });
      await waitFor('changed after the switchover', () => seen > before, 5000, 20);
      let states = await read(p);
      assert.equal(states.find((s) => s.name === 'db/cluster-example')?.leader, 'cluster-example-2');
      assertMatchesTruth(states, await readTruth(lab, 'lab', 'db'));

      // The server ends every stream (as at the end of a watch's timeout): they reopen from the last version seen.
      const open = lab.server.openWatches();
      const opened = lab.server.requests.filter((r) => r.watch).length;
      lab.server.endWatches();
      await waitFor('the watches reopened', () => lab.server.openWatches() === open && lab.server.requests.filter((r) => r.watch).length >= opened + open, 10_000, 20);
      assert.ok(
        lab.server.requests.filter((r) => r.watch).every((r) => /[?&]resourceVersion=\d+/.test(r.query)),
        'every watch starts from a resourceVersion',
      );
      before = seen;
      c.ready('db', 'cluster-example-3', false);
      await waitFor('changed after a pod stopped being ready', () => seen > before, 5000, 20);
      states = await read(p);
      assert.equal(states.find((s) => s.name === 'db/cluster-example')?.members.find((m) => m.name === 'cluster-example-3')?.health, 'warning');

      // The server forgets its history (410 Gone for the old versions): the provider lists again and says so.
      before = seen;
      const lists = lab.server.requests.filter((r) => !r.watch).length;
      lab.server.compact();
      lab.server.endWatches();
      await waitFor('changed after listing again', () => seen > before, 10_000, 20);
      assert.ok(lab.server.requests.filter((r) => !r.watch).length > lists, 'listed again');
    } finally {
      stop();
      c.restore();
    }
    await waitFor('every stream closed', () => lab.server.openWatches() === 0, 5000, 20);
  });

  test('watch: a stream that keeps failing is retried less and less often', async () => {
    const lab = the();
    const p = provider('lab-db');
    assert.ok(p.watch);
    const stop = p.watch(() => undefined);
    const path = '/apis/postgres-operator.crunchydata.com/v1beta1/namespaces/db/postgresclusters';
    const crunchy = { group: 'postgres-operator.crunchydata.com', plural: 'postgresclusters' };
    try {
      await waitFor('a watch on the Crunchy clusters', () => lab.server.openWatches(path) > 0, 10_000, 20);
      // The operator is uninstalled while watched: the stream ends and every reopening gets 404.
      lab.server.unserve(crunchy);
      lab.server.endWatches();
      const since = lab.server.requests.length;
      const attempts = () => lab.server.requests.slice(since).filter((r) => r.watch && r.path === path).map((r) => r.at);
      await waitFor('three attempts', () => attempts().length >= 3, 10_000, 50);
      const at = attempts();
      const gaps = at.slice(1).map((t, i) => t - at[i]);
      for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] > gaps[i - 1] * 1.5, `gaps between attempts grow: ${gaps.join(', ')} ms`);
    } finally {
      stop();
      lab.server.serve({ ...crunchy, versions: ['v1', 'v1beta1'], kind: 'PostgresCluster', namespaced: true });
    }
  });

  test('dist/kubernetes.js, the shipped bundle, reads the same states', async () => {
    const bundle = join(__dirname, '..', '..', 'dist', 'kubernetes.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const built = require(bundle) as typeof KubernetesSupport;
    const reader = built.createReader({ kubeconfig: the().file('main.yaml'), context: 'lab' });
    const fixed = () => new Date('2025-05-01T00:00:00Z');
    const fromBundle = await reader.read({ timeoutMs: TIMEOUT_MS, now: fixed });
    await reader.close();
    const fromSource = await provider('lab').read({ timeoutMs: TIMEOUT_MS, now: fixed });
    outputs.push(JSON.stringify(fromBundle));
    assert.equal(fromBundle.length, 6);
    assert.deepEqual(fromBundle, fromSource);
  });
});
