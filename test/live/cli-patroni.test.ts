// `hatopo status` and `hatopo check --live` (the built CLI, as a person runs it) against a real
// 3-member Patroni cluster with HAProxy in front: output equal to the provider's view and to what
// psql, patronictl and HAProxy's socket say; exit statuses; drift found in the lab's own files; the
// split brain left by a SIGKILLed leader agent; and no password in any output.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ClusterState } from '../../live/src/model';
import { patroniProvider } from '../../live/src/providers/patroni';
import { validateClusterState } from '../helpers/cluster-state';
import type { HaproxyLab } from './lab/haproxy';
import { haproxyLabMissing, startHaproxyLab } from './lab/haproxy';
import type { PatroniLab } from './lab/patroni';
import { patroniLabMissing, startPatroniLab } from './lab/patroni';
import { TIMELINE_SQL } from './lab/psql';
import { waitFor } from './lab/processes';

const CLI = resolve(__dirname, '..', '..', 'dist', 'hatopo.js');
// This file's ports: etcd 19301-19302, PostgreSQL 19433-19435, REST 19008-19010, HAProxy 19500-19503.
const PORTS = { etcd: 19301, etcdPeer: 19302, pg: 19433, rest: 19008, write: 19500, stats: 19501, socket: 19502, writeTcp: 19503, closed: 19509 };
const REST = `http://127.0.0.1:${PORTS.rest}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('hatopo status and check --live on a real Patroni cluster behind HAProxy', { skip: patroniLabMissing() ?? haproxyLabMissing(), timeout: 240_000 }, () => {
  let lab: PatroniLab;
  let haproxy: HaproxyLab;
  const outputs: string[] = [];
  let orphan: string | undefined;
  const work = mkdtempSync(join(tmpdir(), 'hatopo-cli-live-'));
  const env = () => ({
    PATH: process.env.PATH,
    HOME: work,
    NO_COLOR: '1',
    PATRONI_RESTAPI_USERNAME: lab.restUser,
    PATRONI_RESTAPI_PASSWORD: lab.restPassword,
    PGUSER: lab.superuser,
    PGPASSWORD: lab.superuserPassword,
  });
  // HOME is the scratch folder: the members' addresses the runs remember go to its ~/.local/state/hatopo.
  const hatopoWith = (extra: Record<string, string>, ...args: string[]): Run => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...env(), ...extra }, timeout: 30_000 });
    outputs.push(r.stdout, r.stderr);
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const hatopo = (...args: string[]): Run => hatopoWith({}, ...args);
  const json = (...args: string[]): { code: number | null; states: ClusterState[] } => jsonWith({}, ...args);
  const jsonWith = (extra: Record<string, string>, ...args: string[]): { code: number | null; states: ClusterState[] } => {
    const r = hatopoWith(extra, 'status', '--format', 'json', ...args);
    assert.equal(r.stderr, '');
    const states = JSON.parse(r.stdout) as ClusterState[];
    validateClusterState(states);
    return { code: r.code, states };
  };
  /** The state without the moment it was read: what two reads of a quiet cluster share. */
  const settled = (s: ClusterState) => ({ ...s, observedAt: '' });

  async function truth(): Promise<{ leader: string; recovery: Map<string, boolean>; timeline: Map<string, number> }> {
    const listed = JSON.parse(await lab.patronictl('list', '-f', 'json')) as Array<{ Member: string; Role: string }>;
    const recovery = new Map<string, boolean>();
    const timeline = new Map<string, number>();
    for (const m of lab.members) {
      const r = await lab.psql(m.name, `SELECT pg_is_in_recovery(), (${TIMELINE_SQL})`).catch(() => undefined);
      if (!r) continue;
      recovery.set(m.name, r.split('|')[0] === 't');
      timeline.set(m.name, Number(r.split('|')[1]));
    }
    return { leader: listed.find((l) => l.Role === 'Leader')?.Member ?? '', recovery, timeline };
  }

  before(async () => {
    const servers = (check: 'httpchk GET /primary' | 'tcp') =>
      [0, 1, 2].map((i) => ({ name: `pg${i + 1}`, host: '127.0.0.1', port: PORTS.pg + i, checkPort: check === 'tcp' ? undefined : PORTS.rest + i, check }));
    const [p, h] = await Promise.allSettled([
      startPatroniLab({ scope: 'cli-lab', etcdClientPort: PORTS.etcd, etcdPeerPort: PORTS.etcdPeer, firstPgPort: PORTS.pg, firstRestPort: PORTS.rest }),
      // pg_write finds the primary through Patroni's REST API; pg_write_tcp only checks that the port answers.
      startHaproxyLab({
        listeners: [
          { name: 'pg_write', port: PORTS.write, servers: servers('httpchk GET /primary') },
          { name: 'pg_write_tcp', port: PORTS.writeTcp, servers: servers('tcp') },
        ],
        statsPort: PORTS.stats,
        socketPort: PORTS.socket,
      }),
    ]);
    if (p.status === 'fulfilled') lab = p.value;
    if (h.status === 'fulfilled') haproxy = h.value;
    if (p.status === 'rejected') throw p.reason;
    if (h.status === 'rejected') throw h.reason;
    // The replicas' DCS state says "creating replica" for a moment after they stream; and HAProxy's checks need a few rounds.
    await waitFor('the cluster healthy in hatopo status', () => hatopo('status', '--patroni', REST).code === 0, 30_000, 500);
    await waitFor('HAProxy to route pg_write to one server', async () => (await haproxy.socket('show stat')).split('\n').filter((l) => l.startsWith('pg_write,pg') && l.split(',')[17] === 'UP').length === 1, 15_000, 200);
  }, { timeout: 90_000 });

  after(async () => {
    await Promise.allSettled([lab?.stop(), haproxy?.stop()]);
    rmSync(work, { recursive: true, force: true });
  }, { timeout: 40_000 });

  test('status --format json is the provider\'s view, and the truth of psql and patronictl; exit 0', { timeout: 30_000 }, async () => {
    const provider = patroniProvider({ urls: [REST], username: lab.restUser, password: lab.restPassword, postgres: { user: lab.superuser, password: lab.superuserPassword } });
    let cli: ClusterState[] = [];
    let direct: ClusterState[] = [];
    // Two reads of a moving system may differ: read both until they agree, within a bound.
    await waitFor('the CLI and the provider to agree', async () => {
      const r = json('--patroni', REST);
      assert.equal(r.code, 0);
      cli = r.states;
      direct = await provider.read({ timeoutMs: 3000 });
      return JSON.stringify(cli.map(settled)) === JSON.stringify(direct.map(settled));
    }, 15_000, 300).catch((e: Error) => assert.fail(`${e.message}\nCLI: ${JSON.stringify(cli)}\nprovider: ${JSON.stringify(direct)}`));
    await provider.close?.();
    const [s] = cli;
    const t = await truth();
    assert.equal(s.name, 'cli-lab');
    assert.equal(s.leader, t.leader);
    assert.deepEqual(s.members.map((m) => m.name), ['pg1', 'pg2', 'pg3']);
    for (const m of s.members) {
      assert.equal(m.role === 'primary', t.recovery.get(m.name) === false, `${m.name} is ${m.role}`);
      assert.equal(m.writable, !t.recovery.get(m.name), `${m.name} writable`);
      assert.equal(m.timeline, t.timeline.get(m.name), `${m.name} timeline`);
      assert.equal(m.address, `127.0.0.1:${lab.members.find((x) => x.name === m.name)!.pgPort}`);
    }
  });

  test('status text: a heading with the scope and leader, a row per member as the JSON says', () => {
    const r = hatopo('status', '--patroni', REST);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stderr, '');
    const [s] = json('--patroni', REST).states;
    const lines = r.stdout.split('\n');
    assert.match(lines[0], new RegExp(`^cli-lab \\(patroni, ${REST}\\) — ok · leader ${s.leader} · `));
    assert.match(lines[1], /^ {2}MEMBER +ADDRESS +ROLE +STATE +TL +/);
    for (const m of s.members) {
      const row = lines.find((l) => l.startsWith(`  ${m.name} `));
      assert.ok(row, `no row for ${m.name}`);
      assert.match(row, new RegExp(`^ {2}${m.name} +${m.address} +${m.role} +${m.state} +${m.timeline} .* ok$`));
    }
    assert.ok(!r.stdout.includes('\x1b['), 'no colours into a pipe');
  });

  test('several at once: Patroni and HAProxy through its unix and TCP sockets, as the socket says; replicas answering 503 in the write backend are standing by: exit 0', async () => {
    const { code, states } = json('--patroni', REST, '--haproxy', haproxy.adminSocket, '--haproxy', `tcp://127.0.0.1:${PORTS.socket}`);
    assert.deepEqual(states.map((s) => s.kind), ['patroni', 'haproxy', 'haproxy']);
    const stat = (await haproxy.socket('show stat')).split('\n').map((l) => l.split(','));
    for (const h of states.slice(1)) {
      for (const row of stat.filter((r) => (r[0] === 'pg_write' || r[0] === 'pg_write_tcp') && r[1].startsWith('pg'))) {
        const m = h.members.find((x) => x.role === 'server' && x.group === row[0] && x.name === row[1]);
        assert.ok(m, `${row[0]}/${row[1]} missing`);
        // The socket was read a moment later: a server's state is the same unless a check flipped between.
        assert.equal(m.state, row[17], `${row[0]}/${row[1]}`);
      }
    }
    const down = states[1].members.filter((m) => m.group === 'pg_write' && m.state.startsWith('DOWN')).map((m) => m.name);
    assert.equal(down.length, 2);
    for (const h of states.slice(1)) assert.deepEqual(h.problems, [], `${h.source}: the replicas fail /primary by design`);
    assert.equal(code, 0, 'a write backend with its replicas standing by is healthy');
  });

  test('an endpoint that refuses among good ones: every cluster printed, exit 2, no password', () => {
    const r = hatopo('status', '--patroni', REST, '--patroni', `http://${lab.restUser}:${encodeURIComponent(lab.restPassword)}@127.0.0.1:${PORTS.closed}`);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^cli-lab \(patroni/);
    assert.match(r.stdout, new RegExp(`\\nhttp://127\\.0\\.0\\.1:${PORTS.closed} \\(patroni, http://127\\.0\\.0\\.1:${PORTS.closed}\\) — error`));
  });

  test('check --live: the lab\'s own files against the cluster: a write listener routing to replicas, a sync mode the cluster does not run', async () => {
    const haproxyCfg = join(haproxy.dir, 'haproxy.cfg');
    const syncCopy = join(work, 'sync', 'patroni.yml');
    mkdirSync(join(work, 'sync'), { recursive: true });
    writeFileSync(syncCopy, readFileSync(lab.members[0].config, 'utf8').replace('synchronous_mode: false', 'synchronous_mode: true'));
    const files = [...lab.members.map((m) => m.config), haproxyCfg, syncCopy];
    const plain = hatopo('check', '--format', 'json', ...files);
    const without = (JSON.parse(plain.stdout) as { diagnostics: Array<{ code: string }> }).diagnostics;
    assert.ok(without.every((d) => !d.code.startsWith('live/')), 'no drift checks without --live');

    const r = hatopo('check', '--live', '--format', 'json', '--patroni', REST, '--haproxy', haproxy.adminSocket, ...files);
    assert.equal(r.stderr, '');
    const diags = (JSON.parse(r.stdout) as { diagnostics: Array<{ file: string; code: string; severity: string; range: { start: { line: number } } }> }).diagnostics.filter((d) => d.code.startsWith('live/'));
    const cfgLines = readFileSync(haproxyCfg, 'utf8').split('\n');
    const t = await truth();
    const replicas = lab.members.filter((m) => t.recovery.get(m.name) === true).map((m) => m.name).sort();
    // In pg_write_tcp every server is UP, so writes reach the replicas; pg_write's /primary check keeps them DOWN.
    const routes = diags.filter((d) => d.code === 'live/write-route-replica');
    assert.deepEqual(routes.map((d) => d.file), routes.map(() => haproxyCfg));
    const named = routes.map((d) => cfgLines[d.range.start.line].trim().split(/\s+/)[1]).sort();
    assert.deepEqual(named, replicas);
    for (const d of routes) {
      const section = cfgLines.slice(0, d.range.start.line).reverse().find((l) => /^listen /.test(l));
      assert.equal(section?.trim(), 'listen pg_write_tcp');
      assert.equal(d.severity, 'error');
    }
    const sync = diags.filter((d) => d.code === 'live/sync-standby-missing');
    assert.deepEqual(sync.map((d) => [d.file, readFileSync(syncCopy, 'utf8').split('\n')[d.range.start.line].trim()]), [[syncCopy, 'synchronous_mode: true']]);
    assert.deepEqual(diags.filter((d) => !['live/write-route-replica', 'live/sync-standby-missing'].includes(d.code)), []);
  });

  test('check --live fails on error-level drift alone', () => {
    const cfg = join(haproxy.dir, 'haproxy.cfg');
    assert.equal(hatopo('check', cfg).code, 0, 'the file alone passes');
    const r = hatopo('check', '--live', '--patroni', REST, cfg);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /\[live\/write-route-replica\]/);
  });

  test('a member stopped: gone from status, and check --live says its file describes a member that is not live', { timeout: 40_000 }, async () => {
    await lab.stopMember('pg3');
    await waitFor('pg3 to leave the cluster', () => json('--patroni', REST).states[0].members.every((m) => m.name !== 'pg3'), 25_000, 500);
    await assert.rejects(lab.psql('pg3', 'SELECT 1'), 'pg3 really is down');
    const r = hatopo('check', '--live', '--format', 'json', '--patroni', REST, ...lab.members.map((m) => m.config));
    const diags = (JSON.parse(r.stdout) as { diagnostics: Array<{ file: string; code: string; range: { start: { line: number } } }> }).diagnostics.filter((d) => d.code.startsWith('live/'));
    assert.deepEqual(diags.map((d) => [d.code, d.file]), [['live/member-not-live', lab.members[2].config]]);
    assert.equal(readFileSync(lab.members[2].config, 'utf8').split('\n')[diags[0].range.start.line], 'name: pg3');
  });

  test('split brain: the leader\'s agent SIGKILLed leaves a writable orphan; status --watch names it and exits 1', { timeout: 90_000 }, async () => {
    const before = await truth();
    const old = before.leader;
    // Watching from before the failure: the provider remembers where each member's PostgreSQL was.
    const child = spawn(process.execPath, [CLI, 'status', '--watch', '--interval', '0.5', '--format', 'json', '--patroni', lab.members.filter((m) => m.name !== 'pg3').map((m) => `http://127.0.0.1:${m.restPort}`).join(',')], { env: env() });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const lines = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ClusterState[]);
    try {
      await waitFor('a first read', () => lines().length > 0, 10_000);
      await lab.killPatroni(old);
      const split = await waitFor('hatopo to report the split brain', () => lines().find((s) => s[0].problems.some((p) => p.code === 'split-brain')), 45_000, 250);
      const t = await truth();
      assert.notEqual(t.leader, old, 'a new leader was elected');
      assert.equal(t.recovery.get(old), false, `psql: ${old} still accepts writes`);
      assert.equal(t.recovery.get(t.leader), false, `psql: ${t.leader} accepts writes`);
      const problem = split[0].problems.find((p) => p.code === 'split-brain')!;
      assert.equal(problem.severity, 'error');
      assert.match(problem.message, new RegExp(`\\b${old}\\b`));
      validateClusterState(split);
      await waitFor('another read', () => lines().length > lines().indexOf(split) + 1, 5000);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 1, err);
    outputs.push(out, err);
    orphan = old;
  });

  test('split brain in a shell: check --live finds the orphan from its file even once Patroni no longer lists it', { timeout: 40_000 }, async () => {
    assert.ok(orphan, 'the previous test made a split brain');
    // Every member's REST API, as a person would give them: the orphan's own no longer answers.
    const all = lab.members.map((m) => `http://127.0.0.1:${m.restPort}`).join(',');
    // Without what earlier runs remembered, a run started now cannot know where the orphan is.
    const gone = () => {
      const [s] = jsonWith({ HATOPO_STATE_DIR: 'off' }, '--patroni', all).states;
      return s.error === undefined && s.members.every((m) => m.name !== orphan) ? s : undefined;
    };
    const forgetful = await waitFor(`${orphan} to leave the cluster's member list`, gone, 30_000, 500);
    assert.equal(forgetful.problems.some((p) => p.code === 'split-brain'), false);
    assert.equal((await truth()).recovery.get(orphan), false, `psql: ${orphan} still accepts writes`);
    // A one-shot status remembers where each member was from the runs before the failure.
    const oneShot = jsonWith({}, '--patroni', all);
    assert.equal(oneShot.code, 1);
    const named = oneShot.states[0].problems.find((p) => p.code === 'split-brain');
    assert.ok(named, JSON.stringify(oneShot.states[0].problems));
    assert.equal(named.severity, 'error');
    assert.match(named.message, new RegExp(`\\b${orphan}\\b`));
    assert.equal(oneShot.states[0].members.find((m) => m.name === orphan)?.writable, true);
    const remembered = readdirSync(join(work, '.local', 'state', 'hatopo', 'patroni')).map((f) => readFileSync(join(work, '.local', 'state', 'hatopo', 'patroni', f), 'utf8'));
    for (const secret of lab.secrets) assert.ok(remembered.every((text) => !text.includes(secret)), 'no password is remembered');
    const r = hatopo('check', '--live', '--format', 'json', '--patroni', all, ...lab.members.map((m) => m.config));
    const diags = (JSON.parse(r.stdout) as { diagnostics: Array<{ file: string; code: string; severity: string; message: string; range: { start: { line: number } } }> }).diagnostics;
    const split = diags.filter((d) => d.code === 'live/split-brain');
    const config = lab.members.find((m) => m.name === orphan)!.config;
    assert.deepEqual(split.map((d) => [d.file, d.severity]), [[config, 'error']]);
    assert.equal(readFileSync(config, 'utf8').split('\n')[split[0].range.start.line], `name: ${orphan}`);
    assert.equal(r.code, 1);
  });

  test('no password of the lab in any output', () => {
    assert.ok(outputs.length > 10);
    for (const secret of [...lab.secrets, haproxy.statsPassword]) {
      for (const o of outputs) assert.ok(!o.includes(secret), `a password appears in: ${o.slice(0, 300)}`);
    }
  });
});
