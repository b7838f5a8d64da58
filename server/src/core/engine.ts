import { detectKind } from './documents/detect';
import { FORMATS, formatOf } from './formats';
import type { Position, Range } from './line-index';
import { LineIndex } from './line-index';
import { applySuppressions } from './suppressions';
import type {
  Check,
  CompletionEntry,
  EngineSettings,
  FileKind,
  FormatSupport,
  Logger,
  OutlineKind,
  OutlineSymbol,
  Problem,
  Report,
  Severity,
  SourceFile,
} from './types';
import { DEFAULT_SETTINGS } from './types';

export interface EngineOptions {
  logger?: Logger;
  /** Base URL of docs/checks/ (ending in '/'); diagnostics link to `<docsBase><id>.md`. */
  docsBase?: string;
  /** Replaces the support of some kinds (tests, embedders). */
  formats?: Partial<Record<FileKind, FormatSupport<unknown>>>;
}

export interface DocumentInput {
  uri: string;
  text: string;
}

export interface RangedEdit {
  range: Range;
  newText: string;
}

export interface Diagnostic {
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  source: 'hatopo';
  message: string;
  codeDescription?: { href: string };
}

export interface CodeAction {
  title: string;
  kind: 'quickfix';
  diagnostic: Diagnostic;
  edits: RangedEdit[];
  preferred: boolean;
}

export interface Completion extends Omit<CompletionEntry, 'replace'> {
  range?: Range;
}

export interface Hover {
  contents: string;
  range: Range;
}

export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: OutlineKind;
  range: Range;
  selectionRange: Range;
  children?: DocumentSymbol[];
}

export interface CheckInfo {
  id: string;
  kind: FileKind;
  defaultSeverity: Severity;
  title: string;
  summary: string;
}

interface Analysis {
  text: string;
  kind: FileKind | undefined;
  settingsKey: string;
  lines: LineIndex;
  model: unknown;
  problems: Problem[] | undefined;
}

