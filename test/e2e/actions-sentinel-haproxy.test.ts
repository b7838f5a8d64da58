// Actions on Redis Sentinel and HAProxy from the HA Clusters tree in real VS Code, against a real
// Redis 7 with 3 Sentinels and a real HAProxy checking three TCP servers (loopback): right-click a
// server, "Drain Server", the modal confirmation with the pre-flight, HAProxy's own `show stat` saying
// DRAIN and the tree following; "Ready Server" back to UP; right-click the Sentinel cluster,
// "Failover…", every Sentinel naming the new master and the old one replicating from it. Each action
// leaves one record in the workspace's .hatopo/audit.jsonl; no password shows anywhere.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { AuditRecord } from '../../live/src/actions/model';
import { e2eSkipReason, outputChannelText, startSession } from '../helpers/e2e-session';
import type { Session } from '../helpers/e2e-session';
import type { HaproxyLab, HealthTarget } from '../live/lab/haproxy';
import { haproxyLabMissing, startHaproxyLab, startHealthTarget } from '../live/lab/haproxy';
import { waitFor } from '../live/lab/processes';
import type { RedisLab } from '../live/lab/redis';
import { mastersBySentinels, redisLabMissing, roleOf, startRedisLab } from '../live/lab/redis';
import { clusterRows, contextMenuOfRow, modalDialog, notificationTexts, openClustersView, pageText, pressDialogButton, pressInQuickInput, startCommand, widenSideBar } from './clusters-page';

// Ports of this file: Redis 17070–17072 and Sentinels 17080–17082; HAProxy: the pool 19323, its
// servers' targets 19330–19332, stats page 19320, operator socket 19321, admin socket 19322.
const REDIS = { masterName: 'sessions', dataPorts: [17070, 17071, 17072], sentinelPorts: [17080, 17081, 17082] };
const HAPROXY = { stats: 19320, operatorSocket: 19321, adminSocket: 19322, pool: 19323 };
const TARGETS = { p1: 19330, p2: 19331, p3: 19332 };
const skip = e2eSkipReason() || redisLabMissing() || haproxyLabMissing() || false;

let redis: RedisLab | undefined;
let haproxy: HaproxyLab | undefined;
const targets: HealthTarget[] = [];
let s: Session | undefined;
let folder: string | undefined;

before(async () => {
  if (skip) return;
  for (const port of Object.values(TARGETS)) targets.push(await startHealthTarget(port, 200));
  const labs = await Promise.allSettled([
    startRedisLab(REDIS),
    startHaproxyLab({
      statsPort: HAPROXY.stats,
      socketPort: HAPROXY.operatorSocket,
      adminSocketPort: HAPROXY.adminSocket,
      listeners: [{ name: 'pool', port: HAPROXY.pool, servers: (['p1', 'p2', 'p3'] as const).map((n) => ({ name: n, host: '127.0.0.1', port: TARGETS[n], check: 'tcp' as const })) }],
    }),
  ]);
  [redis, haproxy] = labs.map((l) => (l.status === 'fulfilled' ? l.value : undefined)) as [RedisLab?, HaproxyLab?];
  const failed = labs.find((l) => l.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  folder = mkdtempSync(join(tmpdir(), 'hatopo-e2e-actions-other-'));
  mkdirSync(join(folder, '.vscode'));
  const clusters = [
    { name: 'sessions', kind: 'sentinel', master: REDIS.masterName, endpoints: REDIS.sentinelPorts.map((p) => `redis://127.0.0.1:${p}`) },
    // The admin-level socket: changing a server's state needs it.
    { name: 'pool-lb', kind: 'haproxy', endpoints: [`tcp://127.0.0.1:${HAPROXY.adminSocket}`] },
  ];
  writeFileSync(join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'hatopo.clusters': clusters }, null, 2));
  s = await startSession({ 'hatopo.live.refreshInterval': 1 }, { KUBECONFIG: join(folder, 'no-kubeconfig') }, { workspace: folder });
}, { timeout: 150_000 });

