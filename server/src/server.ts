// LSP wiring only: connection, documents, settings, capabilities. The engine does the work.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Connection, InitializeParams, InitializeResult } from 'vscode-languageserver/node';
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticRefreshRequest,
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  InsertTextFormat,
  MarkupKind,
  ProposedFeatures,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import type * as lsp from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { version } from '../../package.json';
import { createEngine, defaultCodeCacheDir, readSettings, useCodeCache } from './core';
import { readSaved, scanFolder } from './workspace-scan';
import type { CompletionKind, Diagnostic, DocumentSymbol, EngineSettings, MemberQuery, OutlineKind, Severity } from './core';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  property: CompletionItemKind.Property,
  keyword: CompletionItemKind.Keyword,
  value: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
  section: CompletionItemKind.Module,
  enum: CompletionItemKind.EnumMember,
};

/** The client's live state of the clusters it is connected to: `{ clusters: ClusterState[], servedCrds?: object[] }`. */
export const LIVE_STATE_NOTIFICATION = 'hatopo/liveState';
/** `{ kind, cluster, member? }` → `{ uri, range }[]`: where the workspace configures a live cluster or member, best first. */
export const MEMBER_LOCATIONS_REQUEST = 'hatopo/memberLocations';

const LIVE_KINDS = new Set(['patroni', 'sentinel', 'haproxy', 'postgres', 'kubernetes']);

/** The query of a memberLocations request, or undefined when the params are not one. */
function memberQuery(params: unknown): MemberQuery | undefined {
  const p = params as Partial<Record<keyof MemberQuery, unknown>> | null;
  if (typeof p !== 'object' || p === null || typeof p.kind !== 'string' || !LIVE_KINDS.has(p.kind) || typeof p.cluster !== 'string') return undefined;
  if (p.member !== undefined && typeof p.member !== 'string') return undefined;
  return { kind: p.kind as MemberQuery['kind'], cluster: p.cluster, ...(typeof p.member === 'string' ? { member: p.member } : {}) };
}

const SYMBOL_KIND: Record<OutlineKind, SymbolKind> = {
  namespace: SymbolKind.Namespace,
  module: SymbolKind.Module,
  class: SymbolKind.Class,
  property: SymbolKind.Property,
  object: SymbolKind.Object,
  key: SymbolKind.Key,
  field: SymbolKind.Field,
  array: SymbolKind.Array,
  string: SymbolKind.String,
  number: SymbolKind.Number,
  boolean: SymbolKind.Boolean,
};

