// Switchover from the HA Clusters tree in real VS Code, against a real Patroni cluster (etcd + 2
// Patroni 3.0.2 members on PostgreSQL 15, loopback): right-click the replica, "Switchover…", a modal
// confirmation with the pre-flight, progress, the result; PostgreSQL confirms the new primary, the
// tree follows, and the workspace's .hatopo/audit.jsonl holds the record. Then a switchover from the
// palette, its quick pick showing each candidate's verdict. The REST API password typed into the
// password box shows nowhere.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import type { AuditRecord } from '../../live/src/actions/model';
import { e2eSkipReason, outputChannelText, startSession } from '../helpers/e2e-session';
import type { Session } from '../helpers/e2e-session';
import type { PatroniLab } from '../live/lab/patroni';
import { patroniLabMissing, startPatroniLab, waitForStreaming } from '../live/lab/patroni';
import { clickRow, clusterRows, contextMenuOfRow, modalDialog, notificationTexts, openClustersView, pageText, pressDialogButton, pressInQuickInput, startCommand, widenSideBar } from './clusters-page';

// Ports of this file: etcd 12979/12980, PostgreSQL 16133–16134, Patroni REST 19308–19309.
const PORTS = { etcdClientPort: 12979, etcdPeerPort: 12980, firstPgPort: 16133, firstRestPort: 19308 };
const skip = e2eSkipReason() || (patroniLabMissing() ? `Patroni lab programs missing: ${patroniLabMissing()}` : false);

let lab: PatroniLab | undefined;
let s: Session | undefined;
let folder: string | undefined;

before(async () => {
  if (skip) return;
  lab = await startPatroniLab({ members: 2, scope: 'e2e-actions', ...PORTS });
  folder = mkdtempSync(join(tmpdir(), 'hatopo-e2e-actions-'));
  for (const m of lab.members) {
    const config = { scope: lab.scope, name: m.name, restapi: { listen: `127.0.0.1:${m.restPort}`, connect_address: `127.0.0.1:${m.restPort}` }, postgresql: { connect_address: `127.0.0.1:${m.pgPort}` } };
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

async function writableMembers(): Promise<string[]> {
  const out: string[] = [];
  for (const m of lab!.members) if ((await lab!.psql(m.name, 'select pg_is_in_recovery()').catch(() => 'down')).trim() === 'f') out.push(m.name);
  return out;
}

const auditLines = (): AuditRecord[] => {
  const file = join(s!.server.workspace, '.hatopo', 'audit.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord) : [];
};

test('right-click a replica, Switchover…: the pre-flight in a modal confirmation, then the new primary, verified and audited', { skip, timeout: 180_000 }, async () => {
  const wb = s!.workbench;
  await openClustersView(wb);
  await wb.until('the lab offered', async () => (await clusterRows(wb)).some((r) => r.label === 'e2e-actions'));
  await clickRow(wb, 'e2e-actions');
  // Patroni's REST API asks for a password for anything that changes the cluster.
  // The command's own quick input follows the palette at once: not a command that closes it.
  await startCommand(wb, 'HA Topology: Set Credentials…');
  await pressInQuickInput(wb, 'REST API', 'REST API');
  await pressInQuickInput(wb, lab!.restUser, 'REST API user for e2e-actions');
  await pressInQuickInput(wb, lab!.restPassword, 'REST API password for e2e-actions');
  const leader = await waitForStreaming(lab!, 1, 60_000);
  const replica = lab!.members.find((m) => m.name !== leader)!.name;
  await wb.until(`${replica} shown streaming`, async () => (await clusterRows(wb)).some((r) => r.label === replica && /^replica · (running|streaming)/.test(r.description)));
  await widenSideBar(wb);
  await contextMenuOfRow(wb, replica, 'Switchover…');
  const dialog = await wb.until('the confirmation', () => modalDialog(wb), 30_000);
  assert.equal(dialog.message, `Switch over e2e-actions from ${leader} to ${replica}?`);
  assert.match(dialog.detail, /pre-flight: passed/);
  assert.match(dialog.detail, new RegExp(`✓ ${replica} \\(target\\): safe`));
  assert.ok(dialog.buttons.includes('Switch Over'), dialog.buttons.join());
  await s!.screenshot('actions-switchover-confirm');
  assert.deepEqual(await writableMembers(), [leader], 'nothing changed before the confirmation');
  await pressDialogButton(wb, 'Switch Over');
  await wb.until('the result notification', async () => (await notificationTexts(wb)).some((t) => /Switch Over e2e-actions — done \(\d+\.\d s\): Successfully switched over to "?\w+/.test(t)), 90_000);
  assert.deepEqual(await writableMembers(), [replica]);
  await wb.until(`the tree to show ${replica} as primary`, async () => (await clusterRows(wb)).some((r) => r.label === replica && r.description.startsWith('primary')), 30_000);
  await s!.screenshot('actions-switchover-done');
  const [rec] = auditLines();
  assert.deepEqual([rec.action, rec.outcome, rec.primary, rec.target, rec.via, rec.cluster], ['switchover', 'done', leader, replica, 'vscode', 'e2e-actions']);
});

test('Switchover… from the palette: a quick pick of the candidates with their verdicts; Escape changes nothing', { skip, timeout: 120_000 }, async () => {
  const wb = s!.workbench;
  const leader = await waitForStreaming(lab!, 1, 60_000);
  const replica = lab!.members.find((m) => m.name !== leader)!.name;
  await startCommand(wb, 'HA Topology: Switchover…');
  await wb.until('the candidates with their verdicts', async () => {
    const rows = await wb.page.evaluate(() => Array.from(document.querySelectorAll('.quick-input-widget .monaco-list-row')).map((r) => r.getAttribute('aria-label') ?? ''), undefined);
    return rows.some((r) => r.includes('Any')) && rows.some((r) => r.includes(replica) && r.includes('safe')) && rows;
  }, 30_000);
  await s!.screenshot('actions-switchover-pick');
  await wb.page.keyboard.press('Escape');
  assert.deepEqual(await writableMembers(), [leader]);
  assert.equal(auditLines().length, 1, 'nothing was attempted');
  const log = outputChannelText(s!.server.userDataDir, 'HA Clusters');
  assert.match(log, /audit: \{"at":/);
  for (const secret of lab!.secrets) {
    for (const [where, text] of [['page', await pageText(wb)], ['log', log], ['audit', JSON.stringify(auditLines())], ['code-server output', s!.server.output()]] as const) {
      assert.ok(!text.includes(secret), `a lab password shows in the ${where}`);
    }
  }
});

declare const document: { querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> };
