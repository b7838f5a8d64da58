// Workspace Trust in real VS Code: a folder opened in Restricted Mode shows the view's restricted
// welcome and contacts nothing — neither the cluster of the user's settings nor the one its files
// describe — until trust is granted; then both appear without a reload.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { e2eSkipReason, outputChannelText, startSession } from '../helpers/e2e-session';
import type { Session } from '../helpers/e2e-session';
import { clickRow, clusterRows, notificationTexts, openClustersView, pageText, welcomeText, widenSideBar } from './clusters-page';

// Ports of this file: a stand-in Patroni REST API on 18719; 18720 is described but never served.
const API_PORT = 18719;
const skip = e2eSkipReason();

let s: Session | undefined;
let api: Server | undefined;

function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    const body = ANSWERS[(req.url ?? '').split('?')[0]];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
  return new Promise<Server>((ok, fail) => server.once('error', fail).listen(API_PORT, '127.0.0.1', () => ok(server)));
}
let folder: string | undefined;
const requests: string[] = [];
const authorizations: string[] = [];
// Typed into the settings by mistake: dropped with a warning, never sent, never shown.
const TYPED_PASSWORD = 'typed-into-settings-7f3a';

// Patroni 3.0.2's answers, as recorded on this machine (../shared/recipes/live-testbed.md).
const ANSWERS: Record<string, unknown> = {
  '/cluster': { members: [{ name: 'pg1', role: 'leader', state: 'running', api_url: `http://127.0.0.1:${API_PORT}/patroni`, host: '127.0.0.1', port: 5433, timeline: 1 }] },
  '/patroni': { state: 'running', role: 'master', server_version: 150000, timeline: 1, patroni: { version: '3.0.2', scope: 'from-settings' }, replication: [] },
  '/history': [],
};

before(async () => {
  if (skip) return;
  api = await serve();
  folder = mkdtempSync(join(tmpdir(), 'hatopo-e2e-untrusted-'));
  // Timings the language server warns about: its diagnostics show the extension is running.
  writeFileSync(join(folder, 'patroni.yml'), 'scope: found-in-files\nname: pg9\nrestapi:\n  listen: 127.0.0.1:18720\n  connect_address: 127.0.0.1:18720\nbootstrap:\n  dcs:\n    ttl: 30\n    loop_wait: 10\n    retry_timeout: 15\n');
  const settings = {
    'security.workspace.trust.enabled': true,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'hatopo.live.refreshInterval': 1,
    'hatopo.clusters': [{ name: 'from-settings', kind: 'patroni', endpoints: [`http://admin:${TYPED_PASSWORD}@127.0.0.1:${API_PORT}`] }],
  };
  s = await startSession(settings, {}, { workspace: folder, workspaceTrust: true });
}, { timeout: 90_000 });

after(async () => {
  try {
    await s?.stop();
  } finally {
    api?.closeAllConnections();
    api?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
});

test('Restricted Mode: the restricted welcome, no discovery, no connection; trust granted: both appear', { skip, timeout: 120_000 }, async () => {
  const wb = s!.workbench;
  // The extension is active: the language server has reported on the Patroni file.
  await wb.openFile('patroni.yml');
  await wb.until('the Patroni timing warning', async () => (await wb.problems()).warnings > 0, 30_000);
  await openClustersView(wb);
  const welcome = await wb.until('the restricted welcome', async () => {
    const t = await welcomeText(wb);
    return t.includes('Restricted Mode') && t;
  });
  assert.match(welcome, /nothing connects to a cluster/);
  assert.deepEqual(await clusterRows(wb), []);
  await s!.screenshot('clusters-restricted');
  // A window of a few refresh intervals (1 s each) in which nothing may reach the endpoint.
  const deadline = Date.now() + 4000;
  while (Date.now() < deadline) {
    assert.deepEqual(requests, [], 'Restricted Mode contacted the endpoint of the settings');
    await new Promise((ok) => setTimeout(ok, 250));
  }

  await wb.runCommand('Workspaces: Manage Workspace Trust');
  await wb.page.click('.workspace-trust-editor .workspace-trust-buttons-row .monaco-button:has-text("Trust")');
  await wb.until('the settings cluster read, with its leader', async () => (await clusterRows(wb)).some((x) => x.label === 'from-settings' && /leader pg1 · 1\/1 healthy/.test(x.description)), 30_000);
  assert.ok(requests.some((u) => u.startsWith('/cluster')), 'trusted: the settings cluster is read');
  // The password typed into the setting was dropped, with a warning, and never sent or shown.
  await wb.until('the warning about credentials in the setting', async () => (await notificationTexts(wb)).some((t) => /item 1 \(from-settings\): an endpoint held credentials; they were ignored/.test(t)));
  assert.deepEqual(authorizations, []);
  assert.ok(!(await pageText(wb)).includes(TYPED_PASSWORD));
  assert.ok(!outputChannelText(s!.server.userDataDir, 'HA Clusters').includes(TYPED_PASSWORD));
  // The workspace's files are read now: their cluster is offered (under a folded node, since one is connected).
  await wb.until('the workspace candidates', async () => (await clusterRows(wb)).some((x) => x.label === 'Found in this workspace' && x.description === '1 not connected'));
  await clickRow(wb, 'Found in this workspace');
  const rows = await wb.until('the candidate of patroni.yml', async () => {
    const r = await clusterRows(wb);
    return r.some((x) => x.label === 'found-in-files' && x.description === 'patroni · http://127.0.0.1:18720') && r;
  });
  assert.deepEqual(rows.map((r) => r.label), ['from-settings', 'pg1', 'Found in this workspace', 'found-in-files']);
  await s!.screenshot('clusters-trusted');
});

test('an endpoint that stops answering: an error node with the reason and a growing retry delay; Refresh reads at once', { skip, timeout: 90_000 }, async () => {
  const wb = s!.workbench;
  api!.closeAllConnections();
  await new Promise((ok) => api!.close(ok));
  const refused = /^connection refused 127\.0\.0\.1:18719 — retrying in (\d+) s$/;
  const delay = async () => {
    const r = (await clusterRows(wb)).find((x) => refused.test(x.label));
    return r ? Number(refused.exec(r.label)![1]) : undefined;
  };
  const first = await wb.until('the error node', delay, 20_000);
  // Backoff from the 1 s interval: 1, 2, 4, 8 … — a later wait longer than any of the first.
  await wb.until('a longer retry delay', async () => ((await delay()) ?? 0) >= Math.max(first + 1, 4), 30_000);
  await widenSideBar(wb);
  await s!.screenshot('clusters-error');
  api = await serve();
  await wb.runCommand('HA Topology: Refresh');
  await wb.until('the cluster back after Refresh', async () => (await clusterRows(wb)).some((x) => x.label === 'pg1' && x.description.startsWith('primary')), 5000);
});
