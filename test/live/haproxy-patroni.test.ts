// HAProxy in front of a real 3-member Patroni cluster, its listeners checking Patroni's REST API
// (`/primary` for writes, `/replica` for reads): the HAProxy and Patroni providers must tell the same
// story, and both the story psql, patronictl and HAProxy's own socket tell — at rest, after a
// switchover through patronictl, with a check aimed at the wrong member, and after the leader's agent
// is SIGKILLed (split brain); then `hatopo status` and `hatopo check --live` on the same stack.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ClusterState, Member } from '../../live/src/model';
import type { Provider } from '../../live/src/provider';
import { haproxyProvider } from '../../live/src/providers/haproxy';
import { patroniProvider } from '../../live/src/providers/patroni';
import { validateClusterState } from '../helpers/cluster-state';
import type { HaStack } from './lab/ha-stack';
import { READ_BACKEND, WRITE_BACKEND, haStackMissing, startHaStack } from './lab/ha-stack';
import { waitFor } from './lab/processes';
import { TIMELINE_SQL, psql } from './lab/psql';

const CLI = resolve(__dirname, '..', '..', 'dist', 'hatopo.js');
// This file's ports: etcd 12479-12480, PostgreSQL 15533-15535, REST 18108-18110, HAProxy 18500-18503.
const PORTS = { etcd: 12479, etcdPeer: 12480, pg: 15533, rest: 18108, write: 18500, read: 18501, stats: 18502, socket: 18503 };
const TIMEOUT = 3000;

/** What the systems say of themselves, each asked directly. */
interface Truth {
  /** patronictl list: the leader, and the members tagged noloadbalance. */
  leader: string;
  noLoadBalance: Set<string>;
  /** psql on each member: in recovery or not, timeline; absent when it does not answer. */
  recovery: Map<string, boolean>;
  timeline: Map<string, number>;
  /** HAProxy's admin socket: UP servers of each listener. */
  writeUp: string[];
  readUp: string[];
}

