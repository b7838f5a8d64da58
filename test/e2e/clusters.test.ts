// The HA Clusters view in real VS Code against a real Patroni cluster (etcd + 2 Patroni 3.0.2 members
// on PostgreSQL 15, on loopback): a cluster found in the workspace is connected with one click, the
// tree shows the leader that PostgreSQL itself reports, follows a switchover made outside by
// patronictl without being asked, and raises the split-brain alarm when the leader's Patroni is
// SIGKILLed. Credentials typed into the password box never show anywhere.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { e2eSkipReason, outputChannelText, startSession } from '../helpers/e2e-session';
import type { Session } from '../helpers/e2e-session';
import type { PatroniLab } from '../live/lab/patroni';
import { patroniLabMissing, startPatroniLab } from '../live/lab/patroni';
import { clusterRows, notificationTexts, openClustersView, pageText, pressInQuickInput, clickRow, startCommand, widenSideBar } from './clusters-page';
import type { TreeRow } from './clusters-page';

// Ports of this file: etcd 12779/12780, PostgreSQL 15733–15734, Patroni REST 18708–18709.
const PORTS = { etcdClientPort: 12779, etcdPeerPort: 12780, firstPgPort: 15733, firstRestPort: 18708 };
const skip = e2eSkipReason() || (patroniLabMissing() ? `Patroni lab programs missing: ${patroniLabMissing()}` : false);

let lab: PatroniLab | undefined;
let s: Session | undefined;
let folder: string | undefined;

before(async () => {
  if (skip) return;
  lab = await startPatroniLab({ members: 2, scope: 'e2e-lab', ...PORTS });
  // The workspace describes the lab as its config files do, minus the passwords (the editor shows it).
  folder = mkdtempSync(join(tmpdir(), 'hatopo-e2e-clusters-'));
  for (const m of lab.members) {
    const config = { scope: lab.scope, name: m.name, restapi: { listen: `127.0.0.1:${m.restPort}`, connect_address: `127.0.0.1:${m.restPort}` }, postgresql: { connect_address: `127.0.0.1:${m.pgPort}`, authentication: { superuser: { username: lab.superuser } } } };
    writeFileSync(join(folder, `patroni-${m.name}.yml`), stringify(config));
  }
  s = await startSession({ 'hatopo.live.refreshInterval': 1 }, {}, { workspace: folder });
}, { timeout: 150_000 });

