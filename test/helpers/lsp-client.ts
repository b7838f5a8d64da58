import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import type * as lsp from 'vscode-languageserver-protocol';

export const REPO = resolve(__dirname, '..', '..');
export const CLI = resolve(REPO, 'dist', 'hatopo.js');

export interface ClientOptions {
  /** Advertise pull diagnostics (textDocument/diagnostic) support. */
  pull: boolean;
  /** What the server gets for workspace/configuration (any section). */
  settings?: unknown;
  /** Another server to speak to (node script and arguments); default: the bundled `hatopo lsp --stdio`. */
  command?: string[];
  /** The program that runs `command` (a wrapper such as strace, given node itself among its arguments); default: this Node. */
  program?: string;
  /** Workspace folders to announce in initialize. */
  workspaceFolders?: string[];
  /** Sent as `{ yaml: ... }` in didChangeConfiguration after initialize (for yaml-language-server). */
  yamlSettings?: unknown;
}

/** A minimal LSP client speaking to the bundled `hatopo lsp --stdio` over real pipes. */
export class LspClient {
  readonly process: ChildProcess;
  readonly connection: MessageConnection;
  private readonly published = new Map<string, lsp.PublishDiagnosticsParams[]>();
  private readonly waiters: Array<() => void> = [];
  readonly logs: string[] = [];
  settings: unknown;
  refreshRequests = 0;
  private version = new Map<string, number>();

  constructor(private readonly options: ClientOptions) {
    this.settings = options.settings ?? {};
    this.process = spawn(options.program ?? process.execPath, options.command ?? [CLI, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (d: Buffer) => this.logs.push(d.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: lsp.PublishDiagnosticsParams) => {
      const list = this.published.get(p.uri) ?? [];
      list.push(p);
      this.published.set(p.uri, list);
      this.waiters.splice(0).forEach((w) => w());
    });
    this.connection.onNotification('window/logMessage', (p: lsp.LogMessageParams) => this.logs.push(p.message));
    this.connection.onRequest('workspace/configuration', (p: lsp.ConfigurationParams) => p.items.map(() => this.settings));
    this.connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshRequests++;
      this.waiters.splice(0).forEach((w) => w());
      return null;
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  async initialize(): Promise<lsp.InitializeResult> {
    const capabilities: lsp.ClientCapabilities = {
      workspace: { configuration: true, diagnostics: { refreshSupport: true }, didChangeConfiguration: { dynamicRegistration: false } },
      textDocument: {
        synchronization: { didSave: true },
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
        hover: { contentFormat: ['markdown'] },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true },
        ...(this.options.pull ? { diagnostic: { dynamicRegistration: false } } : {}),
      },
    };
    const result = await this.connection.sendRequest<lsp.InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: this.options.workspaceFolders?.[0] ?? null,
      capabilities,
      workspaceFolders: this.options.workspaceFolders?.map((uri, i) => ({ uri, name: `folder${i}` })) ?? null,
    });
    await this.connection.sendNotification('initialized', {});
    if (this.options.yamlSettings) await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: this.options.yamlSettings } });
    return result;
  }

  async open(uri: string, text: string, languageId = 'plaintext'): Promise<void> {
    this.version.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends one incremental change. */
  async change(uri: string, range: lsp.Range, text: string): Promise<void> {
    const v = (this.version.get(uri) ?? 1) + 1;
    this.version.set(uri, v);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range, text }] });
  }

  /** Sends several incremental changes in one notification, each applying to the text the previous one left. */
  async changeMany(uri: string, changes: { range: lsp.Range; text: string }[]): Promise<void> {
    const v = (this.version.get(uri) ?? 1) + 1;
    this.version.set(uri, v);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: changes });
  }

  async replaceAll(uri: string, text: string): Promise<void> {
    const v = (this.version.get(uri) ?? 1) + 1;
    this.version.set(uri, v);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
  }

  lastPublished(uri: string): lsp.PublishDiagnosticsParams | undefined {
    const list = this.published.get(uri);
    return list?.[list.length - 1];
  }

  currentVersion(uri: string): number {
    return this.version.get(uri) ?? 0;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Pull diagnostics (the client must have been created with pull: true). */
  async pull(uri: string): Promise<lsp.Diagnostic[]> {
    const r = await this.connection.sendRequest<lsp.FullDocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    return r.items;
  }

  /** Waits for a publishDiagnostics of `uri` at the current version (push mode). */
  async pushed(uri: string, timeoutMs = 10_000): Promise<lsp.Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const list = this.published.get(uri) ?? [];
      const hit = list.find((p) => p.version === this.currentVersion(uri));
      if (hit) return hit.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no diagnostics for ${uri} v${this.currentVersion(uri)} within ${timeoutMs} ms; logs:\n${this.logs.join('')}`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  /** How many publishDiagnostics arrived for `uri` so far. */
  publishCount(uri: string): number {
    return this.published.get(uri)?.length ?? 0;
  }

  /** Waits for the next publishDiagnostics of `uri` after `count` of them (for servers that send no version). */
  async publishedAfter(uri: string, count: number, timeoutMs = 60_000): Promise<lsp.Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.publishCount(uri) <= count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no diagnostics for ${uri} within ${timeoutMs} ms; logs:\n${this.logs.join('')}`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
    return this.lastPublished(uri)!.diagnostics;
  }

  /** Waits until a workspace/diagnostic/refresh request has come in `count` times in all. */
  async refreshed(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.refreshRequests < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no diagnostic refresh request from the server');
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  async shutdown(): Promise<void> {
    const exited = new Promise<void>((res) => {
      if (this.process.exitCode !== null) res();
      else this.process.once('exit', () => res());
    });
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}

/** Applies LSP text edits (any order, non-overlapping) to `text`. */
export function applyEdits(text: string, edits: lsp.TextEdit[]): string {
  const offsetAt = (p: lsp.Position): number => {
    let line = 0;
    let i = 0;
    while (line < p.line && i < text.length) {
      if (text[i] === '\n') line++;
      i++;
    }
    return i + p.character;
  };
  const abs = edits.map((e) => ({ start: offsetAt(e.range.start), end: offsetAt(e.range.end), newText: e.newText }));
  abs.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of abs) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
