// HAProxy server actions on a real HAProxy checking real HTTP and TCP targets, run through runAction
// as the CLI and the editor run them, and checked against `show stat` and `show servers state` on
// the admin socket: drain, maint, ready and weight over a unix and a TCP admin socket; the refusals
// (the last server of a backend, an unknown server, the stats page) leaving every server as it was;
// a socket without admin level reported in plain words.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HaproxyAction } from '../../live/src/actions/haproxy';
import { haproxyActionSpec } from '../../live/src/actions/haproxy';
import type { ActionResult, AuditRecord } from '../../live/src/actions/model';
import { runAction } from '../../live/src/actions/run';
import type { HaproxyLab, HealthTarget } from './lab/haproxy';
import { haproxyLabMissing, startHaproxyLab, startHealthTarget } from './lab/haproxy';
import { waitFor } from './lab/processes';

const PORTS = { write: 17400, pool: 17401, stats: 17420, operatorSocket: 17421, adminSocket: 17422 };
const TARGETS = { w1: 17410, w2: 17412, p1: 17410, p2: 17411, p3: 17413 };

interface Seen {
  status: string;
  weight: number;
}

describe('HAProxy actions on a real HAProxy', { skip: haproxyLabMissing(), timeout: 90_000 }, () => {
  let lab: HaproxyLab;
  const targets: HealthTarget[] = [];
  const audit: AuditRecord[] = [];
  const said: string[] = [];

  /** `show stat` on the admin socket, cut by hand: backend/server → status and weight. */
  async function truth(): Promise<Map<string, Seen>> {
    const lines = (await lab.socket('show stat')).split('\n').filter(Boolean);
    const header = lines[0].slice(2).split(',');
    const [status, weight] = [header.indexOf('status'), header.indexOf('weight')];
    return new Map(lines.slice(1).map((l) => l.split(',')).map((f) => [`${f[0]}/${f[1]}`, { status: f[status], weight: Number(f[weight]) }]));
  }
  /** `show servers state`: backend/server → the admin state bits and the weight the user set. */
  async function serversState(): Promise<Map<string, { admin: number; uweight: number }>> {
    const lines = (await lab.socket('show servers state')).split('\n').filter((l) => l.trim());
    const header = lines[1].slice(2).trim().split(/\s+/);
    const at = (f: string[], name: string) => f[header.indexOf(name)];
    return new Map(lines.slice(2).map((l) => l.trim().split(/\s+/)).map((f) => [`${at(f, 'be_name')}/${at(f, 'srv_name')}`, { admin: Number(at(f, 'srv_admin_state')), uweight: Number(at(f, 'srv_uweight')) }]));
  }
  const statusOf = async (server: string) => (await truth()).get(server)?.status;
  const until = (want: Record<string, string>) =>
    waitFor(`servers ${JSON.stringify(want)}`, async () => {
      const t = await truth();
      return Object.entries(want).every(([k, v]) => t.get(k)?.status === v) ? t : undefined;
    }, 15_000, 100);

  const run = async (action: HaproxyAction, server: string, o: { endpoint?: string; weight?: number; username?: string; password?: string } = {}): Promise<ActionResult> => {
    const spec = haproxyActionSpec({ action, server, endpoint: o.endpoint ?? lab.adminSocket, weight: o.weight, username: o.username, password: o.password });
    const r = await runAction(spec, { deadlineMs: 10_000, pollMs: 100, via: 'test', audit: { write: async (rec) => void audit.push(rec) }, secrets: [lab.statsPassword] });
    said.push(r.message, JSON.stringify(r.preflight));
    return r;
  };
  /** Runs an action that must be refused or fail, and asserts no server changed state or weight. */
  const unchanged = async (action: HaproxyAction, server: string, o: Parameters<typeof run>[2], outcome: ActionResult['outcome'], reason: RegExp) => {
    const was = await truth();
    const wasState = await serversState();
    const r = await run(action, server, o);
    assert.equal(r.outcome, outcome, r.message);
    assert.match(r.message, reason);
    assert.deepEqual(await truth(), was, 'no server changed');
    assert.deepEqual(await serversState(), wasState, 'no admin state or weight changed');
    return r;
  };

  before(async () => {
    targets.push(await startHealthTarget(TARGETS.w1, 200), await startHealthTarget(TARGETS.w2, 503), await startHealthTarget(TARGETS.p2, 200), await startHealthTarget(TARGETS.p3, 200));
    lab = await startHaproxyLab({
      statsPort: PORTS.stats,
      socketPort: PORTS.operatorSocket,
      adminSocketPort: PORTS.adminSocket,
      listeners: [
        {
          name: 'pg_write',
          port: PORTS.write,
          servers: [
            { name: 'w1', host: '127.0.0.1', port: 17431, checkPort: TARGETS.w1, check: 'httpchk GET /primary' },
            { name: 'w2', host: '127.0.0.1', port: 17432, checkPort: TARGETS.w2, check: 'httpchk GET /primary' },
          ],
        },
        { name: 'pool', port: PORTS.pool, servers: (['p1', 'p2', 'p3'] as const).map((n) => ({ name: n, host: '127.0.0.1', port: TARGETS[n], check: 'tcp' as const })) },
      ],
    });
    await until({ 'pg_write/w1': 'UP', 'pg_write/w2': 'DOWN', 'pool/p1': 'UP', 'pool/p2': 'UP', 'pool/p3': 'UP' });
  }, { timeout: 30_000 });

  after(async () => {
    await lab?.stop();
    for (const t of targets) await t.close();
  });

  test('drain over the unix admin socket: DRAIN in show stat, the others named as taking over; ready brings it back UP', async () => {
    const r = await run('drain', 'pool/p1');
    assert.equal(r.outcome, 'done', r.message);
    assert.equal(await statusOf('pool/p1'), 'DRAIN');
    assert.equal(((await serversState()).get('pool/p1')?.admin ?? 0) & 0x08, 0x08, 'drain forced through the runtime API');
    const target = r.preflight.candidates.find((c) => c.member === 'pool/p1');
    assert.ok(target?.safe && target.notes.includes('p2, p3 take over'), JSON.stringify(target));
    assert.equal(r.after?.members.find((m) => m.group === 'pool' && m.name === 'p1')?.state, 'DRAIN');
    const rec = audit.at(-1) as AuditRecord;
    assert.deepEqual([rec.action, rec.kind, rec.outcome, rec.target, rec.options], ['drain', 'haproxy', 'done', 'pool/p1', { server: 'pool/p1' }]);
    assert.equal(rec.preflight.target?.member, 'pool/p1');
    const back = await run('ready', 'pool/p1');
    assert.equal(back.outcome, 'done', back.message);
    assert.equal(await statusOf('pool/p1'), 'UP');
    assert.equal((await serversState()).get('pool/p1')?.admin, 0);
  });

  test('maint and ready over the TCP admin socket: MAINT, then UP again once its check passes', async () => {
    const endpoint = lab.adminTcpSocket as string;
    const r = await run('maint', 'pool/p2', { endpoint });
    assert.equal(r.outcome, 'done', r.message);
    assert.equal(await statusOf('pool/p2'), 'MAINT');
    assert.equal(audit.at(-1)?.source, endpoint);
    const back = await run('ready', 'pool/p2', { endpoint });
    assert.equal(back.outcome, 'done', back.message);
    // Out of MAINT HAProxy checks the server again (UP 1/2): the action is done once the checks settled.
    assert.equal(await statusOf('pool/p2'), 'UP');
  });

  test('weight: show stat and show servers state carry the weight asked; a weight out of range is refused', async () => {
    const r = await run('weight', 'pool/p3', { weight: 37 });
    assert.equal(r.outcome, 'done', r.message);
    assert.equal((await truth()).get('pool/p3')?.weight, 37);
    assert.equal((await serversState()).get('pool/p3')?.uweight, 37);
    assert.deepEqual(audit.at(-1)?.options, { server: 'pool/p3', weight: 37 });
    await unchanged('weight', 'pool/p3', { weight: 300 }, 'refused', /a weight is a whole number from 0 to 256, not 300/);
    const back = await run('weight', 'pool/p3', { weight: 1, endpoint: lab.adminTcpSocket });
    assert.equal(back.outcome, 'done', back.message);
    assert.equal((await truth()).get('pool/p3')?.weight, 1);
  });

  test('the last server that takes traffic is not drained, put in maintenance or weighed to 0; nothing changes', async () => {
    const r = await unchanged('drain', 'pg_write/w1', {}, 'refused', /backend pg_write would have no server left/);
    assert.deepEqual(r.preflight.candidates.map((c) => [c.member, c.safe]), [['pg_write/w1', false], ['pg_write/w2', true]]);
    await unchanged('maint', 'pg_write/w1', {}, 'refused', /pg_write\/w1: it is the last server of pg_write that takes traffic/);
    await unchanged('weight', 'pg_write/w1', { weight: 0 }, 'refused', /backend pg_write would have no server left/);
    assert.equal(await statusOf('pg_write/w1'), 'UP');
    const rec = audit.at(-1) as AuditRecord;
    assert.deepEqual([rec.outcome, rec.preflight.ok, rec.preflight.target?.safe], ['refused', false, false]);
    // Its standby neighbour, DOWN on its check, may go: it takes no traffic.
    const w2 = await run('maint', 'pg_write/w2');
    assert.equal(w2.outcome, 'done', w2.message);
    assert.equal(await statusOf('pg_write/w2'), 'MAINT');
    // Out of MAINT, its check still answers 503: ready, settled DOWN, standing by as before.
    assert.equal((await run('ready', 'pg_write/w2')).outcome, 'done');
    assert.equal(await statusOf('pg_write/w2'), 'DOWN');
  });

  test('an unknown server is refused with the known ones; ready on a ready server is a no-op said so', async () => {
    await unchanged('drain', 'pool/p9', {}, 'refused', /backend pool has no server p9 \(servers: p1, p2, p3\)/);
    await unchanged('drain', 'nowhere/p1', {}, 'refused', /there is no backend nowhere with servers \(backends: pg_write, pool\)/);
    await unchanged('drain', 'p1', {}, 'refused', /name the server as backend\/server/);
    const r = await run('ready', 'pool/p3');
    assert.equal(r.outcome, 'done', r.message);
    assert.ok(r.preflight.warnings.some((w) => /pool\/p3 is already ready \(UP, no maintenance or drain set\): nothing will change/.test(w)), r.preflight.warnings.join('\n'));
    assert.equal(await statusOf('pool/p3'), 'UP');
  });

  test('a socket at level operator: HAProxy’s Permission denied reported in plain words, nothing changed', async () => {
    const r = await unchanged('drain', 'pool/p1', { endpoint: lab.tcpSocket }, 'failed', /is not at level admin \(HAProxy answered 'Permission denied'\): changing a server needs `stats socket … level admin`/);
    assert.ok(r.preflight.ok, 'the pre-flight itself passed: only HAProxy knows the level');
    assert.equal(audit.at(-1)?.outcome, 'failed');
  });

  test('the stats page is refused before anything is sent, naming the socket setting; its password appears nowhere', async () => {
    const r = await unchanged('drain', 'pool/p1', { endpoint: lab.statsUrl, username: lab.statsUser, password: lab.statsPassword }, 'refused', /is a stats page: .*`stats socket <path or ip:port> level admin`/);
    assert.equal(r.preflight.candidates.find((c) => c.member === 'pool/p1')?.safe, true, 'the server itself could go');
    const withUserinfo = lab.statsUrl.replace('//', `//${lab.statsUser}:${encodeURIComponent(lab.statsPassword)}@`);
    const r2 = await unchanged('maint', 'pool/p1', { endpoint: withUserinfo }, 'refused', /stats socket/);
    assert.equal(audit.at(-1)?.source, lab.statsUrl);
    assert.doesNotMatch(r2.message, new RegExp(lab.statsPassword));
    const all = JSON.stringify({ audit, said });
    assert.ok(!all.includes(lab.statsPassword) && !all.includes(encodeURIComponent(lab.statsPassword)), 'the stats password leaked');
    assert.ok(audit.length >= 15, `${audit.length} audit records`);
  });
});
