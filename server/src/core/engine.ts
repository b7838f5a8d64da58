import { detectKind } from './documents/detect';
import { FORMATS, formatOf } from './formats';
import type { Position, Range } from './line-index';
import { LineIndex } from './line-index';
import { applySuppressions } from './suppressions';
import { Workspace } from './workspace';
import type {
  Check,
  CompletionEntry,
  EngineSettings,
  FileKind,
  FormatSupport,
  Logger,
  OutlineKind,
  Region,
  OutlineSymbol,
  Problem,
  Report,
  Severity,
  SourceFile,
  WorkspaceView,
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

/** Another place a diagnostic speaks of (the first definition of a repeated name, say). */
export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface Diagnostic {
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  source: 'hatopo';
  message: string;
  codeDescription?: { href: string };
  related?: RelatedLocation[];
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
  /** A small document that triggers the check (its documentation example). */
  bad?: string;
}

interface RegionResult {
  /** The region's start when these problems were computed. */
  start: number;
  problems: Problem[];
}

interface Analysis {
  text: string;
  kind: FileKind | undefined;
  settingsKey: string;
  lines: LineIndex;
  model: unknown;
  problems: Problem[] | undefined;
  /** Problems of region-scoped checks, per region, kept for the next edit of the document. */
  regionResults?: Map<object, RegionResult>;
  regions?: readonly Region[];
  /** The workspace version the problems were computed against (formats that read the workspace). */
  workspaceVersion: number;
  /** The previous analysis' regions and their results, until this analysis' problems are computed. */
  previous?: { results: Map<object, RegionResult>; regions: readonly Region[] };
}

/** Line references in messages stay offsets until the diagnostic leaves the engine. */
const LINE_REF = /\u0000@(\d+)\u0000/g;
const lineRef = (offset: number): string => `\u0000@${offset}\u0000`;

/** Moves a problem computed on the previous text: its own offsets by `delta`, line references through `move`. */
function shifted(p: Problem, delta: number, move: (offset: number) => number): Problem {
  const message = p.message.includes('\u0000') ? p.message.replace(LINE_REF, (_, o: string) => lineRef(move(Number(o)))) : p.message;
  if (delta === 0 && message === p.message) return p;
  return {
    ...p,
    message,
    start: p.start + delta,
    end: p.end + delta,
    fixes: p.fixes?.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, start: e.start + delta, end: e.end + delta })) })),
  };
}

