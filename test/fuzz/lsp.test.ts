import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import type * as lsp from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readSettings } from '../../server/src/core';
import type { Diagnostic, FileKind } from '../../server/src/core';
import { LspClient, REPO } from '../helpers/lsp-client';
import { FILE_OF, KINDS, recordingEngine } from './support/engine';
import { applyEdits, editOf, snippetsOf } from './support/edits';
import { fuzz } from './support/run';
import { REPO_SEEDS } from './support/seeds';
import { junk, textOf } from './support/text';

/*
 * The bundled server (`hatopo lsp --stdio`) under random sessions: documents of every kind opened,
 * changed by incremental edits (ranges past the end of a line or of the document, reversed ranges),
 * closed and opened again, with completion, hover, code actions and outline asked anywhere, also of
 * documents that are not open. The server never dies, answers every request, logs no internal
 * error, and its final diagnostics of each open document are the engine's on the final text.
 */

const BUNDLE = resolve(REPO, 'dist', 'hatopo.js');
const skip = existsSync(BUNDLE) ? false : 'dist/hatopo.js is missing: npm run build';
const ANSWER_MS = 10_000;

/** A document of a session: its file name picks the kind (or none, for notes.txt). */
const NAMES = [...KINDS.map((k) => FILE_OF[k]), 'notes.txt'];
const kindOf = (name: string): FileKind | undefined => KINDS.find((k) => FILE_OF[k] === name);

/** A position from four numbers: usually in the text, sometimes past a line's end, past the last line, or negative. */
const position = fc.record({ line: fc.oneof({ weight: 6, arbitrary: fc.nat(60) }, { weight: 1, arbitrary: fc.constantFrom(1000, -1) }), character: fc.oneof({ weight: 6, arbitrary: fc.nat(80) }, { weight: 1, arbitrary: fc.constantFrom(10_000, -1) }) });

type Command =
  | { op: 'change'; doc: number; start: lsp.Position; end: lsp.Position; text: string }
  | { op: 'batch'; doc: number; changes: { start: lsp.Position; end: lsp.Position; text: string }[] }
  | { op: 'replace'; doc: number; text: string }
  | { op: 'close'; doc: number }
  | { op: 'open'; doc: number; text: string }
  | { op: 'completion' | 'hover' | 'codeAction' | 'documentSymbol'; doc: number; at: lsp.Position; other: boolean };

const insertText = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...new Set(KINDS.flatMap(snippetsOf))) }, { weight: 2, arbitrary: fc.constant('') }, { weight: 1, arbitrary: junk });

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant('change' as const), doc: fc.nat(2), start: position, end: position, text: insertText }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('batch' as const), doc: fc.nat(2), changes: fc.array(fc.record({ start: position, end: position, text: insertText }), { minLength: 2, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('replace' as const), doc: fc.nat(2), text: fc.oneof(textOf('haproxy', 20), textOf('patroni'), junk) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const), doc: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('open' as const), doc: fc.nat(2), text: textOf('sentinel', 20) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constantFrom('completion' as const, 'hover' as const, 'codeAction' as const, 'documentSymbol' as const), doc: fc.nat(2), at: position, other: fc.boolean() }) },
);

/** A starting text for a file: a random document of its kind, or a real file of that kind with a few edits. */
function startText(name: string): fc.Arbitrary<string> {
  const kind = kindOf(name);
  if (!kind) return fc.string({ maxLength: 80 });
  return fc.oneof(textOf(kind, 40), fc.tuple(fc.constantFrom(...REPO_SEEDS[kind]), fc.array(editOf(kind), { maxLength: 3 })).map(([s, e]) => applyEdits(s.text, e)));
}

const session: fc.Arbitrary<Session> = fc.record({
  docs: fc.array(fc.constantFrom(...NAMES).chain((name) => fc.tuple(fc.constant(name), startText(name))), { minLength: 1, maxLength: 3 }),
  commands: fc.array(command, { minLength: 1, maxLength: 40, size: 'medium' }),
});

/** What a diagnostic says, in the protocol's form, without the docs link (the server's points into its bundle). */
function comparable(d: lsp.Diagnostic) {
  return { range: d.range, severity: d.severity, code: d.code, message: d.message, related: d.relatedInformation?.map((r) => [r.location.range, r.message]) };
}

const SEVERITY = { error: 1, warning: 2, information: 3, hint: 4 } as const;
const fromEngine = (d: Diagnostic): lsp.Diagnostic => ({
  range: d.range,
  severity: SEVERITY[d.severity],
  code: d.code,
  message: d.message,
  relatedInformation: d.related?.map((r) => ({ location: { uri: r.file, range: r.range }, message: r.message })),
});

/** Diagnostics of every open document as an engine that has read all of them (cross-file checks) gives them. */
function expected(open: Map<string, TextDocument>, settings: unknown): Map<string, ReturnType<typeof comparable>[]> {
  const { engine, errors } = recordingEngine();
  const s = readSettings(settings);
  for (const d of open.values()) engine.validate({ uri: d.uri, text: d.getText() }, s);
  const out = new Map([...open.values()].map((d) => [d.uri, engine.validate({ uri: d.uri, text: d.getText() }, s).map((x) => comparable(fromEngine(x)))]));
  assert.deepEqual(errors, [], 'internal errors of the engine');
  return out;
}

