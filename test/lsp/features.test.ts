import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type * as lsp from 'vscode-languageserver-protocol';
import { LspClient, applyEdits } from '../helpers/lsp-client';

const PATRONI = `scope: demo
name: pg1
restapi:
  listen: 0.0.0.0:8008
  connect_address: 10.0.0.11:8008
etcd3:
  hosts: 10.0.0.21:2379
bootstrap:
  dcs:
    ttl: 30
    loop_wait: 10
    retry_timeout: 15
postgresql:
  listen: 0.0.0.0:5432
  connect_address: 10.0.0.11:5432
  data_dir: /var/lib/postgresql/15/main
  authentication:
    superuser:
      username: postgres
    replication:
      username: replicator
`;

const SENTINEL = `port 26379
sentinel monitor cache redis-0.cache 6379 2
sentinel down-after-milliseconds cache 5000
`;

const HAPROXY = `defaults
    mode tcp
    timeout connect 4s
    timeout client 30m
    timeout server 30m

listen pg_primary
    bind *:5000
    option httpchk OPTIONS /primary
    http-check expect status 200
    default-server inter 3s fall 3 rise 2 on-marked-down shutdown-sessions
    server pg1 10.0.0.11:5432 maxconn 100 check port 8008
    server pg2 10.0.0.12:5432 maxconn 100 port 8008
`;