/** Starts the language server on `connection` (stdio, IPC or a stream pair). */
export function startServer(connection: Connection): void {
  const pullDelayMs = Math.min(5000, Math.max(0, Number(process.env.HATOPO_TEST_PULL_DELAY_MS) || 0));
  const documents = new TextDocuments(TextDocument);
  const engine = createEngine({
    logger: { info: (m) => connection.console.info(m), error: (m) => connection.console.error(m) },
    docsBase: pathToFileURL(join(__dirname, '..', 'docs', 'checks')).href + '/',
  });

  let pullDiagnostics = false;
  let configurationPull = false;
  let refreshSupport = false;
  let initSettings: unknown;
  const settingsCache = new Map<string, Promise<EngineSettings>>();

  function getSettings(uri: string): Promise<EngineSettings> {
    if (!configurationPull) return Promise.resolve(readSettings(initSettings, warn));
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'hatopo' })
        .then((raw) => readSettings(raw, warn))
        .catch((err: unknown) => {
          connection.console.error(`hatopo: reading settings for ${uri} failed: ${String(err)}`);
          return readSettings(undefined);
        });
      settingsCache.set(uri, s);
    }
    return s;
  }

  function warn(message: string): void {
    connection.console.warn(`hatopo: ignoring setting ${message}`);
  }

  function toLsp(d: Diagnostic): lsp.Diagnostic {
    return {
      range: d.range,
      severity: SEVERITY[d.severity],
      code: d.code,
      codeDescription: d.codeDescription,
      source: d.source,
      message: d.message,
      relatedInformation: d.related?.map((r) => ({ location: { uri: r.file, range: r.range }, message: r.message })),
    };
  }

  async function diagnose(doc: TextDocument): Promise<lsp.Diagnostic[]> {
    const settings = await getSettings(doc.uri);
    const before = engine.workspace().version;
    const result = engine.validate({ uri: doc.uri, text: doc.getText() }, settings).map(toLsp);
    // This document changed what other files' checks see (a PDB, a CRD, an operator setting).
    if (engine.workspace().version !== before) refreshOthers(doc.uri);
    return result;
  }

  /** The documents whose validation changed the workspace since the last refresh was queued. */
  let changedBy: Set<string> | undefined;
  function refreshOthers(changed: string): void {
    if (changedBy) {
      // Another document's change joins the queued refresh, which then must reach the first one too.
      changedBy.add(changed);
      return;
    }
    changedBy = new Set([changed]);
    setTimeout(() => {
      const by = changedBy!;
      changedBy = undefined;
      if (pullDiagnostics) refreshAll();
      else documents.all().filter((d) => by.size > 1 || !by.has(d.uri)).forEach(schedulePush);
    }, 50);
  }

  let workspaceFolders: string[] = [];
  async function scanWorkspace(): Promise<void> {
    const budget = { files: 5000 };
    let changed = false;
    for (const folder of workspaceFolders) {
      const settings = await getSettings(folder);
      const r = await scanFolder(
        folder,
        (uri, text) => {
          // Open documents speak for themselves.
          if (!documents.get(uri) && engine.setWorkspaceFile(uri, text, settings)) changed = true;
        },
        budget,
      );
      if (r.truncated) connection.console.warn(`hatopo: stopped reading the workspace after ${r.files} files in ${folder}; cross-file checks see only those`);
    }
    if (changed) refreshAll();
  }

  /** After `shutdown` the server sends nothing more: the client is stopping, a request would fail there. */
  let shuttingDown = false;

  const pending = new Map<string, NodeJS.Timeout>();
  function schedulePush(doc: TextDocument): void {
    if (shuttingDown) return;
    clearTimeout(pending.get(doc.uri));
    pending.set(
      doc.uri,
      setTimeout(() => {
        pending.delete(doc.uri);
        const current = documents.get(doc.uri);
        if (!current) return;
        diagnose(current)
          .then((diagnostics) => connection.sendDiagnostics({ uri: current.uri, version: current.version, diagnostics }))
          .catch((err: unknown) => connection.console.error(`hatopo: validating ${doc.uri} failed: ${String(err)}`));
      }, 0),
    );
  }

  function refreshAll(): void {
    if (shuttingDown) return;
    if (pullDiagnostics && refreshSupport) {
      // A client that stops meanwhile rejects the request; unhandled, that would end the process with
      // code 1. Nothing is lost: a client that starts again pulls every open document.
      connection.sendRequest(DiagnosticRefreshRequest.type).catch(() => undefined);
    } else if (!pullDiagnostics) {
      documents.all().forEach(schedulePush);
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    pullDiagnostics = !!caps.textDocument?.diagnostic;
    configurationPull = !!caps.workspace?.configuration;
    refreshSupport = !!caps.workspace?.diagnostics?.refreshSupport;
    const init = params.initializationOptions as { settings?: unknown; codeCacheDir?: unknown } | undefined;
    initSettings = init?.settings;
    // $HATOPO_CODE_CACHE, when set, wins over the editor's folder (`off` turns the cache off).
    useCodeCache(!process.env.HATOPO_CODE_CACHE && typeof init?.codeCacheDir === 'string' ? init.codeCacheDir : defaultCodeCacheDir());
    workspaceFolders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [' ', ':', '.', '-'] },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: true,
      },
      serverInfo: { name: 'hatopo', version: version },
    };
    if (pullDiagnostics) {
      result.capabilities.diagnosticProvider = { identifier: 'hatopo', interFileDependencies: false, workspaceDiagnostics: false };
    }
    return result;
  });

  connection.onShutdown(() => {
    shuttingDown = true;
    for (const timer of pending.values()) clearTimeout(timer);
    pending.clear();
  });

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    if (!configurationPull) initSettings = (change.settings as { hatopo?: unknown } | undefined)?.hatopo;
    refreshAll();
  });

  documents.onDidChangeContent((e) => {
    if (!pullDiagnostics) schedulePush(e.document);
  });

  connection.onInitialized(() => {
    scanWorkspace().catch((err: unknown) => connection.console.error(`hatopo: reading the workspace failed: ${String(err)}`));
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    let changed = false;
    for (const change of params.changes) {
      if (documents.get(change.uri)) continue; // the editor's text wins while the file is open
      const text = change.type === 3 ? undefined : await readSaved(change.uri);
      const settings = await getSettings(change.uri);
      if (text === undefined ? engine.removeWorkspaceFile(change.uri) : engine.setWorkspaceFile(change.uri, text, settings)) changed = true;
    }
    if (changed) refreshAll();
  });

  documents.onDidClose((e) => {
    const uri = e.document.uri;
    // Closing drops unsaved edits at once; the workspace then gets what is on disk, if anything.
    const dropped = engine.removeWorkspaceFile(uri);
    void readSaved(uri).then(async (text) => {
      const settings = await getSettings(uri);
      const read = text !== undefined && engine.setWorkspaceFile(uri, text, settings);
      if (dropped || read) refreshAll();
    });
    settingsCache.delete(e.document.uri);
    engine.forget(e.document.uri);
    clearTimeout(pending.get(e.document.uri));
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on(async (params) => {
    // Tests of what an editor shows while a pull is in flight make every pull take this long.
    if (pullDelayMs > 0) await new Promise<void>((done) => setTimeout(done, pullDelayMs));
    const doc = documents.get(params.textDocument.uri);
    return { kind: DocumentDiagnosticReportKind.Full, items: doc ? await diagnose(doc) : [] };
  });

  connection.onCompletion(async (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const settings = await getSettings(doc.uri);
    return engine.complete({ uri: doc.uri, text: doc.getText() }, params.position, settings).map((c): lsp.CompletionItem => {
      const newText = c.insertText ?? c.label;
      return {
        label: c.label,
        kind: COMPLETION_KIND[c.kind],
        detail: c.detail,
        documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
        insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        sortText: c.sortText,
        ...(c.range ? { textEdit: { range: c.range, newText } } : { insertText: newText }),
      };
    });
  });

  connection.onHover(async (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const settings = await getSettings(doc.uri);
    const h = engine.hover({ uri: doc.uri, text: doc.getText() }, params.position, settings);
    return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: h.range } : null;
  });

  connection.onCodeAction(async (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const settings = await getSettings(doc.uri);
    return engine.codeActions({ uri: doc.uri, text: doc.getText() }, params.range, settings).map(
      (a): lsp.CodeAction => ({
        title: a.title,
        kind: CodeActionKind.QuickFix,
        isPreferred: a.preferred,
        diagnostics: [toLsp(a.diagnostic)],
        edit: { changes: { [doc.uri]: a.edits } },
      }),
    );
  });

  // Live state is an input like a file: drift checks read it, so documents are validated again when
  // what they read of it changed (a new leader, a member gone), not on every refresh of lag figures.
  connection.onNotification(LIVE_STATE_NOTIFICATION, (params: unknown) => {
    if (engine.setLiveState(params)) refreshAll();
  });

  connection.onRequest(MEMBER_LOCATIONS_REQUEST, (params: unknown) => {
    const query = memberQuery(params);
    return query ? engine.memberLocations(query) : [];
  });

  connection.onDocumentSymbol(async (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const settings = await getSettings(doc.uri);
    const convert = (s: DocumentSymbol): lsp.DocumentSymbol => ({
      name: s.name || ' ',
      detail: s.detail,
      kind: SYMBOL_KIND[s.kind],
      range: s.range,
      selectionRange: s.selectionRange,
      children: s.children?.map(convert),
    });
    return engine.symbols({ uri: doc.uri, text: doc.getText() }, settings).map(convert);
  });

  documents.listen(connection);
  connection.listen();
}

/** A connection over what the process arguments name: --stdio, --node-ipc or --socket=N. */
export function connectionFromArgs(): Connection {
  return createConnection(ProposedFeatures.all);
}
