// A Zalando cluster's Patroni actions through the Kubernetes API server's pod proxy, end to end:
// prepareAction({kind: 'kubernetes'}) and runAction as the CLI and the editor run them, the real
// @kubernetes/client-node reading the cluster, and a real Patroni cluster (etcd, 2 × Patroni 3.0.2
// on PostgreSQL 15) as the Spilo pods. No API server can run here: the replay server stands in
// for it, serving the `postgresql` resource and a Spilo pod per Patroni member (kube/spilo.ts,
// spilo-role following the real leader) and proxying `pods/NAME:PORT/proxy/…` to the pod IP
// (loopback) with the client-certificate user authenticated, the Authorization header dropped, and
// RBAC on `pods/proxy` (kube/pod-proxy.ts). patronictl and psql say what really happened.
import { register } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// Before anything loads client-node from source: give it the undici that dist/kubernetes.js bundles.
const UNDICI_HOOK = pathToFileURL(join(__dirname, 'kube', 'undici-7.mjs')).href;
register(UNDICI_HOOK);

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { prepareAction } from '../../live/src/actions/connect';
import type { ActionArguments } from '../../live/src/actions/connect';
import type { ActionKind, ActionResult, AuditRecord } from '../../live/src/actions/model';
import { runAction } from '../../live/src/actions/run';
import { kubernetesProvider } from '../../live/src/providers/kubernetes';
import type { KubeLab } from './kube/lab';
import { secretsOf, startKubeLab } from './kube/lab';
import type { RecordedRequest } from './kube/replay-server';
import { serveSpilo } from './kube/spilo';
import type { PatroniLab } from './lab/patroni';
import { patroniLabMissing, startPatroniLab, waitForStreaming } from './lab/patroni';
import { waitFor } from './lab/processes';

const KUBE_PORTS = { port: 18920, down: 18921 };
const PATRONI_PORTS = { etcdClientPort: 13079, etcdPeerPort: 13080, firstPgPort: 16233, firstRestPort: 19608 };
const CLUSTER = 'db/acid-lab';
const CERT_USER = 'cert:lab-admin';
const REPO = resolve(__dirname, '..', '..');

interface Listed {
  Member: string;
  Role: string;
  State: string;
  TL?: number;
}

