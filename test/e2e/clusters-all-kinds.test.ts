// The HA Clusters view in real VS Code with one lab cluster of each kind, all real and on loopback:
// Patroni (etcd + 2 members on PostgreSQL 15), HAProxy in front of it (writes checked with
// `GET /primary`, reads with `GET /replica`), Redis with 3 Sentinels and passwords, and a plain
// PostgreSQL primary with a streaming standby. The workspace's settings list the four clusters
// without secrets; the passwords go through the "Set Credentials…" password box. The tree must show
// what each system says of itself (psql, redis-cli, HAProxy's admin socket) and follow a switchover
// and a failover made outside the editor, without a Refresh.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { e2eSkipReason, outputChannelText, startSession } from '../helpers/e2e-session';
import type { Session } from '../helpers/e2e-session';
import type { HaStack } from '../live/lab/ha-stack';
import { READ_BACKEND, WRITE_BACKEND, haStackMissing, startHaStack } from '../live/lab/ha-stack';
import type { PostgresLab } from '../live/lab/postgres';
import { postgresLabMissing, startPostgresLab } from '../live/lab/postgres';
import { waitFor } from '../live/lab/processes';
import type { RedisLab } from '../live/lab/redis';
import { mastersBySentinels, redisLabMissing, roleOf, startRedisLab } from '../live/lab/redis';
import { clusterRows, openClustersView, pageText, pressInQuickInput, startCommand, widenSideBar } from './clusters-page';
import type { TreeRow } from './clusters-page';

// Ports of this file: etcd 12879/12880, PostgreSQL 15833–15834 (Patroni) and 15840–15841 (plain),
// Patroni REST 18808–18809, Redis 16870–16872 and Sentinels 16880–16882, HAProxy 18850–18853.
const STACK = { scope: 'orders', members: 2, etcdClientPort: 12879, etcdPeerPort: 12880, firstPgPort: 15833, firstRestPort: 18808, writePort: 18850, readPort: 18851, statsPort: 18852, socketPort: 18853 };
const REDIS = { masterName: 'sessions', dataPorts: [16870, 16871, 16872], sentinelPorts: [16880, 16881, 16882] };
const PG = { primaryPort: 15840, standbyPort: 15841 };
// The view reads HAProxy over its TCP stats socket (level operator, what monitoring needs) and shows it
// by that address; the test's own witness is the admin socket.
const HAPROXY_NAME = `127.0.0.1:${STACK.socketPort}`;
const skip = e2eSkipReason() || haStackMissing() || redisLabMissing() || postgresLabMissing() || false;

let stack: HaStack | undefined;
let redis: RedisLab | undefined;
let pg: PostgresLab | undefined;
let s: Session | undefined;
let folder: string | undefined;

before(async () => {
  if (skip) return;
  const labs = await Promise.allSettled([startHaStack(STACK), startRedisLab(REDIS), startPostgresLab(PG)]);
  [stack, redis, pg] = labs.map((l) => (l.status === 'fulfilled' ? l.value : undefined)) as [HaStack?, RedisLab?, PostgresLab?];
  const failed = labs.find((l) => l.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  // What a team would commit: the clusters, their endpoints, no password anywhere.
  folder = mkdtempSync(join(tmpdir(), 'hatopo-e2e-all-kinds-'));
  mkdirSync(join(folder, '.vscode'));
  const clusters = [
    { name: 'orders', kind: 'patroni', endpoints: stack!.patroni.members.map((m) => `http://127.0.0.1:${m.restPort}`) },
    { name: 'sessions', kind: 'sentinel', master: REDIS.masterName, endpoints: REDIS.sentinelPorts.map((p) => `redis://127.0.0.1:${p}`) },
    { name: 'orders-haproxy', kind: 'haproxy', endpoints: [`tcp://${HAPROXY_NAME}`] },
    { name: 'reports', kind: 'postgres', endpoints: [PG.primaryPort, PG.standbyPort].map((p) => `postgresql://127.0.0.1:${p}/postgres`) },
  ];
  writeFileSync(join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'hatopo.clusters': clusters }, null, 2));
  // No kubeconfig: the current kube context would be offered as one more candidate.
  s = await startSession({ 'hatopo.live.refreshInterval': 1 }, { KUBECONFIG: join(folder, 'no-kubeconfig') }, { workspace: folder });
}, { timeout: 150_000 });

