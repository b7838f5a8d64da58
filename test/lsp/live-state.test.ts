// The server's live inputs over the protocol: hatopo/liveState makes drift diagnostics appear and
// disappear and fills hover; hatopo/memberLocations finds the file that configures a member.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import type * as lsp from 'vscode-languageserver-protocol';
import type { ClusterState } from '../../live/src/model';
import { LspClient } from '../helpers/lsp-client';
import { patroniState } from '../helpers/live-samples';

const dir = mkdtempSync(join(tmpdir(), 'hatopo-live-lsp-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function memberFile(n: number): string {
  return `scope: demo\nname: pg${n}\nrestapi:\n  connect_address: 127.0.0.1:${8007 + n}\nbootstrap:\n  dcs:\n    synchronous_mode: true\n`;
}

/** The three members' files: the workspace describes the whole sample cluster. */
function writeMembers(root: string): void {
  for (const n of [1, 2, 3]) {
    mkdirSync(join(root, `pg${n}`), { recursive: true });
    writeFileSync(join(root, `pg${n}`, 'patroni.yml'), memberFile(n));
  }
}

function withoutSync(): ClusterState {
  const s = patroniState();
  s.members[1].role = 'replica';
  s.members[1].syncState = 'async';
  return s;
}

const codes = (diags: lsp.Diagnostic[] | undefined) => (diags ?? []).map((d) => String(d.code)).filter((c) => c.startsWith('live/'));

async function eventually(client: LspClient, uri: string, want: string[], what: string): Promise<lsp.Diagnostic[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const last = client.lastPublished(uri)?.diagnostics;
    if (last && JSON.stringify(codes(last)) === JSON.stringify(want)) return last;
    if (Date.now() > deadline) assert.fail(`${what}: live codes ${JSON.stringify(codes(last))}, expected ${JSON.stringify(want)}\n${client.logs.join('')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('push: a snapshot without a sync standby brings live/sync-standby-missing, one with it takes it away', { timeout: 60_000 }, async () => {
  const root = join(dir, 'push');
  writeMembers(root);
  const client = new LspClient({ pull: false, workspaceFolders: [pathToFileURL(root).href] });
  try {
    await client.initialize();
    const uri = pathToFileURL(join(root, 'pg1', 'patroni.yml')).href;
    await client.open(uri, memberFile(1), 'yaml');
    assert.deepEqual(codes(await client.pushed(uri)), []);

    await client.notify('hatopo/liveState', { clusters: [withoutSync()] });
    const d = (await eventually(client, uri, ['live/sync-standby-missing'], 'after a snapshot without sync standby')).find((x) => x.code === 'live/sync-standby-missing')!;
    assert.deepEqual(d.range, { start: { line: 6, character: 4 }, end: { line: 6, character: 20 } });
    assert.equal(d.severity, 2);
    assert.equal(d.source, 'hatopo');

    const hover = await client.request<lsp.Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 7 } });
    const text = (hover?.contents as lsp.MarkupContent | undefined)?.value ?? '';
    assert.match(text, /\*\*Live: pg1\*\* is primary, running/);
    assert.match(text, /\| pg1 \| primary \| running \| 3 \|/);

    const locations = await client.request<Array<{ uri: string; range: lsp.Range }>>('hatopo/memberLocations', { kind: 'patroni', cluster: 'demo', member: 'pg3' });
    assert.deepEqual(locations, [{ uri: pathToFileURL(join(root, 'pg3', 'patroni.yml')).href, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 9 } } }]);
    assert.deepEqual(await client.request('hatopo/memberLocations', { kind: 'nope' }), []);

    await client.notify('hatopo/liveState', { clusters: [patroniState()] });
    await eventually(client, uri, [], 'after the sync standby is back');
    await client.notify('hatopo/liveState', { clusters: [withoutSync()] });
    await eventually(client, uri, ['live/sync-standby-missing'], 'after it is gone again');
    await client.notify('hatopo/liveState', { clusters: [] });
    await eventually(client, uri, [], 'after disconnecting');
    const plain = await client.request<lsp.Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 7 } });
    assert.ok(!((plain?.contents as lsp.MarkupContent | undefined)?.value ?? '').includes('Live'));
  } finally {
    await client.shutdown();
  }
});

test('pull: a snapshot that changes what checks read asks the client to pull again; lag alone does not', { timeout: 60_000 }, async () => {
  const root = join(dir, 'pull');
  writeMembers(root);
  const client = new LspClient({ pull: true, workspaceFolders: [pathToFileURL(root).href] });
  try {
    await client.initialize();
    const uri = pathToFileURL(join(root, 'pg1', 'patroni.yml')).href;
    await client.open(uri, memberFile(1), 'yaml');
    // Reading the workspace folder (three member files) asks for one refresh first.
    await client.refreshed(1);
    assert.deepEqual(codes(await client.pull(uri)), []);
    const before = client.refreshRequests;
    await client.notify('hatopo/liveState', { clusters: [withoutSync()] });
    await client.refreshed(before + 1);
    assert.deepEqual(codes(await client.pull(uri)), ['live/sync-standby-missing']);
    const lagging = withoutSync();
    lagging.members[2].lagBytes = 123456789;
    lagging.observedAt = '2024-05-01T10:00:02.000Z';
    await client.notify('hatopo/liveState', { clusters: [lagging] });
    // A request after the notification is answered after it was handled: the lag reached hover, and no refresh was asked for.
    const hover = await client.request<lsp.Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
    assert.match((hover?.contents as lsp.MarkupContent).value, /117\.7 MiB/);
    assert.equal(client.refreshRequests, before + 1);
  } finally {
    await client.shutdown();
  }
});