describe('Zalando actions through the pod proxy, on a real Patroni cluster', { skip: patroniLabMissing(), timeout: 400_000 }, () => {
  let patroni: PatroniLab | undefined;
  let kube: KubeLab | undefined;
  let stopFollowing: (() => void) | undefined;
  const savedKubeconfig = process.env.KUBECONFIG;
  const audit: AuditRecord[] = [];
  const said: string[] = [];

  const lab = () => patroni as PatroniLab;
  const server = () => (kube as KubeLab).server;

  before(async () => {
    patroni = await startPatroniLab({ members: 2, scope: 'acid-lab', restAuth: false, ...PATRONI_PORTS });
    kube = await startKubeLab(KUBE_PORTS);
    stopFollowing = await serveSpilo(kube.server, patroni, 'db', 'acid-lab');
    // prepareAction takes the kubeconfig as kubectl does: from KUBECONFIG.
    process.env.KUBECONFIG = kube.file('main.yaml');
  }, { timeout: 120_000 });

  after(async () => {
    if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = savedKubeconfig;
    stopFollowing?.();
    await kube?.stop();
    await patroni?.stop();
  }, { timeout: 60_000 });

  const list = async () => JSON.parse(await lab().patronictl('list', '-f', 'json')) as Listed[];
  const leaderNow = async () => {
    const l = (await list()).find((r) => r.Role === 'Leader');
    return { name: l?.Member, timeline: l?.TL };
  };
  const replicaOf = async () => (await list()).find((r) => r.Role !== 'Leader')?.Member as string;

  /** prepareAction and runAction as the CLI runs them, on the kubeconfig's `context`. */
  const act = async (action: ActionKind, args: ActionArguments, env: NodeJS.ProcessEnv = {}): Promise<ActionResult> => {
    const prepared = await prepareAction({ kind: 'kubernetes', context: 'cert' }, action, { cluster: CLUSTER, timeoutMs: 5000, ...args }, env);
    try {
      const r = await runAction(prepared.spec, { deadlineMs: 60_000, pollMs: 500, via: 'test', audit: { write: async (rec) => void audit.push(rec) } });
      said.push(r.message, JSON.stringify(r.preflight));
      return r;
    } finally {
      await prepared.close();
    }
  };
  const proxied = (since: number): RecordedRequest[] => server().requests.slice(since).filter((q) => q.path.includes('/proxy'));
  const writes = (since: number) => proxied(since).filter((q) => q.method !== 'GET');
  const podOf = (name: string) => lab().members.find((m) => m.name === name);
  const proxyPath = (member: string, path: string) => `/api/v1/namespaces/db/pods/${member}:${podOf(member)?.restPort}/proxy${path}`;

  test('switchover: the real leader moves; every call went through the pod proxy with the client certificate', { timeout: 120_000 }, async () => {
    const was = await leaderNow();
    const target = await replicaOf();
    const since = server().requests.length;
    const r = await act('switchover', { member: target });
    assert.equal(r.outcome, 'done', r.message);
    assert.equal((await leaderNow()).name, target);
    assert.ok(((await leaderNow()).timeline ?? 0) > (was.timeline ?? 0), 'a new timeline');
    assert.equal(await lab().psql(target, 'SELECT pg_is_in_recovery()'), 'f');
    const calls = proxied(since);
    assert.ok(calls.length > 0);
    assert.ok(calls.every((q) => q.user === CERT_USER), 'every proxied call authenticated by the client certificate');
    assert.ok(calls.some((q) => q.method === 'GET' && q.path === proxyPath(was.name as string, '/cluster') && q.status === 200), 'GET /cluster through the proxy');
    assert.ok(calls.some((q) => q.method === 'GET' && q.path === proxyPath(target, '/patroni')), "the candidate's GET /patroni through its own pod");
    assert.deepEqual(
      writes(since).map((q) => [q.method, q.path, JSON.parse(q.body ?? '{}') as unknown, q.status]),
      [['POST', proxyPath(was.name as string, '/switchover'), { leader: was.name, candidate: target }, 200]],
    );
    const rec = audit[audit.length - 1];
    assert.deepEqual([rec.action, rec.kind, rec.cluster, rec.primary, rec.target, rec.outcome, rec.source], ['switchover', 'patroni', 'acid-lab', was.name, target, 'done', `kube-context cert pods/proxy ${CLUSTER}`]);
    // The Kubernetes provider sees it too: spilo-role follows the leader.
    const provider = kubernetesProvider({ context: 'cert' });
    try {
      const states = await provider.read({ timeoutMs: 5000 });
      assert.equal(states.find((s) => s.name === CLUSTER)?.leader, target);
    } finally {
      await provider.close?.();
    }
  });

  test('a candidate that is not a member: refused, nothing sent, the leader unchanged; Patroni credentials said not to travel', { timeout: 60_000 }, async () => {
    const was = await leaderNow();
    const since = server().requests.length;
    const r = await act('switchover', { member: 'pg9' }, { PATRONI_RESTAPI_USERNAME: 'patroni', PATRONI_RESTAPI_PASSWORD: 'rest-pw-unsent' });
    assert.equal(r.outcome, 'refused');
    assert.match(r.message, /pg9 is not a member of acid-lab \(members: pg1, pg2\)/);
    assert.ok(r.preflight.warnings.some((w) => /PATRONI_RESTAPI_USERNAME\/PASSWORD are not sent: the API server removes the Authorization header/.test(w)), r.preflight.warnings.join('; '));
    assert.deepEqual(writes(since), []);
    assert.ok(proxied(since).length > 0, 'the cluster was read through the proxy');
    assert.deepEqual(await leaderNow(), was);
  });

  test('pause, then resume: PATCH /config through the proxy, as Patroni reports it', { timeout: 60_000 }, async () => {
    const since = server().requests.length;
    const paused = await act('pause', {});
    assert.equal(paused.outcome, 'done', paused.message);
    assert.match(await lab().patronictl('list'), /Maintenance mode: on/);
    const resumed = await act('resume', {});
    assert.equal(resumed.outcome, 'done', resumed.message);
    assert.doesNotMatch(await lab().patronictl('list'), /Maintenance mode/);
    const leader = (await leaderNow()).name as string;
    assert.deepEqual(
      writes(since).map((q) => [q.method, q.path, q.body, q.user]),
      [
        ['PATCH', proxyPath(leader, '/config'), '{"pause":true}', CERT_USER],
        ['PATCH', proxyPath(leader, '/config'), '{"pause":false}', CERT_USER],
      ],
    );
  });

  test('RBAC without create on pods/proxy: the switchover fails naming the verb and the resource; without get, the read is refused', { timeout: 60_000 }, async () => {
    const was = await leaderNow();
    const target = await replicaOf();
    let allow = server().deny(CERT_USER, 'create', 'pods/proxy');
    try {
      const since = server().requests.length;
      const r = await act('switchover', { member: target });
      assert.equal(r.outcome, 'failed', r.message);
      assert.match(r.message, /forbidden \(403\) at 127\.0\.0\.1:18920: RBAC does not let the user create pods\/proxy in namespace db, which POST \/switchover on db\/pg\d through the API server needs/);
      assert.match(r.message, /User "cert:lab-admin" cannot create resource "pods\/proxy" in API group "" in the namespace "db"/);
      assert.deepEqual(writes(since).map((q) => [q.method, q.status]), [['POST', 403]]);
    } finally {
      allow();
    }
    assert.deepEqual(await leaderNow(), was, 'nothing changed');
    allow = server().deny(CERT_USER, 'get', 'pods/proxy');
    try {
      const r = await act('switchover', { member: target });
      assert.equal(r.outcome, 'refused');
      assert.match(r.message, /could not be read: .*RBAC does not let the user get pods\/proxy in namespace db/);
    } finally {
      allow();
    }
    assert.deepEqual(await leaderNow(), was, 'nothing changed');
  });

  test('the CLI: hatopo switchover --kube-context --cluster --candidate --yes exits 0, its audit line names the proxy', { timeout: 120_000 }, async () => {
    await waitForStreaming(lab(), 1, 60_000);
    const was = await leaderNow();
    const target = await replicaOf();
    const home = mkdtempSync(join(tmpdir(), 'hatopo-zalando-'));
    const env = { PATH: process.env.PATH, HOME: home, HATOPO_STATE_DIR: home, KUBECONFIG: (kube as KubeLab).file('main.yaml'), NO_COLOR: '1' };
    // Run from source: tsx, and client-node given the undici the bundle carries (as in this process).
    const hook = `data:text/javascript,import{register}from"node:module";register(${JSON.stringify(UNDICI_HOOK)})`;
    const args = ['--import', 'tsx', '--import', hook, join(REPO, 'cli', 'src', 'bin.ts'), 'switchover', '--kube-context', 'cert', '--cluster', CLUSTER, '--candidate', target, '--yes', '--deadline', '60'];
    try {
      // Asynchronous: the stand-in API server runs in this process.
      const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        execFile(process.execPath, args, { cwd: REPO, env, encoding: 'utf8', timeout: 100_000 }, (err, out, errOut) => done({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout: out, stderr: errOut }));
      });
      said.push(stdout, stderr);
      assert.equal(code, 0, stderr + stdout);
      assert.match(stdout, /pre-flight: passed/);
      assert.equal((await leaderNow()).name, target);
      const line = JSON.parse(readFileSync(join(home, 'audit.jsonl'), 'utf8').trim()) as AuditRecord;
      assert.deepEqual([line.via, line.action, line.primary, line.target, line.outcome, line.source], ['cli', 'switchover', was.name, target, 'done', `kube-context cert pods/proxy ${CLUSTER}`]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    await waitFor('the old leader back as a replica', async () => (await list()).some((x) => x.Member === was.name && x.Role !== 'Leader' && /running|streaming/.test(x.State)), 60_000, 500);
  });

  test('no result, audit record or CLI output carries a credential', () => {
    const all = JSON.stringify(audit) + said.join('\n');
    for (const s of [...secretsOf(kube as KubeLab), ...lab().secrets, 'rest-pw-unsent']) assert.ok(!all.includes(s), 'a secret leaked');
  });
});
