// The HAProxy provider against a real HAProxy doing real health checks on HTTP targets started here:
// every state read (unix socket, TCP socket, stats page) is compared with `show stat` as HAProxy
// answers it on its admin socket, before and after MAINT, DRAIN and a target turning to 503.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ClusterState, Member } from '../../live/src/model';
import type { Provider } from '../../live/src/provider';
import { haproxyProvider } from '../../live/src/providers/haproxy';
import type { HaproxyOptions } from '../../live/src/providers/haproxy';
import { validateClusterState } from '../helpers/cluster-state';
import type { HaproxyLab, HealthTarget } from './lab/haproxy';
import { haproxyLabMissing, startHaproxyLab, startHealthTarget } from './lab/haproxy';
import { portOpen, waitFor } from './lab/processes';

const CHECK_PORTS = [18421, 18422, 18423];
const SERVER_PORTS = [18431, 18432, 18433];
const CLOSED_PORT = 18498;
const SILENT_PORT = 18497;
const TIMEOUT = 3000;

describe('haproxy provider on a real HAProxy', { skip: haproxyLabMissing(), timeout: 100_000 }, () => {
  let lab: HaproxyLab;
  const targets: HealthTarget[] = [];
  const outputs: string[] = [];
  const sockets = new Set<Socket>();
  const silent = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  /** `show stat` from the admin socket, cut by hand: pxname/svname → status and check_status (no quoted field comes before them). */
  async function truth(): Promise<Map<string, { status: string; check: string }>> {
    const lines = (await lab.socket('show stat')).split('\n').filter(Boolean);
    const header = lines[0].slice(2).split(',');
    const [status, check] = [header.indexOf('status'), header.indexOf('check_status')];
    return new Map(lines.slice(1).map((l) => l.split(',')).map((f) => [`${f[0]}/${f[1]}`, { status: f[status], check: f[check] }]));
  }
  const until = (what: string, want: Record<string, string>) =>
    waitFor(what, async () => {
      const t = await truth();
      return Object.entries(want).every(([k, v]) => t.get(k)?.status === v) ? t : undefined;
    }, 15_000, 100);
  const read = async (o: Partial<HaproxyOptions> = {}, timeoutMs = TIMEOUT): Promise<ClusterState> => {
    const p: Provider = haproxyProvider({ endpoint: lab.adminSocket, ...o });
    const states = await p.read({ timeoutMs });
    outputs.push(JSON.stringify(states), p.source);
    validateClusterState(states);
    assert.equal(states.length, 1);
    return states[0];
  };
  const server = (s: ClusterState, backend: string, name: string): Member => {
    const m = s.members.find((x) => x.role === 'server' && x.group === backend && x.name === name);
    assert.ok(m, `${backend}/${name} not in ${JSON.stringify(s.members.map((x) => `${x.role}:${x.name}`))}`);
    return m;
  };
  /** Every server, backend and frontend the provider shows has the state HAProxy itself reports, and none is missing. */
  async function assertMatchesTruth(s: ClusterState): Promise<void> {
    const t = await truth();
    const seen = s.members.map((m) => {
      const key = m.role === 'server' ? `${m.group}/${m.name}` : `${m.name}/${m.role.toUpperCase()}`;
      const want = t.get(key);
      assert.ok(want, `${key} is not in HAProxy's show stat`);
      assert.equal(m.state, want.status, key);
      if (m.role === 'server' && want.check) assert.ok(m.lastCheck?.startsWith(want.check.replace(/^\* /, '')), `${key}: ${m.lastCheck} vs ${want.check}`);
      return key;
    });
    assert.deepEqual(seen.sort(), [...t.keys()].sort());
  }

  before(async () => {
    targets.push(await startHealthTarget(CHECK_PORTS[0], 200), await startHealthTarget(CHECK_PORTS[1], 503), await startHealthTarget(CHECK_PORTS[2], 503));
    await new Promise<void>((resolve) => silent.listen(SILENT_PORT, '127.0.0.1', resolve));
    lab = await startHaproxyLab({
      statsPort: 18480,
      socketPort: 18481,
      listeners: [
        { name: 'pg_write', port: 18410, servers: [0, 1, 2].map((i) => ({ name: `pg${i + 1}`, host: '127.0.0.1', port: SERVER_PORTS[i], checkPort: CHECK_PORTS[i], check: 'httpchk GET /primary' as const })) },
        { name: 'pg_read', port: 18411, servers: [0, 1].map((i) => ({ name: `r${i + 1}`, host: '127.0.0.1', port: CHECK_PORTS[i], check: 'tcp' as const })) },
      ],
    });
    await until('pg1 UP, pg2 and pg3 DOWN, r1 and r2 UP', { 'pg_write/pg1': 'UP', 'pg_write/pg2': 'DOWN', 'pg_write/pg3': 'DOWN', 'pg_read/r1': 'UP', 'pg_read/r2': 'UP' });
  });

  after(async () => {
    await lab?.stop();
    for (const t of targets) await t.close();
    for (const s of sockets) s.destroy();
    silent.close();
  });

  test('unix socket, TCP socket and stats page: the states HAProxy reports, with addresses and last checks', async () => {
    const viaUnix = await read();
    await assertMatchesTruth(viaUnix);
    assert.equal(viaUnix.name, lab.adminSocket);
    const pg1 = server(viaUnix, 'pg_write', 'pg1');
    assert.deepEqual([pg1.health, pg1.address], ['ok', '127.0.0.1:18431']);
    assert.match(pg1.lastCheck ?? '', /^L7OK\/200 in \d+ms$/);
    // pg2 answers its check with 503 while pg1 takes the traffic: standing by, as a Patroni replica behind /primary.
    assert.deepEqual([server(viaUnix, 'pg_write', 'pg2').health, server(viaUnix, 'pg_write', 'pg2').lastCheck?.split(' ')[0]], ['ok', 'L7STS/503']);
    assert.match(server(viaUnix, 'pg_write', 'pg2').detail ?? '', /standing by/);
    assert.deepEqual(viaUnix.problems, []);
    assert.equal(viaUnix.health, 'ok');
    assert.match(String(viaUnix.details?.version), /^2\./);
    const viaTcp = await read({ endpoint: lab.tcpSocket });
    await assertMatchesTruth(viaTcp);
    assert.equal(viaTcp.name, lab.tcpSocket.replace('tcp://', ''));
    const viaPage = await read({ endpoint: lab.statsUrl, username: lab.statsUser, password: lab.statsPassword });
    await assertMatchesTruth(viaPage);
    const withUserinfo = await read({ endpoint: lab.statsUrl.replace('//', `//${lab.statsUser}:${encodeURIComponent(lab.statsPassword)}@`) });
    assert.equal(withUserinfo.source, lab.statsUrl);
    const shape = (s: ClusterState) => s.members.map((m) => `${m.role}:${m.group ?? ''}/${m.name}:${m.state}:${m.health}`);
    assert.deepEqual(shape(viaTcp), shape(viaUnix));
    assert.deepEqual(shape(viaPage), shape(viaUnix));
    assert.deepEqual(shape(withUserinfo), shape(viaUnix));
  });

  test('MAINT set through the admin socket: a warning with its cause, then UP again', async () => {
    assert.match(await lab.socket('set server pg_read/r2 state maint'), /^\s*$/);
    try {
      await until('r2 in MAINT', { 'pg_read/r2': 'MAINT' });
      const s = await read();
      await assertMatchesTruth(s);
      const r2 = server(s, 'pg_read', 'r2');
      assert.deepEqual([r2.health, r2.detail], ['warning', 'maintenance set through the runtime API']);
      assert.equal(s.members.find((m) => m.role === 'backend' && m.name === 'pg_read')?.health, 'warning');
    } finally {
      await lab.socket('set server pg_read/r2 state ready');
    }
    await until('r2 UP again', { 'pg_read/r2': 'UP' });
    const s = await read();
    await assertMatchesTruth(s);
    assert.equal(server(s, 'pg_read', 'r2').detail, undefined);
  });

  test('DRAIN on the only UP server: HAProxy calls the backend DOWN, the provider an error', async () => {
    await lab.socket('set server pg_write/pg1 state drain');
    try {
      await until('pg1 draining', { 'pg_write/pg1': 'DRAIN', 'pg_write/BACKEND': 'DOWN' });
      const s = await read({ endpoint: lab.tcpSocket });
      await assertMatchesTruth(s);
      const pg1 = server(s, 'pg_write', 'pg1');
      assert.deepEqual([pg1.health, pg1.detail], ['warning', 'drain set through the runtime API']);
      const down = s.problems.find((p) => p.code === 'backend-down');
      assert.deepEqual([down?.severity, down?.member], ['error', 'pg_write']);
      assert.equal(s.health, 'error');
    } finally {
      await lab.socket('set server pg_write/pg1 state ready');
    }
    await until('pg1 UP again', { 'pg_write/pg1': 'UP' });
  });

  test('a health target answering 503: the server goes DOWN by HAProxy’s own check; another taking over clears the error', async () => {
    targets[0].status = 503;
    await until('pg1 DOWN', { 'pg_write/pg1': 'DOWN' });
    let s = await read();
    await assertMatchesTruth(s);
    assert.match(server(s, 'pg_write', 'pg1').lastCheck ?? '', /^L7STS\/503 in \d+ms$/);
    assert.equal(server(s, 'pg_write', 'pg1').health, 'error');
    assert.ok(s.problems.some((p) => p.code === 'server-down' && p.member === 'pg1' && p.severity === 'warning'));
    assert.ok(s.problems.some((p) => p.code === 'backend-down' && p.member === 'pg_write'));
    // As after a switchover: another member now answers 200 on its check.
    targets[1].status = 200;
    await until('pg2 UP', { 'pg_write/pg2': 'UP' });
    s = await read({ endpoint: lab.statsUrl, username: lab.statsUser, password: lab.statsPassword });
    await assertMatchesTruth(s);
    assert.equal(s.problems.some((p) => p.code === 'backend-down'), false);
    // pg1 now answers 503 while pg2 takes the traffic: standing by, no longer a problem.
    assert.deepEqual([server(s, 'pg_write', 'pg1').health, server(s, 'pg_write', 'pg2').health], ['ok', 'ok']);
    assert.equal(s.problems.some((p) => p.member === 'pg1'), false);
  });

  test('a wrong or missing stats password: an authentication error at once, without the password', async () => {
    const wrong = `zz-${Date.now().toString(36)}`;
    for (const o of [{ username: lab.statsUser, password: wrong }, {}]) {
      const t0 = performance.now();
      const s = await read({ endpoint: lab.statsUrl, ...o });
      assert.ok(performance.now() - t0 < 1000);
      assert.equal(s.error, 'authentication failed (401) at 127.0.0.1:18480');
      assert.deepEqual(s.members, []);
      assert.ok(!JSON.stringify(s).includes(wrong));
    }
  });

  test('no socket, a closed port, a silent port: error states within the deadline', async () => {
    assert.equal(await portOpen(CLOSED_PORT), false);
    const cases: Array<[string, RegExp, number]> = [
      [`${lab.dir}/absent.sock`, /^no stats socket at .*absent\.sock$/, TIMEOUT],
      [`tcp://127.0.0.1:${CLOSED_PORT}`, /^connection refused 127\.0\.0\.1:18498$/, TIMEOUT],
      [`http://127.0.0.1:${CLOSED_PORT}/stats`, /^connection refused 127\.0\.0\.1:18498$/, TIMEOUT],
      [`tcp://127.0.0.1:${SILENT_PORT}`, /^timed out after \d+ ms \(127\.0\.0\.1:18497\)$/, 500],
      [`http://127.0.0.1:${SILENT_PORT}/stats`, /^timed out after 500 ms \(127\.0\.0\.1:18497\)$/, 500],
    ];
    for (const [endpoint, error, timeoutMs] of cases) {
      const t0 = performance.now();
      const s = await read({ endpoint }, timeoutMs);
      const ms = performance.now() - t0;
      assert.match(s.error ?? '', error, endpoint);
      assert.ok(ms < Math.min(timeoutMs, 1000) + 500, `${endpoint} took ${ms} ms`);
      assert.equal(s.health, 'error');
    }
  });

  test('no output carries the stats password', () => {
    assert.ok(outputs.length >= 20);
    for (const form of [lab.statsPassword, encodeURIComponent(lab.statsPassword), Buffer.from(`${lab.statsUser}:${lab.statsPassword}`).toString('base64')]) {
      assert.ok(!outputs.some((o) => o.includes(form)), 'the stats password leaked');
    }
  });
});