/** Index of the region containing `offset` (regions are contiguous and sorted). */
function regionIndex(regions: readonly Region[], offset: number): number {
  let lo = 0;
  let hi = regions.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (regions[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The engine: parse once per text, validate, and answer editor features. No LSP types here. */
export function createEngine(options: EngineOptions = {}) {
  const logger: Logger = options.logger ?? { info: () => undefined, error: () => undefined };
  const cache = new Map<string, Analysis>();
  const workspace = new Workspace();

  /** Records the facts a parsed file contributes to the workspace; true when they changed. */
  function recordFacts(uri: string, fmt: FormatSupport<unknown>, model: unknown): boolean {
    if (!fmt.facts) return false;
    const facts = guarded('reading workspace facts', uri, undefined, () => fmt.facts!(model));
    return facts ? workspace.update(uri, facts) : false;
  }

  const support = (kind: FileKind): FormatSupport<unknown> => options.formats?.[kind] ?? formatOf(kind);

  function analyse(doc: DocumentInput, settings: EngineSettings): Analysis {
    const settingsKey = JSON.stringify(settings);
    const cached = cache.get(doc.uri);
    if (cached && cached.text === doc.text && cached.settingsKey === settingsKey) {
      const fmt = cached.kind ? support(cached.kind) : undefined;
      if (!fmt?.usesWorkspace || cached.workspaceVersion === workspace.version) return cached;
      // The workspace changed under an unchanged document: same model, problems computed again.
      const again: Analysis = { ...cached, problems: undefined, previous: undefined, regionResults: undefined, workspaceVersion: workspace.version };
      cache.set(doc.uri, again);
      return again;
    }
    const kind = detectKind(doc.uri, doc.text, settings.associations);
    const lines = new LineIndex(doc.text);
    // The previous model of this document may lend unchanged parts to the new one.
    const previous = cached && cached.kind === kind && cached.settingsKey === settingsKey && cached.model !== undefined ? cached : undefined;
    let model: unknown;
    if (kind) {
      try {
        model = support(kind).parse({ uri: doc.uri, text: doc.text, kind }, settings, previous?.model);
      } catch (err) {
        logger.error(`hatopo: parsing ${doc.uri} as ${kind} failed: ${describe(err)}`);
      }
    }
    if (kind && model !== undefined) recordFacts(doc.uri, support(kind), model);
    const sameWorkspace = previous !== undefined && previous.workspaceVersion === workspace.version;
    const analysis: Analysis = {
      text: doc.text,
      kind: model === undefined ? undefined : kind,
      settingsKey,
      lines,
      model,
      problems: undefined,
      workspaceVersion: workspace.version,
      previous: sameWorkspace && previous?.regionResults && previous.regions ? { results: previous.regionResults, regions: previous.regions } : undefined,
    };
    cache.set(doc.uri, analysis);
    return analysis;
  }

  function severityOf(check: Check<unknown>, settings: EngineSettings): Severity | undefined {
    const override = settings.checks[check.id];
    if (override === 'off') return undefined;
    return override ?? check.defaultSeverity;
  }

  function runChecks(checks: readonly Check<unknown>[], file: SourceFile, model: unknown, settings: EngineSettings, out: Problem[]): void {
    for (const check of checks) {
      const severity = severityOf(check, settings);
      if (!severity) continue;
      const found: Report[] = [];
      try {
        check.check({ file, model, settings, workspace, report: (r) => found.push(r), lineOf: lineRef });
      } catch (err) {
        // A broken check must never take the others (or the server) down with it.
        logger.error(`hatopo: check ${check.id} failed on ${file.uri}: ${describe(err)}`);
        continue;
      }
      for (const r of found) out.push({ ...r, code: check.id, severity });
    }
  }

  function regionsOf(fmt: FormatSupport<unknown>, model: unknown, uri: string): readonly Region[] | undefined {
    if (!fmt.incremental) return undefined;
    return guarded('splitting into regions', uri, undefined, () => {
      const r = fmt.incremental!.regions(model);
      return r && r.length > 0 ? r : undefined;
    });
  }

  /**
   * Runs the checks. Region-scoped checks of an incremental format run only on the regions that
   * changed since the previous analysis; the results of unchanged regions are reused, shifted.
   */
  function problemsOf(a: Analysis, uri: string, settings: EngineSettings): Problem[] {
    if (a.problems) return a.problems;
    const before = a.previous;
    a.previous = undefined;
    const previous = before?.results;
    if (!a.kind) return (a.problems = []);
    const fmt = support(a.kind);
    const file: SourceFile = { uri, text: a.text, kind: a.kind };
    const regionChecks = fmt.incremental ? fmt.checks.filter((c) => c.scope === 'region') : [];
    const documentChecks = fmt.incremental ? fmt.checks.filter((c) => c.scope !== 'region') : fmt.checks;
    const out: Problem[] = [];
    runChecks(documentChecks, file, a.model, settings, out);

    const regions = regionChecks.length > 0 ? regionsOf(fmt, a.model, uri) : undefined;
    if (!regions) {
      runChecks(regionChecks, file, a.model, settings, out);
    } else {
      const results = new Map<object, RegionResult>();
      for (const r of regions) results.set(r.id, { start: r.start, problems: [] });
      const clean = (r: Region) => previous !== undefined && previous.has(r.id) && (r.deps ?? []).every((d) => previous.has(d));
      const changed = previous ? regions.filter((r) => !clean(r)) : regions;
      // Only a small change is worth the bookkeeping; otherwise check every region.
      let restricted: { model: unknown; wanted: Set<object> } | undefined;
      if (previous && changed.length * 2 < regions.length) {
        const wanted = new Set(changed.map((r) => r.id));
        const keep = new Set<object>(wanted);
        for (const r of changed) for (const d of r.deps ?? []) keep.add(d);
        const model = guarded('restricting the model', uri, undefined, () => fmt.incremental!.restrict(a.model, keep));
        if (model !== undefined) restricted = { model, wanted };
      }
      if (restricted) {
        // Where each previous region now starts, to move line references that point into it.
        const now = new Map(regions.map((r) => [r.id, r.start]));
        const old = before!.regions;
        const move = (o: number): number => {
          const r = old[regionIndex(old, o)];
          const start = now.get(r.id);
          return start === undefined ? o : o - r.start + start;
        };
        for (const r of regions) {
          if (restricted.wanted.has(r.id)) continue;
          const was = previous!.get(r.id)!;
          const moved = was.problems.map((p) => shifted(p, r.start - was.start, move));
          results.get(r.id)!.problems = moved;
          out.push(...moved);
        }
      }
      const fresh: Problem[] = [];
      runChecks(regionChecks, file, restricted?.model ?? a.model, settings, fresh);
      for (const p of fresh) {
        const r = regions[regionIndex(regions, p.start)];
        if (restricted && !restricted.wanted.has(r.id)) continue;
        results.get(r.id)!.problems.push(p);
        out.push(p);
      }
      a.regionResults = results;
      a.regions = regions;
    }
    out.sort((x, y) => x.start - y.start || x.end - y.end || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
    return (a.problems = applySuppressions(out, a.text, a.lines));
  }

  function toDiagnostic(uri: string, lines: LineIndex, p: Problem): Diagnostic {
    const message = p.message.includes('\u0000') ? p.message.replace(LINE_REF, (_, o: string) => String(lines.positionAt(Number(o)).line + 1)) : p.message;
    const d: Diagnostic = { file: uri, range: lines.rangeOf(p.start, p.end), severity: p.severity, code: p.code, source: 'hatopo', message };
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
        complete(a.model, offset, settings, { workspace }).map(({ replace, ...rest }) => ({
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
        const h = hover(a.model, offset, settings, { workspace });
        return h ? { contents: h.contents, range: a.lines.rangeOf(h.start, h.end) } : undefined;
      });
    },

    symbols(doc: DocumentInput, settings: EngineSettings = DEFAULT_SETTINGS): DocumentSymbol[] {
      const a = analyse(doc, settings);
      const symbols = a.kind && support(a.kind).symbols;
      if (!symbols) return [];
      return guarded('symbols', doc.uri, [], () => symbols(a.model).map((s) => toSymbol(a.lines, s)));
    },

    /** Drops what the engine keeps for a closed document (its workspace facts stay until removed or replaced). */
    forget(uri: string): void {
      cache.delete(uri);
    },

    /**
     * Reads a workspace file that is not open (or is open, to reset to its saved text) for the facts
     * it contributes to cross-file checks. True when those facts changed: other documents' results may differ.
     */
    setWorkspaceFile(uri: string, text: string, settings: EngineSettings = DEFAULT_SETTINGS, options: { keep?: boolean } = {}): boolean {
      if (options.keep) {
        // Parse once and keep the model for the validation that follows (the CLI checks every file).
        const before = workspace.version;
        analyse({ uri, text }, settings);
        return workspace.version !== before;
      }
      const kind = detectKind(uri, text, settings.associations);
      const fmt = kind ? support(kind) : undefined;
      if (!kind || !fmt?.facts) return workspace.remove(uri);
      const model = guarded('parsing a workspace file', uri, undefined, () => fmt.parse({ uri, text, kind }, settings));
      return model === undefined ? false : recordFacts(uri, fmt, model);
    },

    removeWorkspaceFile(uri: string): boolean {
      return workspace.remove(uri);
    },

    workspace(): WorkspaceView {
      return workspace;
    },

    checks(): CheckInfo[] {
      const seen = new Map<string, CheckInfo>();
      for (const kind of Object.keys(FORMATS) as FileKind[]) {
        for (const c of support(kind).checks) {
          if (!seen.has(c.id)) seen.set(c.id, { id: c.id, kind, defaultSeverity: c.defaultSeverity, title: c.docs.title, summary: c.docs.summary, bad: c.docs.bad });
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
