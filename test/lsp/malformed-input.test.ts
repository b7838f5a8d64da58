// Messages a buggy client may send, framed right: the server survives, answers afterwards, and its
// copy of each document stays the editor's.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as lsp from 'vscode-languageserver-protocol';
import { LspClient } from '../helpers/lsp-client';

const DEFAULTS = 'defaults\n    mode tcp\n    timeout connect 5s\n    timeout client 30m\n    timeout server 30m\n';

function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** What a client sees of a document: its diagnostics (code and range) and its outline. */
async function seen(client: LspClient, uri: string) {
  const diagnostics = (await client.pushed(uri)).map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();
  const symbols = await client.request<lsp.DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  const names = (s: lsp.DocumentSymbol[]): unknown[] => s.map((x) => [x.name, x.range.start.line, x.range.end.line, names(x.children ?? [])]);
  return { diagnostics, symbols: names(symbols) };
}

/** Opens `text` under a fresh name: what the server should see after the edits. */
async function expected(client: LspClient, text: string) {
  const uri = `file:///ws/expected-${Math.random().toString(36).slice(2)}/haproxy.cfg`;
  await client.open(uri, text);
  const result = await seen(client, uri);
  await client.close(uri);
  return result;
}

describe('malformed messages and edits', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient({ pull: false });
    await client.initialize();
  });
  after(() => client.shutdown());

  test('bodies that are not JSON-RPC, and requests and notifications of the wrong shape', async () => {
    const uri = 'file:///ws/shapes/haproxy.cfg';
    await client.open(uri, DEFAULTS);
    for (const body of [
      '{"jsonrpc":"2.0","id":',
      '[]',
      '"hello"',
      'null',
      '{"jsonrpc":"2.0"}',
      '{"jsonrpc":"2.0","id":{"a":1},"method":"textDocument/hover"}',
      '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":5}',
      '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///ws/shapes/haproxy.cfg"},"contentChanges":"x"}}',
      '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///nowhere.cfg","version":9},"contentChanges":[{"text":"x"}]}}',
      '{"jsonrpc":"2.0","method":"textDocument/didClose","params":null}',
      '{"jsonrpc":"2.0","method":"workspace/didChangeWatchedFiles","params":{"changes":"all"}}',
    ]) {
      client.process.stdin!.write(frame(body));
    }
    for (const [method, params] of [
      ['textDocument/hover', null],
      ['textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 1e9 } }],
      ['textDocument/completion', { textDocument: { uri: 42 }, position: 'here' }],
      ['textDocument/documentSymbol', { textDocument: {} }],
      ['textDocument/codeAction', { textDocument: { uri }, range: null, context: { diagnostics: [] } }],
      ['textDocument/diagnostic', { textDocument: { uri } }],
      ['no/such/method', {}],
    ] as const) {
      // An error answer is fine; no answer, or a dead server, is not.
      await client.request(method, params).catch((err: unknown) => err);
    }
    await client.replaceAll(uri, `${DEFAULTS}\nbackend pg\n    server a 10.0.0.1:5432 check\n    server a 10.0.0.2:5432 check\n`);
    assert.ok((await client.pushed(uri)).some((d) => d.code === 'haproxy/duplicate-server'));
    assert.equal(client.process.exitCode, null);
  });

  test('edits whose ranges lie past the end of the document are taken as reaching its end', async () => {
    const uri = 'file:///ws/range/haproxy.cfg';
    await client.open(uri, DEFAULTS);
    // Appends at the end, whatever the line and character say.
    await client.change(uri, { start: { line: 100, character: 0 }, end: { line: 200, character: 5 } }, '\nbackend pg\n');
    // A character past the end of line 2 ("    timeout connect 5s"): the edit replaces up to the line's end.
    await client.change(uri, { start: { line: 2, character: 20 }, end: { line: 2, character: 500 } }, '4sec');
    await client.change(uri, { start: { line: 7, character: 0 }, end: { line: 7, character: 99 } }, '    server a 10.0.0.1:5432 check\n    server a 10.0.0.2:5432 check\n');
    const text = `${DEFAULTS.replace('connect 5s', 'connect 4sec')}\nbackend pg\n    server a 10.0.0.1:5432 check\n    server a 10.0.0.2:5432 check\n`;
    assert.deepEqual(await seen(client, uri), await expected(client, text));
  });

  test('a burst of 1,000 edits, one character each, and one change of 1,000 edits: the final text is right', async () => {
    let text = DEFAULTS;
    for (let i = 0; text.length < 1100; i++) text += `\nbackend b${i}\n    server s 10.0.0.${i}:5432 check\n    server s 10.0.0.${i + 1}:5432 check\n`;
    const want = await expected(client, text);
    assert.ok(want.diagnostics.length > 0);

    const typed = 'file:///ws/burst/typed/haproxy.cfg';
    await client.open(typed, '');
    let line = 0;
    let character = 0;
    for (const ch of text) {
      await client.change(typed, { start: { line, character }, end: { line, character } }, ch);
      if (ch === '\n') {
        line++;
        character = 0;
      } else character++;
    }
    assert.ok(client.currentVersion(typed) > 1000);
    assert.deepEqual(await seen(client, typed), want);

    // One didChange carrying 1,000 changes: insert the text backwards, each at the start.
    const batch = 'file:///ws/burst/batch/haproxy.cfg';
    await client.open(batch, text.slice(1000));
    const changes = [...text.slice(0, 1000)].reverse().map((ch) => ({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ch }));
    await client.notify('textDocument/didChange', { textDocument: { uri: batch, version: 2 }, contentChanges: changes });
    // The helper counts versions of its own changes only: this empty one makes it expect version 2.
    await client.change(batch, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '');
    assert.deepEqual(await seen(client, batch), want);
  });
});