/** The engine: parse once per text, validate, and answer editor features. No LSP types here. */
export function createEngine(options: EngineOptions = {}) {
  const logger: Logger = options.logger ?? { info: () => undefined, error: () => undefined };
  const cache = new Map<string, Analysis>();

  const support = (kind: FileKind): FormatSupport<unknown> => options.formats?.[kind] ?? formatOf(kind);

  function analyse(doc: DocumentInput, settings: EngineSettings): Analysis {
    const settingsKey = JSON.stringify(settings);
    const cached = cache.get(doc.uri);
    if (cached && cached.text === doc.text && cached.settingsKey === settingsKey) return cached;
    const kind = detectKind(doc.uri, doc.text, settings.associations);
    const lines = new LineIndex(doc.text);
    let model: unknown;
    if (kind) {
      try {
        model = support(kind).parse({ uri: doc.uri, text: doc.text, kind }, settings);
      } catch (err) {
        logger.error(`hatopo: parsing ${doc.uri} as ${kind} failed: ${describe(err)}`);
      }
    }
    const analysis: Analysis = { text: doc.text, kind: model === undefined ? undefined : kind, settingsKey, lines, model, problems: undefined };
    cache.set(doc.uri, analysis);
    return analysis;
  }

  function severityOf(check: Check<unknown>, settings: EngineSettings): Severity | undefined {
    const override = settings.checks[check.id];
    if (override === 'off') return undefined;
    return override ?? check.defaultSeverity;
  }

  function problemsOf(a: Analysis, uri: string, settings: EngineSettings): Problem[] {
    if (a.problems) return a.problems;
    if (!a.kind) return (a.problems = []);
    const file: SourceFile = { uri, text: a.text, kind: a.kind };
    const out: Problem[] = [];
    for (const check of support(a.kind).checks) {
      const severity = severityOf(check, settings);
      if (!severity) continue;
      const found: Report[] = [];
      try {
        check.check({ file, model: a.model, settings, report: (r) => found.push(r) });
      } catch (err) {
        // A broken check must never take the others (or the server) down with it.
        logger.error(`hatopo: check ${check.id} failed on ${uri}: ${describe(err)}`);
        continue;
      }
      for (const r of found) out.push({ ...r, code: check.id, severity });
    }
    out.sort((x, y) => x.start - y.start || x.end - y.end);
    return (a.problems = applySuppressions(out, a.text, a.lines));
  }

  function toDiagnostic(uri: string, lines: LineIndex, p: Problem): Diagnostic {
    const d: Diagnostic = { file: uri, range: lines.rangeOf(p.start, p.end), severity: p.severity, code: p.code, source: 'hatopo', message: p.message };
    if (options.docsBase) d.codeDescription = { href: `${options.docsBase}${p.code}.md` };
    return d;
  }

  function toSymbol(lines: LineIndex, s: OutlineSymbol): DocumentSymbol {
    return {
      name: s.name,
      detail: s.detail,
      kind: s.kind,
      range: lines.rangeOf(s.start, s.end),
      selectionRange: lines.rangeOf(s.selectionStart, s.selectionEnd),
      children: s.children?.map((c) => toSymbol(lines, c)),
    };
  }

  function guarded<T>(what: string, uri: string, fallback: T, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      logger.error(`hatopo: ${what} failed on ${uri}: ${describe(err)}`);
      return fallback;
    }
  }

  return {
    detectKind(uri: string, text: string, settings: EngineSettings = DEFAULT_SETTINGS): FileKind | undefined {
      return detectKind(uri, text, settings.associations);
    },

    /** Diagnostics of one document. Unchanged text with unchanged settings is served from cache. */
    validate(doc: DocumentInput, settings: EngineSettings = DEFAULT_SETTINGS): Diagnostic[] {
      const a = analyse(doc, settings);
      return problemsOf(a, doc.uri, settings).map((p) => toDiagnostic(doc.uri, a.lines, p));
    },

    /** Validates several files as one workspace (cross-file checks join here). */
    validateWorkspace(docs: DocumentInput[], settings: EngineSettings = DEFAULT_SETTINGS): Diagnostic[] {
      return docs.flatMap((d) => this.validate(d, settings));
    },

    codeActions(doc: DocumentInput, range: Range, settings: EngineSettings = DEFAULT_SETTINGS): CodeAction[] {
      const a = analyse(doc, settings);
      const from = a.lines.offsetAt(range.start);
      const to = a.lines.offsetAt(range.end);
      const actions: CodeAction[] = [];
      for (const p of problemsOf(a, doc.uri, settings)) {
        if (!p.fixes || p.end < from || p.start > to) continue;
        const diagnostic = toDiagnostic(doc.uri, a.lines, p);
        for (const fix of p.fixes) {
          actions.push({
            title: fix.title,
            kind: 'quickfix',
            diagnostic,
            preferred: fix.preferred ?? false,
            edits: fix.edits.map((e) => ({ range: a.lines.rangeOf(e.start, e.end), newText: e.newText })),
          });
        }
      }
      return actions;
    },

    complete(doc: DocumentInput, position: Position, settings: EngineSettings = DEFAULT_SETTINGS): Completion[] {
      const a = analyse(doc, settings);
      const complete = a.kind && support(a.kind).complete;
      if (!complete) return [];
      const offset = a.lines.offsetAt(position);
      return guarded('completion', doc.uri, [], () =>
        complete(a.model, offset, settings).map(({ replace, ...rest }) => ({
          ...rest,
          range: replace ? a.lines.rangeOf(replace.start, replace.end) : undefined,
        })),
      );
    },

    hover(doc: DocumentInput, position: Position, settings: EngineSettings = DEFAULT_SETTINGS): Hover | undefined {
      const a = analyse(doc, settings);
      const hover = a.kind && support(a.kind).hover;
      if (!hover) return undefined;
      const offset = a.lines.offsetAt(position);
      return guarded('hover', doc.uri, undefined, () => {
        const h = hover(a.model, offset, settings);
        return h ? { contents: h.contents, range: a.lines.rangeOf(h.start, h.end) } : undefined;
      });
    },

    symbols(doc: DocumentInput, settings: EngineSettings = DEFAULT_SETTINGS): DocumentSymbol[] {
      const a = analyse(doc, settings);
      const symbols = a.kind && support(a.kind).symbols;
      if (!symbols) return [];
      return guarded('symbols', doc.uri, [], () => symbols(a.model).map((s) => toSymbol(a.lines, s)));
    },

    /** Drops what the engine keeps for a closed document. */
    forget(uri: string): void {
      cache.delete(uri);
    },

    checks(): CheckInfo[] {
      const seen = new Map<string, CheckInfo>();
      for (const kind of Object.keys(FORMATS) as FileKind[]) {
        for (const c of support(kind).checks) {
          if (!seen.has(c.id)) seen.set(c.id, { id: c.id, kind, defaultSeverity: c.defaultSeverity, title: c.docs.title, summary: c.docs.summary });
        }
      }
      return [...seen.values()];
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