after(async () => {
  try {
    await s?.stop();
  } finally {
    await Promise.allSettled([redis?.stop(), haproxy?.stop()]);
    for (const t of targets) await t.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
});

const auditLines = (): AuditRecord[] => {
  const file = join(s!.server.workspace, '.hatopo', 'audit.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord) : [];
};

/** HAProxy's own word, from its admin socket: each pool server's status in `show stat`. */
async function poolStatus(): Promise<Record<string, string>> {
  const lines = (await haproxy!.socket('show stat')).split('\n').filter(Boolean);
  const header = lines[0].slice(2).split(',');
  const status = header.indexOf('status');
  return Object.fromEntries(lines.slice(1).map((l) => l.split(',')).filter((f) => f[0] === 'pool' && /^p\d$/.test(f[1])).map((f) => [f[1], f[status]]));
}

/** The description of the tree row labelled `name`. */
async function rowDescription(name: string): Promise<string | undefined> {
  return (await clusterRows(s!.workbench)).find((r) => r.label === name)?.description;
}

/** Confirms the modal dialog of an action with its button, after checking what it says. */
async function confirm(message: RegExp, detail: RegExp, button: string): Promise<void> {
  const wb = s!.workbench;
  const dialog = await wb.until('the confirmation', () => modalDialog(wb), 30_000).catch(async (e: Error) => {
    await s!.screenshot('actions-no-confirmation');
    throw new Error(`${e.message}; notifications: ${(await notificationTexts(wb)).join(' | ')}`);
  });
  assert.match(dialog.message, message);
  assert.match(dialog.detail, detail);
  assert.ok(dialog.buttons.includes(button), dialog.buttons.join());
  await pressDialogButton(wb, button);
}

test('right-click an HAProxy server, Drain Server: DRAIN in show stat and in the tree; Ready Server brings it back UP', { skip, timeout: 120_000 }, async () => {
  const wb = s!.workbench;
  await openClustersView(wb);
  await waitFor('HAProxy to see the pool UP', async () => Object.values(await poolStatus()).join() === 'UP,UP,UP', 15_000, 200);
  await wb.until('the pool servers in the tree', async () => /^server · UP\b/.test((await rowDescription('p1')) ?? ''), 30_000);
  await widenSideBar(wb);
  await contextMenuOfRow(wb, 'p1', 'Drain Server');
  await confirm(/^Drain pool\/p1 \(pool-lb\)\? It takes no new sessions\.$/, /p2, p3 take over/, 'Drain');
  await wb.until('the drain result', async () => (await notificationTexts(wb)).some((t) => /Drain pool-lb — done \(\d+\.\d s\)/.test(t)), 30_000);
  assert.deepEqual(await poolStatus(), { p1: 'DRAIN', p2: 'UP', p3: 'UP' });
  await wb.until('the tree to show p1 draining', async () => /^server · DRAIN\b/.test((await rowDescription('p1')) ?? ''), 15_000);
  await s!.screenshot('actions-haproxy-drained');

  await contextMenuOfRow(wb, 'p1', 'Ready Server');
  await confirm(/^Return pool\/p1 \(pool-lb\) to service\?$/, /pool\/p1/, 'Ready');
  await wb.until('the ready result', async () => (await notificationTexts(wb)).some((t) => /Ready pool-lb — done \(\d+\.\d s\)/.test(t)), 30_000);
  assert.deepEqual(await poolStatus(), { p1: 'UP', p2: 'UP', p3: 'UP' });
  await wb.until('the tree to show p1 UP again', async () => /^server · UP\b/.test((await rowDescription('p1')) ?? ''), 15_000);
  assert.deepEqual(auditLines().map((r) => [r.kind, r.action, r.target, r.outcome, r.via]), [
    ['haproxy', 'drain', 'pool/p1', 'done', 'vscode'],
    ['haproxy', 'ready', 'pool/p1', 'done', 'vscode'],
  ]);
});

test('right-click the Sentinel cluster, Failover…: every Sentinel names a new master, the old one replicates from it, the tree follows', { skip, timeout: 150_000 }, async () => {
  const wb = s!.workbench;
  // Whatever an earlier test left open (a dialog, a quick input) is closed first.
  for (let i = 0; i < 2; i++) await wb.page.keyboard.press('Escape');
  for (const [part, password] of [['Sentinel', redis!.sentinelPassword], ['Redis data nodes', redis!.dataPassword]] as const) {
    await startCommand(wb, 'HA Topology: Set Credentials…');
    await pressInQuickInput(wb, 'sessions', 'Set credentials for');
    await pressInQuickInput(wb, part, 'Credentials for sessions');
    await pressInQuickInput(wb, undefined, `${part} user for sessions`);
    await pressInQuickInput(wb, password, `${part} password for sessions`);
  }
  const masters = await mastersBySentinels(redis!);
  assert.equal(new Set(masters).size, 1, `the Sentinels agree on the master: ${masters.join()}`);
  const old = masters[0];
  await wb.until(`${old} shown as primary`, async () => /^primary\b/.test((await rowDescription(old)) ?? ''), 45_000);
  await contextMenuOfRow(wb, 'sessions', 'Failover…');
  await confirm(new RegExp(`^Fail over sessions from ${old.replace(/\./g, '\\.')} to .+\\?$`), /pre-flight: passed/, 'Fail Over');
  await wb.until('the failover result', async () => (await notificationTexts(wb)).some((t) => /Fail Over sessions — done \(\d+\.\d s\)/.test(t)), 90_000);
  const now = await mastersBySentinels(redis!);
  assert.equal(new Set(now).size, 1, `the Sentinels agree on the new master: ${now.join()}`);
  assert.notEqual(now[0], old);
  assert.equal(await roleOf(redis!, Number(now[0].split(':')[1])), 'master');
  assert.equal(await roleOf(redis!, Number(old.split(':')[1])), 'slave');
  await wb.until(`the tree to show ${now[0]} as primary`, async () => /^primary\b/.test((await rowDescription(now[0])) ?? '') && /^replica\b/.test((await rowDescription(old)) ?? ''), 30_000);
  // The promoted replica and the old master each said "master" for a moment: that is the failover, not a split brain.
  const alarms = (await notificationTexts(wb)).filter((t) => /split brain|two masters/i.test(t));
  assert.deepEqual(alarms, [], 'no split-brain alarm for a failover asked for');
  await s!.screenshot('actions-sentinel-failover');
  const rec = auditLines().at(-1) as AuditRecord;
  assert.deepEqual([rec.kind, rec.action, rec.outcome, rec.primary, rec.via, rec.cluster], ['sentinel', 'sentinel-failover', 'done', old, 'vscode', 'sessions']);
  assert.equal(auditLines().length, 3, 'one record per action');
});

test('no password shows in the page, the output, the audit or what code-server printed', { skip, timeout: 20_000 }, async () => {
  const log = outputChannelText(s!.server.userDataDir, 'HA Clusters');
  assert.match(log, /audit: \{"at":/);
  const texts = { page: await pageText(s!.workbench), log, audit: JSON.stringify(auditLines()), 'code-server output': s!.server.output() };
  for (const secret of [redis!.sentinelPassword, redis!.dataPassword, haproxy!.statsPassword]) {
    for (const [where, text] of Object.entries(texts)) assert.ok(!text.includes(secret), `a lab password shows in the ${where}`);
  }
});