/** Both transports of diagnostics: the same assertions, pulled or pushed. */
for (const pull of [true, false]) {
  describe(`${pull ? 'pull' : 'push'} diagnostics`, () => {
    let client: LspClient;
    const diagnostics = (uri: string) => (pull ? client.pull(uri) : client.pushed(uri));

    before(async () => {
      client = new LspClient({ pull });
      await client.initialize();
    });
    after(() => client.shutdown());

    test('Patroni: diagnostics with code, range, source and a docs link that exists', async () => {
      const uri = `file:///ws/${pull}/patroni.yml`;
      await client.open(uri, PATRONI, 'yaml');
      const diags = await diagnostics(uri);
      const timing = diags.find((d) => d.code === 'patroni/timing');
      assert.ok(timing, JSON.stringify(diags));
      assert.equal(timing.range.start.line, 9);
      assert.equal(timing.source, 'hatopo');
      assert.equal(timing.severity, 2);
      assert.ok(timing.codeDescription, 'has a docs link');
      assert.ok(existsSync(fileURLToPath(timing.codeDescription.href)), timing.codeDescription.href);
    });

    test('Patroni: an incremental edit re-validates (fix, then break again)', async () => {
      const uri = `file:///ws/${pull}/patroni.yml`;
      // retry_timeout: 15 → 10 on line 11
      await client.change(uri, { start: { line: 11, character: 19 }, end: { line: 11, character: 21 } }, '10');
      assert.equal((await diagnostics(uri)).filter((d) => d.code === 'patroni/timing').length, 0);
      await client.change(uri, { start: { line: 9, character: 9 }, end: { line: 9, character: 11 } }, '25');
      const again = (await diagnostics(uri)).filter((d) => d.code === 'patroni/timing');
      assert.equal(again.length, 1);
      assert.equal(again[0].range.start.line, 9);
    });

    test('Sentinel: a quick fix applied through the protocol removes the diagnostic', async () => {
      const uri = `file:///ws/${pull}/sentinel.conf`;
      await client.open(uri, SENTINEL, 'redis-conf');
      const diags = await diagnostics(uri);
      const host = diags.find((d) => d.code === 'sentinel/hostname-resolution');
      assert.ok(host, JSON.stringify(diags));
      assert.equal(host.range.start.line, 1);
      const actions = await client.request<lsp.CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: host.range,
        context: { diagnostics: [host] },
      });
      const fix = actions.find((a) => /resolve-hostnames/.test(a.title));
      assert.ok(fix?.edit?.changes?.[uri], JSON.stringify(actions));
      assert.equal(fix.kind, 'quickfix');
      const fixed = applyEdits(SENTINEL, fix.edit.changes[uri]);
      assert.match(fixed, /^sentinel resolve-hostnames yes$/m);
      await client.replaceAll(uri, fixed);
      const after = await diagnostics(uri);
      assert.deepEqual(after.filter((d) => d.severity === 1), []);
    });

    test('HAProxy: the "add check" quick fix, then completion, hover and outline', async () => {
      const uri = `file:///ws/${pull}/haproxy.cfg`;
      await client.open(uri, HAPROXY, 'haproxy');
      const diags = await diagnostics(uri);
      const missing = diags.find((d) => d.code === 'haproxy/missing-check');
      assert.ok(missing, JSON.stringify(diags));
      assert.equal(missing.range.start.line, 12);
      const actions = await client.request<lsp.CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: missing.range,
        context: { diagnostics: [missing] },
      });
      const fix = actions.find((a) => a.diagnostics?.[0]?.code === 'haproxy/missing-check');
      assert.ok(fix?.edit?.changes?.[uri], JSON.stringify(actions));
      const fixed = applyEdits(HAPROXY, fix.edit.changes[uri]);
      assert.match(fixed.split('\n')[12], /\bcheck\b/);
      await client.replaceAll(uri, fixed);
      assert.deepEqual((await diagnostics(uri)).filter((d) => d.code === 'haproxy/missing-check'), []);

      const items = await client.request<lsp.CompletionItem[] | lsp.CompletionList>('textDocument/completion', {
        textDocument: { uri },
        position: { line: 8, character: 4 },
      });
      const labels = (Array.isArray(items) ? items : items.items).map((i) => i.label);
      assert.ok(labels.includes('balance') && labels.includes('server'), JSON.stringify(labels.slice(0, 30)));
      const hover = await client.request<lsp.Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 5 } });
      assert.ok(hover && /bind/.test((hover.contents as lsp.MarkupContent).value), JSON.stringify(hover));
      const symbols = await client.request<lsp.DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.deepEqual(symbols.map((s) => s.name), ['defaults', 'pg_primary']);
      assert.ok(symbols[1].children?.some((c) => c.name === 'pg1'), JSON.stringify(symbols[1].children));
    });

    test('completion, hover and symbols', async () => {
      const uri = `file:///ws/${pull}/completion/sentinel.conf`;
      const text = 'sentinel monitor cache 10.0.0.1 6379 2\nsentinel down\n';
      await client.open(uri, text, 'redis-conf');
      const items = await client.request<lsp.CompletionItem[] | lsp.CompletionList>('textDocument/completion', {
        textDocument: { uri },
        position: { line: 1, character: 13 },
      });
      const list = Array.isArray(items) ? items : items.items;
      assert.ok(list.some((i) => i.label === 'down-after-milliseconds'), JSON.stringify(list.map((i) => i.label)));

      const hover = await client.request<lsp.Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 10 } });
      assert.ok(hover);
      assert.equal((hover.contents as lsp.MarkupContent).kind, 'markdown');
      assert.match((hover.contents as lsp.MarkupContent).value, /monitor/);

      const puri = `file:///ws/${pull}/symbols/patroni.yml`;
      await client.open(puri, PATRONI, 'yaml');
      const symbols = await client.request<lsp.DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: puri } });
      assert.deepEqual(
        symbols.map((s) => s.name),
        ['scope', 'name', 'restapi', 'etcd3', 'bootstrap', 'postgresql'],
      );
      assert.ok(symbols[4].children?.length, 'nested children');
    });

    test('settings: a severity override is pulled per document and applied after a configuration change', async () => {
      const uri = `file:///ws/${pull}/settings/patroni.yml`;
      await client.open(uri, PATRONI, 'yaml');
      assert.ok((await diagnostics(uri)).some((d) => d.code === 'patroni/timing'));
      client.settings = { checks: { 'patroni/timing': 'off', 'patroni/connect-address-loopback': 'error' } };
      const refreshes = client.refreshRequests;
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      if (pull) {
        await client.refreshed(refreshes + 1);
      } else {
        // Push clients are re-sent diagnostics for open documents: bump the version to wait for the new set.
        await client.replaceAll(uri, PATRONI);
      }
      const diags = await diagnostics(uri);
      assert.equal(diags.filter((d) => d.code === 'patroni/timing').length, 0, JSON.stringify(diags));
      client.settings = {};
      await client.notify('workspace/didChangeConfiguration', { settings: null });
    });

    test('closing a document forgets it (push clients get an empty list)', async () => {
      const uri = `file:///ws/${pull}/close/sentinel.conf`;
      await client.open(uri, SENTINEL, 'redis-conf');
      assert.ok((await diagnostics(uri)).length > 0);
      await client.close(uri);
      if (!pull) {
        // After close the server publishes an empty list without a version.
        const deadline = Date.now() + 5000;
        let cleared = false;
        while (!cleared && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
          cleared = client.lastPublished(uri)?.diagnostics.length === 0;
        }
        assert.ok(cleared, 'diagnostics cleared');
      } else {
        assert.deepEqual(await client.pull(uri), []);
      }
    });
  });
}