after(async () => {
  try {
    await s?.stop();
  } finally {
    await Promise.allSettled([stack?.stop(), redis?.stop(), pg?.stop()]);
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
});

/** The rows under the cluster row whose description starts with `kind ·` (that row first). */
function section(rows: TreeRow[], kind: string): TreeRow[] {
  const start = rows.findIndex((r) => r.level === 1 && r.description.startsWith(`${kind} · `));
  if (start < 0) return [];
  const end = rows.findIndex((r, i) => i > start && r.level === 1);
  return rows.slice(start, end < 0 ? undefined : end);
}

/** The servers an HAProxy backend row holds in the tree, with their descriptions. */
function backendServers(rows: TreeRow[], backend: string): TreeRow[] {
  const at = rows.findIndex((r) => r.level === 2 && r.label === backend && r.description.startsWith('backend'));
  if (at < 0) return [];
  const end = rows.findIndex((r, i) => i > at && r.level < 3);
  return rows.slice(at + 1, end < 0 ? undefined : end);
}

const upServers = (rows: TreeRow[], backend: string) => backendServers(rows, backend).filter((r) => /^server · UP\b/.test(r.description)).map((r) => r.label).sort();

/** What the systems say of themselves, each asked directly. */
interface Truth {
  /** psql on each Patroni member: the one not in recovery. */
  patroniLeader?: string;
  /** HAProxy's admin socket: the UP servers of each listener. */
  writeUp: string[];
  readUp: string[];
  /** redis-cli: the master all three Sentinels name, and ROLE of each data node. */
  sentinelMaster?: string;
  redisRoles: Map<string, string>;
  /** psql: whether each plain server is in recovery, and what the standby's WAL receiver does. */
  pgRecovery: string[];
  standbyReceiver: string;
}

async function truth(): Promise<Truth> {
  const writable: string[] = [];
  for (const m of stack!.patroni.members) if ((await stack!.patroni.psql(m.name, 'SELECT pg_is_in_recovery()').catch(() => 'down')) === 'f') writable.push(m.name);
  const masters = await mastersBySentinels(redis!);
  const redisRoles = new Map<string, string>();
  for (const p of REDIS.dataPorts) redisRoles.set(`127.0.0.1:${p}`, await roleOf(redis!, p));
  return {
    patroniLeader: writable.length === 1 ? writable[0] : undefined,
    writeUp: await stack!.up(WRITE_BACKEND),
    readUp: await stack!.up(READ_BACKEND),
    sentinelMaster: new Set(masters).size === 1 ? masters[0] : undefined,
    redisRoles,
    pgRecovery: await Promise.all([PG.primaryPort, PG.standbyPort].map((p) => pg!.psql(p, 'SELECT pg_is_in_recovery()'))),
    standbyReceiver: await pg!.psql(PG.standbyPort, 'SELECT status, sender_port FROM pg_stat_wal_receiver'),
  };
}

/** Where the tree and the systems differ; empty when the tree tells what they tell. */
function differences(rows: TreeRow[], t: Truth): string[] {
  const diffs: string[] = [];
  const same = (what: string, shown: unknown, real: unknown) => {
    if (JSON.stringify(shown) !== JSON.stringify(real)) diffs.push(`${what}: tree ${JSON.stringify(shown)}, system ${JSON.stringify(real)}`);
  };
  const row = (rs: TreeRow[], label: string) => rs.find((r) => r.level === 2 && r.label === label);
  const primaries = (rs: TreeRow[]) => rs.filter((r) => r.level === 2 && r.description.startsWith('primary')).map((r) => r.label);
  if (!t.patroniLeader || !t.sentinelMaster) diffs.push(`the systems have no single leader yet (Patroni ${t.patroniLeader}, Sentinel ${t.sentinelMaster})`);

  const patroni = section(rows, 'patroni');
  same('Patroni cluster', patroni[0]?.description, `patroni · leader ${t.patroniLeader} · 2/2 healthy`);
  same('Patroni primary', primaries(patroni), [t.patroniLeader]);
  for (const m of stack!.patroni.members.filter((x) => x.name !== t.patroniLeader)) same(`Patroni ${m.name}`, /^replica · (running|streaming) · lag \d+ B/.test(row(patroni, m.name)?.description ?? ''), true);

  const haproxy = section(rows, 'haproxy');
  // Labelled with the name the settings give it; its address is what it calls itself.
  same('HAProxy row', haproxy[0]?.label, 'orders-haproxy');
  same('HAProxy standing-by servers', backendServers(haproxy, WRITE_BACKEND).filter((r) => !t.writeUp.includes(r.label)).every((r) => r.description.startsWith('server · standing by (DOWN)')), true);
  same(`HAProxy ${WRITE_BACKEND} UP`, upServers(haproxy, WRITE_BACKEND), t.writeUp);
  same(`HAProxy ${WRITE_BACKEND} UP vs the Patroni leader`, upServers(haproxy, WRITE_BACKEND), [t.patroniLeader]);
  same(`HAProxy ${READ_BACKEND} UP`, upServers(haproxy, READ_BACKEND), t.readUp);

  const sentinel = section(rows, 'sentinel');
  same('Sentinel cluster', sentinel[0]?.description, `sentinel · leader ${t.sentinelMaster} · 3/3 healthy`);
  same('Sentinel master', primaries(sentinel), [t.sentinelMaster]);
  for (const [address, role] of t.redisRoles) same(`Redis ${address}`, row(sentinel, address)?.description.split(' · ')[0], role === 'master' ? 'primary' : 'replica');
  same('Sentinels', sentinel.filter((r) => r.level === 2 && r.description.startsWith('sentinel')).map((r) => r.label).sort(), REDIS.sentinelPorts.map((p) => `127.0.0.1:${p}`));

  const postgres = section(rows, 'postgres');
  const [primary, standby] = [PG.primaryPort, PG.standbyPort].map((p) => `127.0.0.1:${p}`);
  same('PostgreSQL in recovery (psql)', t.pgRecovery, ['f', 't']);
  same("the standby's WAL receiver (psql)", t.standbyReceiver, `streaming|${PG.primaryPort}`);
  same('PostgreSQL cluster', postgres[0]?.description, `postgres · leader ${primary} · 2/2 healthy`);
  same('PostgreSQL primary', primaries(postgres), [primary]);
  const streaming = new RegExp(`^replica · streaming · lag 0 B[^·]* · TL 1 · from 127\\.0\\.0\\.1:${PG.primaryPort}, slot ${pg!.slot}$`);
  same('PostgreSQL standby', streaming.test(row(postgres, standby)?.description ?? ''), true);
  return diffs;
}

/** Polls the tree and the systems until they agree (both move while a change settles), within a bound. */
async function agreed(what: string, extra: (t: Truth, rows: TreeRow[]) => boolean, timeoutMs: number): Promise<{ rows: TreeRow[]; t: Truth }> {
  let last: string[] = [];
  return waitFor(what, async () => {
    const t = await truth();
    const rows = await clusterRows(s!.workbench);
    last = differences(rows, t);
    if (last.length) last.push(dump(rows));
    return last.length === 0 && extra(t, rows) ? { rows, t } : undefined;
  }, timeoutMs, 250).catch(async (e: Error) => {
    // What a person would look at: the view as shown, and the extension's log.
    await s!.screenshot('clusters-all-kinds-failure');
    const log = outputChannelText(s!.server.userDataDir, 'HA Clusters').split('\n').slice(-15).join('\n');
    assert.fail(`${e.message}\n${last.join('\n')}\nHA Clusters log:\n${log}`);
  });
}

const dump = (rows: TreeRow[]) => rows.map((r) => `${'  '.repeat(r.level)}${r.label} | ${r.description} | ${r.icon}`).join('\n');

/** Polls the tree until `ok` holds for its rows; the rows last seen are in the failure. */
async function untilRows(what: string, ok: (rows: TreeRow[]) => boolean, timeoutMs: number): Promise<TreeRow[]> {
  let last: TreeRow[] = [];
  return waitFor(what, async () => {
    last = await clusterRows(s!.workbench);
    return ok(last) && last;
  }, timeoutMs, 100).catch((e: Error) => assert.fail(`${e.message}\n${dump(last)}`));
}

/** Rows that signal trouble: a cluster that could not be read, its error line, problems (error and warning icons). */
const troubleRows = (rows: TreeRow[]) => rows.filter((r) => r.icon === 'error' || r.icon === 'warning' || r.icon === 'debug-disconnect');

/** "Set Credentials…" from the palette, answered as a person does; `part` when the kind has several. */
async function setCredentials(cluster: string, part: string | undefined, user: string | undefined, password: string): Promise<void> {
  const wb = s!.workbench;
  await startCommand(wb, 'HA Topology: Set Credentials…');
  await pressInQuickInput(wb, cluster, 'Set credentials for');
  if (part) await pressInQuickInput(wb, part, `Credentials for ${cluster}`);
  await pressInQuickInput(wb, user, `${part ?? 'PostgreSQL'} user for ${cluster}`);
  await pressInQuickInput(wb, password, `${part ?? 'PostgreSQL'} password for ${cluster}`);
}

test('the four clusters of the settings, passwords set in the password box: each shows the leader its system reports', { skip, timeout: 90_000 }, async () => {
  const wb = s!.workbench;
  await openClustersView(wb);
  // Without passwords Sentinel and PostgreSQL refuse: the tree says so instead of guessing.
  const refused = await untilRows('the four clusters, the password-protected ones refused', (r) => {
    const refusedIn = (kind: string) => section(r, kind).some((x) => /authentication|asks a password/.test(x.label));
    return r.filter((x) => x.level === 1).length === 4 && refusedIn('sentinel') && refusedIn('postgres');
  }, 30_000);
  assert.deepEqual(refused.filter((x) => x.level === 1).map((x) => x.label), ['orders', 'sessions', 'orders-haproxy', 'reports']);
  await setCredentials('sessions', 'Sentinel', undefined, redis!.sentinelPassword);
  await setCredentials('sessions', 'Redis data nodes', undefined, redis!.dataPassword);
  // A pg_monitor login is all the tree needs.
  await setCredentials('reports', undefined, pg!.monitorUser, pg!.monitorPassword);

  const { rows } = await agreed('the tree to show what the systems report', (_t, r) => troubleRows(r).length === 0, 45_000);
  assert.equal(rows.filter((r) => r.level === 1).length, 4);
  // Every cluster is expanded: members under each, servers under HAProxy's backends.
  for (const kind of ['patroni', 'sentinel', 'haproxy', 'postgres']) assert.ok(section(rows, kind).length > 2, `${kind} expanded`);
  await wb.until('the status bar summary', async () => (await wb.statusBarText()).includes('4/4 clusters healthy'), 10_000);
  await widenSideBar(wb, 320);
  // The picture shows the tree at rest: no row selected, the mouse off the sash, the "saved" message gone.
  await wb.page.keyboard.press('Escape');
  await wb.page.click('.part.editor');
  await untilRows('the same rows after widening', (r) => troubleRows(r).length === 0 && r.length === rows.length, 10_000);
  await wb.until('the status bar without the "saved" message', async () => !(await wb.statusBarText()).includes('credentials of'), 10_000);
  await s!.screenshot('clusters-all-kinds');
});

test('a Patroni switchover made with patronictl: the tree shows the new leader by itself, and HAProxy following it', { skip, timeout: 75_000 }, async () => {
  const { t } = await agreed('a settled start', () => true, 15_000);
  const old = t.patroniLeader!;
  const next = stack!.patroni.members.find((m) => m.name !== old)!.name;
  await stack!.patroni.patronictl('switchover', '--leader', old, '--candidate', next, '--force');
  // Settled: the old leader streams again (HAProxy sends reads to it) and the tree shows no problem.
  const { rows } = await agreed(`${next} as leader in the tree and in HAProxy`, (x, r) => x.patroniLeader === next && x.readUp.join() === old && troubleRows(r).length === 0, 50_000);
  const leaderRow = section(rows, 'patroni').find((r) => r.level === 2 && r.label === next)!;
  assert.match(leaderRow.description, /^primary · running · TL 2/, 'the new leader on a new timeline');
  assert.deepEqual(upServers(section(rows, 'haproxy'), WRITE_BACKEND), [next]);
});

test('a Sentinel failover made with redis-cli: the tree shows the new master by itself', { skip, timeout: 75_000 }, async () => {
  const { t } = await agreed('a settled start', () => true, 15_000);
  const old = t.sentinelMaster!;
  assert.equal(await redis!.redisCli(REDIS.sentinelPorts[1], 'SENTINEL', 'FAILOVER', REDIS.masterName), 'OK');
  // Settled: every Sentinel names another master, the old one is a replica again (ROLE says so), no problem shows.
  const { rows, t: now } = await agreed('the new master in the tree', (x, r) => x.sentinelMaster !== old && x.redisRoles.get(old) === 'slave' && troubleRows(r).length === 0, 50_000);
  const sentinel = section(rows, 'sentinel');
  assert.match(sentinel.find((r) => r.label === now.sentinelMaster)!.description, /^primary/);
  assert.match(sentinel.find((r) => r.label === old)!.description, /^replica/);
});

/** Every log the editor wrote (the extension's output channels, the extension host's, the language server's). */
function allLogs(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out.join('\n');
}

test('no password shows in the page, the logs, the settings or what code-server printed', { skip, timeout: 20_000 }, async () => {
  const log = outputChannelText(s!.server.userDataDir, 'HA Clusters');
  for (const name of ['orders', 'sessions', 'orders-haproxy', 'reports']) assert.match(log, new RegExp(`connecting to \\w+ cluster ${name} `));
  const texts = {
    page: await pageText(s!.workbench),
    logs: allLogs(join(s!.server.userDataDir, 'logs')),
    'user settings': readFileSync(join(s!.server.userDataDir, 'User', 'settings.json'), 'utf8'),
    'workspace settings': readFileSync(join(s!.server.workspace, '.vscode', 'settings.json'), 'utf8'),
    'code-server output': s!.server.output(),
  };
  const secrets = [...stack!.secrets, redis!.sentinelPassword, redis!.dataPassword, ...pg!.secrets];
  for (const secret of secrets) {
    for (const [where, text] of Object.entries(texts)) assert.ok(!text.includes(secret), `a lab password shows in the ${where}`);
  }
  // The page searched is the one that shows the tree, and the passwords were typed into it.
  assert.match(texts.page, /sessions/);
});
