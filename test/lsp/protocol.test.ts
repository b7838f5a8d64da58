import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as lsp from 'vscode-languageserver-protocol';
import { LspClient } from '../helpers/lsp-client';

describe('initialize', () => {
  test('advertises pull diagnostics only to clients that support them', async () => {
    const pull = new LspClient({ pull: true });
    const push = new LspClient({ pull: false });
    try {
      const a = await pull.initialize();
      const b = await push.initialize();
      assert.equal(a.serverInfo?.name, 'hatopo');
      assert.ok(a.capabilities.diagnosticProvider, 'pull client gets a diagnosticProvider');
      assert.equal(b.capabilities.diagnosticProvider, undefined);
      for (const caps of [a.capabilities, b.capabilities]) {
        assert.ok(caps.completionProvider);
        assert.equal(caps.hoverProvider, true);
        assert.ok(caps.codeActionProvider);
        assert.equal(caps.documentSymbolProvider, true);
        assert.equal(caps.textDocumentSync, 2);
      }
    } finally {
      await Promise.all([pull.shutdown(), push.shutdown()]);
    }
  });
});

describe('documents that are not HA configs', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient({ pull: false });
    await client.initialize();
  });
  after(() => client.shutdown());

  test('get an empty diagnostics list, and no crash on odd input', async () => {
    const uri = 'file:///work/notes.txt';
    await client.open(uri, 'hello\u0000world\n\n\t\u{1F600}');
    assert.deepEqual(await client.pushed(uri), []);
    const symbols = await client.request<lsp.DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols, []);
    const hover = await client.request<lsp.Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
    assert.equal(hover, null);
  });
});