after(async () => {
  try {
    await s?.stop();
  } finally {
    await lab?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
});

/** The member PostgreSQL itself says is not in recovery (the truth, read with psql). */
async function writableMembers(): Promise<string[]> {
  const out: string[] = [];
  for (const m of lab!.members) {
    const r = await lab!.psql(m.name, 'select pg_is_in_recovery()').catch(() => 'down');
    if (r.trim() === 'f') out.push(m.name);
  }
  return out;
}

const primaryRow = (rows: TreeRow[]) => rows.filter((r) => lab!.members.some((m) => m.name === r.label) && r.description.startsWith('primary'));

test('a Patroni cluster found in the workspace: one click connects it, and the tree shows the leader PostgreSQL reports', { skip, timeout: 120_000 }, async () => {
  const wb = s!.workbench;
  await openClustersView(wb);
  await wb.until('the lab offered under "Found in this workspace"', async () => (await clusterRows(wb)).some((r) => r.label === 'e2e-lab' && r.description.startsWith('patroni · http://127.0.0.1:18708')));
  await clickRow(wb, 'e2e-lab');
  const truth = await wb.until('one writable member', async () => {
    const w = await writableMembers();
    return w.length === 1 && w[0];
  });
  const rows = await wb.until(`the tree to show ${truth} as primary`, async () => {
    const r = await clusterRows(wb);
    const p = primaryRow(r);
    return p.length === 1 && p[0].label === truth && r;
  });
  const cluster = rows.find((r) => r.label === 'e2e-lab')!;
  assert.match(cluster.description, new RegExp(`^patroni · leader ${truth} · 2/2 healthy`));
  const replica = rows.find((r) => r.label !== truth && lab!.members.some((m) => m.name === r.label))!;
  assert.match(replica.description, /^replica · (running|streaming) · lag 0 B · TL 1/);
  assert.ok(!rows.some((r) => r.label === 'Found in this workspace'), 'the connected candidate is no longer offered');
  await widenSideBar(wb);
  await s!.screenshot('clusters-tree');
});

test('a switchover made outside with patronictl shows in the tree by itself, with the new timeline', { skip, timeout: 120_000 }, async () => {
  const wb = s!.workbench;
  const [old] = await writableMembers();
  const next = lab!.members.find((m) => m.name !== old)!.name;
  await lab!.patronictl('switchover', '--leader', old, '--candidate', next, '--force');
  const rows = await wb.until(`the tree to show ${next} as primary`, async () => {
    const r = await clusterRows(wb);
    const p = primaryRow(r);
    return p.length === 1 && p[0].label === next && /TL 2/.test(p[0].description) && r;
  }, 45_000);
  assert.deepEqual(await wb.until('PostgreSQL to agree', async () => {
    const w = await writableMembers();
    return w.length === 1 && w;
  }), [next]);
  assert.match(rows.find((r) => r.label === 'e2e-lab')!.description, new RegExp(`leader ${next}`));
  // "Open Config" on the new leader's row opens the file that defines that member.
  await clickRow(wb, next);
  await clickRow(wb, next, 'Open Config');
  await wb.page.waitForSelector(`.tab.active[data-resource-name="patroni-${next}.yml"]`, { timeout: 15_000 });
  // The status bar item names the cluster of the active file (a file of the workspace describes it).
  await wb.openFile(`patroni-${old}.yml`);
  await wb.until('the status bar item for the lab', async () => (await wb.statusBarText()).includes(`e2e-lab: ${next} · 2/2 healthy`));
});

test('credentials set in the password box enable the split-brain check; SIGKILLing the leader\'s Patroni raises the alarm everywhere', { skip, timeout: 150_000 }, async () => {
  const wb = s!.workbench;
  // The command's own quick input follows the palette at once: not a command that closes it.
  await startCommand(wb, 'HA Topology: Set Credentials…');
  await pressInQuickInput(wb, 'PostgreSQL', 'PostgreSQL');
  await pressInQuickInput(wb, undefined, `PostgreSQL user for e2e-lab`);
  await pressInQuickInput(wb, lab!.superuserPassword, 'PostgreSQL password for e2e-lab');
  const [leader] = await writableMembers();
  await lab!.killPatroni(leader);
  const rows = await wb.until('the split-brain problem in the tree', async () => {
    const r = await clusterRows(wb);
    return r.some((x) => x.description === 'split-brain' && x.label.includes(leader)) && r;
  }, 60_000);
  // PostgreSQL confirms: two members accept writes.
  assert.deepEqual((await writableMembers()).sort(), lab!.members.map((m) => m.name).sort());
  assert.ok(rows.some((r) => r.label === 'e2e-lab'));
  await wb.until('the split-brain notification', async () => (await notificationTexts(wb)).some((t) => new RegExp(`patroni cluster e2e-lab — split brain: ${leader}`).test(t)));
  await wb.until('the status bar alarm', async () => (await wb.statusBarText()).includes('SPLIT BRAIN'));
  await s!.screenshot('clusters-split-brain');

  // The password never shows: not in the page, the logs or the settings; the log is not empty.
  const log = outputChannelText(s!.server.userDataDir, 'HA Clusters');
  assert.match(log, /connecting to patroni cluster e2e-lab/);
  const settings = readFileSync(join(s!.server.userDataDir, 'User', 'settings.json'), 'utf8');
  for (const secret of lab!.secrets) {
    for (const [where, text] of [['page', await pageText(wb)], ['log', log], ['settings', settings], ['code-server output', s!.server.output()]] as const) {
      assert.ok(!text.includes(secret), `a lab password shows in the ${where}`);
    }
  }
});