describe('HAProxy in front of a real Patroni cluster: both providers against psql, patronictl and the socket', { skip: haStackMissing(), timeout: 180_000 }, () => {
  let stack: HaStack;
  let patroni: Provider;
  const outputs: string[] = [];
  const work = mkdtempSync(join(tmpdir(), 'hatopo-ha-stack-'));
  const restUrls = () => stack.patroni.members.map((m) => `http://127.0.0.1:${m.restPort}`);
  const member = (name: string) => stack.patroni.members.find((m) => m.name === name)!;

  const read = async (p: Provider): Promise<ClusterState> => {
    const states = await p.read({ timeoutMs: TIMEOUT });
    outputs.push(JSON.stringify(states));
    validateClusterState(states);
    assert.equal(states.length, 1);
    return states[0];
  };
  const readHaproxy = () => read(haproxyProvider({ endpoint: stack.haproxy.adminSocket }));
  const servers = (s: ClusterState, backend: string): Member[] => s.members.filter((m) => m.role === 'server' && m.group === backend);
  const upIn = (s: ClusterState, backend: string) => servers(s, backend).filter((m) => /^UP\b/.test(m.state)).map((m) => m.name).sort();

  async function truth(): Promise<Truth> {
    const listed = JSON.parse(await stack.patroni.patronictl('list', '-f', 'json')) as Array<{ Member: string; Role: string; Tags?: Record<string, unknown> }>;
    const recovery = new Map<string, boolean>();
    const timeline = new Map<string, number>();
    for (const m of stack.patroni.members) {
      const r = await stack.patroni.psql(m.name, `SELECT pg_is_in_recovery(), (${TIMELINE_SQL})`).catch(() => undefined);
      if (!r) continue;
      recovery.set(m.name, r.split('|')[0] === 't');
      timeline.set(m.name, Number(r.split('|')[1]));
    }
    return {
      leader: listed.find((l) => l.Role === 'Leader')?.Member ?? '',
      noLoadBalance: new Set(listed.filter((l) => l.Tags?.noloadbalance === true).map((l) => l.Member)),
      recovery,
      timeline,
      writeUp: await stack.up(WRITE_BACKEND),
      readUp: await stack.up(READ_BACKEND),
    };
  }

  /**
   * Where the two providers and the truth differ (empty when they agree): HAProxy writes to the
   * leader alone and psql says it is a primary; reads go to the replicas that take reads; HAProxy's
   * view in the provider is the socket's.
   */
  function differences(h: ClusterState, p: ClusterState, t: Truth): string[] {
    const diffs: string[] = [];
    const same = (what: string, a: unknown, b: unknown) => {
      if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(`${what}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    };
    same('write UP (provider vs socket)', upIn(h, WRITE_BACKEND), t.writeUp);
    same('read UP (provider vs socket)', upIn(h, READ_BACKEND), t.readUp);
    same('write UP vs Patroni leader', upIn(h, WRITE_BACKEND), [p.leader]);
    same('Patroni leader (provider vs patronictl)', p.leader, t.leader);
    const readable = p.members.filter((m) => (m.role === 'replica' || m.role === 'sync-standby') && m.tags?.noloadbalance !== true).map((m) => m.name).sort();
    same('read UP vs Patroni replicas taking reads', upIn(h, READ_BACKEND), readable);
    same('read UP vs psql in recovery, patronictl tags', upIn(h, READ_BACKEND), [...t.recovery].filter(([n, r]) => r && !t.noLoadBalance.has(n)).map(([n]) => n).sort());
    for (const m of p.members) same(`${m.name} writable (provider vs psql)`, m.writable, t.recovery.has(m.name) ? !t.recovery.get(m.name) : undefined);
    return diffs;
  }

  /** Reads both providers and the truth until they agree (the cluster moves between reads), within a bound. */
  async function agreed(timeoutMs: number): Promise<{ h: ClusterState; p: ClusterState; t: Truth }> {
    let last: string[] = [];
    return waitFor('the providers to agree with each other and with the systems', async () => {
      const [h, p] = await Promise.all([readHaproxy(), read(patroni)]);
      const t = await truth();
      last = differences(h, p, t);
      return last.length ? undefined : { h, p, t };
    }, timeoutMs, 300).catch((e: Error) => assert.fail(`${e.message}\n${last.join('\n')}`));
  }

  /** The write server HAProxy uses is the leader, and psql through the write listener lands on a primary on its port. */
  async function assertWritesReachPrimary(h: ClusterState, leader: string): Promise<void> {
    const [server] = servers(h, WRITE_BACKEND).filter((m) => /^UP\b/.test(m.state));
    assert.equal(server.name, leader);
    assert.equal(server.address, `127.0.0.1:${member(leader).pgPort}`);
    const login = { port: PORTS.write, user: stack.patroni.superuser, password: stack.patroni.superuserPassword };
    assert.equal(await psql(login, 'SELECT pg_is_in_recovery(), inet_server_port()'), `f|${member(leader).pgPort}`, 'psql through the write listener');
    for (const other of servers(h, WRITE_BACKEND).filter((m) => m.name !== leader)) {
      assert.match(other.state, /^DOWN/, `${other.name} in ${WRITE_BACKEND}`);
      // Patroni's answer to the check: 503. Now and then a check meets Patroni's REST API closing the
      // connection (L7STS/0): the next one, a second later, must say 503.
      const check = async () => servers(await readHaproxy(), WRITE_BACKEND).find((m) => m.name === other.name)?.lastCheck ?? '';
      let last = other.lastCheck ?? '';
      if (!/^L7STS\/503 in \d+ms$/.test(last)) await waitFor(`${other.name}'s /primary check to answer 503`, async () => /^L7STS\/503 in \d+ms$/.test((last = await check())), 5_000, 250).catch(() => undefined);
      assert.match(last, /^L7STS\/503 in \d+ms$/, `${other.name}'s /primary check`);
    }
    const readers = upIn(h, READ_BACKEND);
    if (readers.length === 1) {
      const viaRead = await psql({ ...login, port: PORTS.read }, 'SELECT pg_is_in_recovery(), inet_server_port()');
      assert.equal(viaRead, `t|${member(readers[0]).pgPort}`, 'psql through the read listener');
    }
  }

  const hatopo = (...args: string[]) => {
    const env = { PATH: process.env.PATH, HOME: work, NO_COLOR: '1', PGUSER: stack.patroni.superuser, PGPASSWORD: stack.patroni.superuserPassword, HATOPO_CODE_CACHE: 'off' };
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, timeout: 30_000 });
    outputs.push(r.stdout, r.stderr);
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const liveDiagnostics = (stdout: string) =>
    (JSON.parse(stdout) as { diagnostics: Array<{ file: string; code: string; severity: string; message: string; range: { start: { line: number } } }> }).diagnostics.filter((d) => d.code.startsWith('live/'));

  before(async () => {
    stack = await startHaStack({ etcdClientPort: PORTS.etcd, etcdPeerPort: PORTS.etcdPeer, firstPgPort: PORTS.pg, firstRestPort: PORTS.rest, writePort: PORTS.write, readPort: PORTS.read, statsPort: PORTS.stats, socketPort: PORTS.socket });
    // One provider for the whole file, as the editor keeps one: it remembers the members it has seen.
    patroni = patroniProvider({ urls: restUrls(), postgres: { user: stack.patroni.superuser, password: stack.patroni.superuserPassword } });
  }, { timeout: 60_000 });

  after(async () => {
    await patroni?.close?.();
    await stack?.stop();
    rmSync(work, { recursive: true, force: true });
  }, { timeout: 40_000 });

  test('at rest: HAProxy writes to the Patroni leader alone (a primary by psql) and reads from the replicas that take reads', { timeout: 20_000 }, async () => {
    const { h, p, t } = await agreed(15_000);
    assert.deepEqual(upIn(h, WRITE_BACKEND), [p.leader]);
    await assertWritesReachPrimary(h, t.leader);
    // pg3 is tagged noloadbalance: Patroni's /replica answers 503 for it, so HAProxy keeps it out of reads.
    assert.ok(t.noLoadBalance.has('pg3'));
    assert.equal(servers(h, READ_BACKEND).find((m) => m.name === 'pg3')?.state.startsWith('DOWN'), true);
    assert.equal(upIn(h, READ_BACKEND).length, 1, 'of two replicas, one takes reads: psql through the read listener reached it');
    assert.deepEqual(servers(h, READ_BACKEND).map((m) => m.address), stack.patroni.members.map((m) => `127.0.0.1:${m.pgPort}`));
    assert.deepEqual(h.problems.filter((x) => x.code === 'backend-down'), [], 'each listener has a server UP');
    assert.deepEqual(p.problems.filter((x) => x.severity === 'error'), []);
  });

  test('a switchover through patronictl: HAProxy moves writes to the new leader, and both providers follow', { timeout: 60_000 }, async () => {
    const before = await truth();
    const old = before.leader;
    const candidate = stack.patroni.members.map((m) => m.name).find((n) => n !== old && !before.noLoadBalance.has(n))!;
    await stack.patroni.patronictl('switchover', '--leader', old, '--candidate', candidate, '--force');
    const t0 = Date.now();
    await waitFor(`HAProxy to send writes to ${candidate} alone`, async () => JSON.stringify(await stack.up(WRITE_BACKEND)) === JSON.stringify([candidate]), 30_000, 100);
    const rerouted = Date.now() - t0;
    // The old leader rejoins as a replica (pg_rewind, then streaming) a few seconds later.
    const { h, p, t } = await agreed(25_000);
    assert.equal(p.leader, candidate, `rerouted after ${rerouted} ms`);
    await assertWritesReachPrimary(h, candidate);
    assert.equal(t.recovery.get(old), true, `psql: ${old} is a replica now`);
    assert.ok(t.timeline.get(candidate)! > before.timeline.get(old)!, 'the new leader is on a new timeline');
    assert.equal(p.members.find((m) => m.name === candidate)?.timeline, t.timeline.get(candidate));
    if (!before.noLoadBalance.has(old)) assert.ok(upIn(h, READ_BACKEND).includes(old), `${old} takes reads again`);
  });

  test('a replica\'s /primary check aimed at the leader\'s REST port: HAProxy routes writes to a replica, and check --live says so', { timeout: 40_000 }, async () => {
    const { t } = await agreed(15_000);
    const replica = stack.patroni.members.map((m) => m.name).find((n) => t.recovery.get(n) === true)!;
    // The runtime API changes the check port: the mistake a config with the wrong `check port` makes.
    assert.match(await stack.haproxy.socket(`set server ${WRITE_BACKEND}/${replica} check-port ${member(t.leader).restPort}`), /^\s*$/);
    try {
      await waitFor(`HAProxy to mark ${replica} UP in ${WRITE_BACKEND}`, async () => (await stack.up(WRITE_BACKEND)).includes(replica), 10_000, 100);
      const h = await readHaproxy();
      assert.deepEqual(upIn(h, WRITE_BACKEND), [t.leader, replica].sort());
      assert.equal(await stack.patroni.psql(replica, 'SELECT pg_is_in_recovery()'), 't', `psql: ${replica} is a replica`);
      const r = hatopo('check', '--live', '--format', 'json', '--patroni', restUrls().join(','), '--haproxy', stack.haproxy.adminSocket, stack.files.haproxyCfg, ...stack.files.patroniYml);
      assert.equal(r.stderr, '');
      assert.equal(r.code, 1, 'error-level drift fails the check');
      const lines = readFileSync(stack.files.haproxyCfg, 'utf8').split('\n');
      const routes = liveDiagnostics(r.stdout).filter((d) => d.code === 'live/write-route-replica');
      assert.deepEqual(routes.map((d) => [d.file, d.severity, lines[d.range.start.line].trim().split(/\s+/).slice(0, 2).join(' ')]), [[stack.files.haproxyCfg, 'error', `server ${replica}`]]);
      const section = lines.slice(0, routes[0].range.start.line).reverse().find((l) => l.startsWith('listen '));
      assert.equal(section, `listen ${WRITE_BACKEND}`);
      assert.match(routes[0].message, new RegExp(`\\b${replica}\\b.*\\bUP\\b`));
    } finally {
      await stack.haproxy.socket(`set server ${WRITE_BACKEND}/${replica} check-port ${member(replica).restPort}`);
    }
    await waitFor(`${replica} DOWN again in ${WRITE_BACKEND}`, async () => !(await stack.up(WRITE_BACKEND)).includes(replica), 10_000, 100);
  });

  test('the leader\'s agent SIGKILLed: HAProxy drops the orphan (its /primary check fails), the Patroni provider with PostgreSQL credentials names it in a split brain', { timeout: 90_000 }, async () => {
    const before = (await agreed(15_000)).t;
    const orphan = before.leader;
    await stack.patroni.killPatroni(orphan);
    let split: ClusterState | undefined;
    await waitFor('the Patroni provider to report a split brain', async () => {
      split = await read(patroni);
      return split.problems.some((p) => p.code === 'split-brain');
    }, 40_000, 300);
    const s = split!;
    const t = await truth();
    assert.notEqual(t.leader, orphan, 'patronictl: a new leader was elected');
    assert.equal(t.recovery.get(orphan), false, `psql: ${orphan} is still a primary`);
    assert.equal(t.recovery.get(t.leader), false, `psql: ${t.leader} is a primary`);
    // Writable for real, not only in its own opinion.
    await stack.patroni.psql(orphan, 'CREATE TABLE written_to_orphan (x int); INSERT INTO written_to_orphan VALUES (1)');
    const problem = s.problems.find((p) => p.code === 'split-brain')!;
    assert.deepEqual([problem.severity, problem.member], ['error', orphan]);
    assert.match(problem.message, new RegExp(`\\b${orphan}\\b.*127\\.0\\.0\\.1:${member(orphan).pgPort}`));
    assert.equal(s.members.find((m) => m.name === orphan)?.writable, true);
    assert.equal(s.health, 'error');
    // HAProxy cannot see PostgreSQL's role: it drops the orphan only because the agent's REST API is gone.
    await stack.waitForRoutes(t.leader, (await stack.patroniView()).readable, 20_000);
    const h = await readHaproxy();
    for (const backend of [WRITE_BACKEND, READ_BACKEND]) {
      const o = servers(h, backend).find((m) => m.name === orphan)!;
      assert.match(o.state, /^DOWN/, `${backend}/${orphan}`);
      assert.match(o.lastCheck ?? '', /^L4CON\b/, `${backend}/${orphan}: the check finds no REST API`);
      assert.equal((await stack.routes()).get(backend)?.get(orphan)?.status.startsWith('DOWN'), true, 'the socket agrees');
    }
    assert.deepEqual(upIn(h, WRITE_BACKEND), [t.leader]);
  });

  test('hatopo status on the split stack names the orphan and exits 1; check --live puts split-brain on its patroni.yml', { timeout: 40_000 }, async () => {
    const t = await truth();
    const orphan = [...t.recovery].find(([n, r]) => !r && n !== t.leader)?.[0];
    assert.ok(orphan, 'the previous test left a writable orphan');
    const orphanAddress = `127.0.0.1:${member(orphan).pgPort}`;
    const postgres = stack.patroni.members.map((m) => `host=127.0.0.1 port=${m.pgPort}`).join(',');
    const args = ['--patroni', restUrls().join(','), '--haproxy', stack.haproxy.adminSocket, '--postgres', postgres];
    const json = hatopo('status', '--format', 'json', ...args);
    assert.equal(json.stderr, '');
    assert.equal(json.code, 1);
    const states = JSON.parse(json.stdout) as ClusterState[];
    validateClusterState(states);
    assert.deepEqual(states.map((s) => s.kind), ['patroni', 'haproxy', 'postgres']);
    // Without Patroni the two writable servers look alike: the PostgreSQL view names both.
    const pg = states[2];
    const leaderAddress = `127.0.0.1:${member(t.leader).pgPort}`;
    const split = pg.problems.find((p) => p.code === 'split-brain');
    assert.ok(split, `no split-brain in ${JSON.stringify(pg.problems)}`);
    assert.equal(split.severity, 'error');
    assert.ok(split.message.includes(orphanAddress) && split.message.includes(leaderAddress), split.message);
    assert.deepEqual(pg.members.filter((m) => m.writable).map((m) => m.address).sort(), [orphanAddress, leaderAddress].sort());
    assert.equal(states[0].leader, t.leader);
    assert.deepEqual(upIn(states[1], WRITE_BACKEND), [t.leader]);
    const text = hatopo('status', ...args);
    assert.equal(text.code, 1);
    assert.match(text.stdout, new RegExp(`split.brain.*${orphanAddress.replace(/\./g, '\\.')}`, 'i'));

    const r = hatopo('check', '--live', '--format', 'json', ...args, stack.files.haproxyCfg, ...stack.files.patroniYml);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 1);
    const found = liveDiagnostics(r.stdout).filter((d) => d.code === 'live/split-brain');
    assert.deepEqual(found.map((d) => [d.file, d.severity]), [[member(orphan).config, 'error']]);
    assert.equal(readFileSync(member(orphan).config, 'utf8').split('\n')[found[0].range.start.line], `name: ${orphan}`);
  });

  test('no password of the stack in any output', () => {
    assert.ok(outputs.length > 10);
    for (const secret of stack.secrets) for (const o of outputs) assert.ok(!o.includes(secret), `a password appears in: ${o.slice(0, 300)}`);
  });
});