function answered<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${ANSWER_MS} ms`)), ANSWER_MS)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

let sessions = 0;
const compared = { documents: 0, diagnostics: 0, requests: 0 };

interface Session {
  docs: [string, string][];
  commands: Command[];
}

async function runSession(client: LspClient, pull: boolean, s: Session): Promise<void> {
  const n = sessions++;
  const logsBefore = client.logs.length;
  const uris = s.docs.map(([name], i) => `file:///fuzz-lsp/${n}/${i}/${name}`);
  const open = new Map<string, TextDocument>();
  const versions = new Map<string, number>();
  const doOpen = async (uri: string, text: string) => {
    open.set(uri, TextDocument.create(uri, 'plaintext', 1, text));
    versions.set(uri, 1);
    await client.open(uri, text);
  };
  for (const [i, [, text]] of s.docs.entries()) await doOpen(uris[i], text);
  for (const c of s.commands) {
    const uri = uris[c.doc % uris.length];
    const doc = open.get(uri);
    if (c.op === 'change' || c.op === 'batch' || c.op === 'replace') {
      if (!doc) continue;
      const v = versions.get(uri)! + 1;
      versions.set(uri, v);
      if (c.op === 'batch') {
        // Several changes in one notification, each on the text the previous one left (as editors send them).
        const changes = c.changes.map((x) => ({ range: { start: x.start, end: x.end }, text: x.text }));
        open.set(uri, TextDocument.update(doc, changes, v));
        await client.changeMany(uri, changes);
      } else if (c.op === 'change') {
        open.set(uri, TextDocument.update(doc, [{ range: { start: c.start, end: c.end }, text: c.text }], v));
        await client.change(uri, { start: c.start, end: c.end }, c.text);
      } else {
        open.set(uri, TextDocument.update(doc, [{ text: c.text }], v));
        await client.replaceAll(uri, c.text);
      }
    } else if (c.op === 'close') {
      if (!doc) continue;
      open.delete(uri);
      await client.close(uri);
    } else if (c.op === 'open') {
      if (doc) continue;
      await doOpen(uri, c.text);
    } else {
      // Now and then a document that was never opened.
      const target = c.other ? `file:///fuzz-lsp/${n}/never/${FILE_OF.haproxy}` : uri;
      const params = c.op === 'codeAction' ? { textDocument: { uri: target }, range: { start: c.at, end: c.at }, context: { diagnostics: [] } } : c.op === 'documentSymbol' ? { textDocument: { uri: target } } : { textDocument: { uri: target }, position: c.at };
      await answered(`textDocument/${c.op}`, client.request(`textDocument/${c.op}`, params));
      compared.requests++;
    }
    assert.equal(client.process.exitCode, null, `the server exited after ${c.op}:\n${client.logs.join('')}`);
  }
  const want = expected(open, client.settings);
  for (const uri of open.keys()) {
    const have = pull ? await settledPull(client, uri, open) : await settledPush(client, uri, want.get(uri)!);
    assert.deepEqual(have, want.get(uri), `final diagnostics of ${uri}`);
    compared.documents++;
    compared.diagnostics += have.length;
  }
  for (const uri of open.keys()) await client.close(uri);
  const internal = client.logs.slice(logsBefore).filter((m) => /hatopo: .* failed/.test(m));
  assert.deepEqual(internal, [], 'internal errors logged by the server');
}

/** Pulls every open document once (so the server has every final text's workspace facts), then `uri`. */
async function settledPull(client: LspClient, uri: string, open: Map<string, TextDocument>): Promise<ReturnType<typeof comparable>[]> {
  for (const other of open.keys()) await answered('textDocument/diagnostic', client.pull(other));
  return (await answered('textDocument/diagnostic', client.pull(uri))).map(comparable);
}

/** The last diagnostics pushed for `uri` at its current version, once they are `want` or a time limit passes. */
async function settledPush(client: LspClient, uri: string, want: ReturnType<typeof comparable>[]): Promise<ReturnType<typeof comparable>[]> {
  const deadline = Date.now() + ANSWER_MS;
  let have: ReturnType<typeof comparable>[] = [];
  for (;;) {
    const p = client.lastPublished(uri);
    have = p?.version === client.currentVersion(uri) ? p.diagnostics.map(comparable) : [];
    if (p?.version === client.currentVersion(uri) && JSON.stringify(have) === JSON.stringify(want)) return have;
    if (Date.now() > deadline) return have;
    await client.publishedAfter(uri, client.publishCount(uri), Math.max(1, deadline - Date.now())).catch(() => undefined);
  }
}

for (const pull of [true, false]) {
  test(`the language server survives random sessions and ends with the engine diagnostics (${pull ? 'pull' : 'push'})`, { skip }, async (t) => {
    const client = new LspClient({ pull });
    Object.assign(compared, { documents: 0, diagnostics: 0, requests: 0 });
    try {
      await client.initialize();
      await fuzz(t, __filename, fc.asyncProperty(session, (s) => runSession(client, pull, s)), pull ? 120 : 50);
      t.diagnostic(`${compared.requests} requests answered; ${compared.documents} final documents with ${compared.diagnostics} diagnostics, as the engine gives them`);
    } finally {
      await client.shutdown();
    }
  });
}
