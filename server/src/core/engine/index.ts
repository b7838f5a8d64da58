// The engine's public API: parse once per text, validate, and answer editor features. No LSP types here.
import { detectFile, detectKind } from '../documents/detect';
import type { Detection } from '../documents/detect';
import { liveHover } from '../features/live-hover';
import { FORMATS, formatOf } from '../formats';
import { memberLocations } from '../live/locations';
import type { MemberLocation, MemberQuery } from '../live/locations';
import { readSnapshot } from '../live/snapshot';
import type { LiveSnapshot } from '../live/snapshot';
import type { Position, Range } from '../line-index';
import { Workspace } from '../workspace';
import type { EngineSettings, FileEncoding, FileKind, FormatSupport, Logger, WorkspaceView } from '../types';
import { DEFAULT_SETTINGS } from '../types';
import type { CheckInfo, CodeAction, Completion, Diagnostic, DocumentInput, DocumentSymbol, EngineOptions, Hover } from './api';
import { DocumentStore } from './documents';
import { toDiagnostic, toSymbol } from './edge';
import { guarded } from './guard';
import type { CheckEnvironment } from './problems';
import { problemsOf } from './problems';

export type * from './api';
export { ENGINE_DIAGNOSTICS, INTERNAL_ERROR, NOT_VALIDATED, isAnalysisFailure } from './engine-diagnostics';
export type { EngineDiagnosticInfo } from './engine-diagnostics';

export function createEngine(options: EngineOptions = {}) {
  const logger: Logger = options.logger ?? { info: () => undefined, error: () => undefined };
  const workspace = new Workspace();
  const support = (kind: FileKind): FormatSupport<unknown> => options.formats?.[kind] ?? formatOf(kind);
  const store = new DocumentStore(support, workspace, logger);
  const env: CheckEnvironment = { support, workspace, logger };
  const guard = <T>(what: string, uri: string, fallback: T, fn: () => T): T => guarded(logger, what, uri, fallback, fn);

  return {
    /** The kind of a file whose content (or the user's associations) establishes it. */
    detectKind(uri: string, text: string, settings: EngineSettings = DEFAULT_SETTINGS): FileKind | undefined {
      return detectKind(uri, text, settings.associations);
    },

    /** The kind a file is taken for, and whether its content confirms it or only its name suggests it. */
    detect(uri: string, text: string, settings: EngineSettings = DEFAULT_SETTINGS): Detection | undefined {
      return detectFile(uri, text, settings.associations);
    },

    /**
     * Diagnostics of one document. Unchanged text with unchanged settings is served from cache.
     * A document (or part of one) that was not analysed has a diagnostic saying so (isAnalysisFailure).
     */
    validate(doc: DocumentInput, settings: EngineSettings = DEFAULT_SETTINGS): Diagnostic[] {
      const a = store.analyse(doc, settings);
      return problemsOf(env, a, doc.uri, settings).map((p) => toDiagnostic(doc.uri, a.lines, p, options.docsBase));
    },

    codeActions(doc: DocumentInput, range: Range, settings: EngineSettings = DEFAULT_SETTINGS): CodeAction[] {
      const a = store.analyse(doc, settings);
      const from = a.lines.offsetAt(range.start);
      const to = a.lines.offsetAt(range.end);
      const actions: CodeAction[] = [];
      for (const p of problemsOf(env, a, doc.uri, settings)) {
        if (!p.fixes || p.end < from || p.start > to) continue;
        const diagnostic = toDiagnostic(doc.uri, a.lines, p, options.docsBase);
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
      const a = store.analyse(doc, settings);
      const complete = a.kind && support(a.kind).complete;
      if (!complete) return [];
      const offset = a.lines.offsetAt(position);
      return guard('completion', doc.uri, [], () =>
        complete(a.model, offset, settings, { workspace }).map(({ replace, ...rest }) => ({
          ...rest,
          range: replace ? a.lines.rangeOf(replace.start, replace.end) : undefined,
        })),
      );
    },

    hover(doc: DocumentInput, position: Position, settings: EngineSettings = DEFAULT_SETTINGS): Hover | undefined {
      const a = store.analyse(doc, settings);
      const kind = a.kind;
      if (!kind || a.model === undefined) return undefined;
      const hover = support(kind).hover;
      const offset = a.lines.offsetAt(position);
      // What the connected cluster says of the member on this line comes first, the documentation after it.
      const live = guard('live hover', doc.uri, undefined, () => liveHover(kind, a.model, offset, workspace));
      const h = hover ? guard('hover', doc.uri, undefined, () => hover(a.model, offset, settings, { workspace })) : undefined;
      if (!live && !h) return undefined;
      const contents = [live?.contents, h?.contents].filter((c): c is string => c !== undefined).join('\n\n---\n\n');
      const span = h ?? live!;
      return { contents, range: a.lines.rangeOf(span.start, span.end) };
    },

    symbols(doc: DocumentInput, settings: EngineSettings = DEFAULT_SETTINGS): DocumentSymbol[] {
      const a = store.analyse(doc, settings);
      const symbols = a.kind && support(a.kind).symbols;
      if (!symbols) return [];
      return guard('symbols', doc.uri, [], () => symbols(a.model).map((s) => toSymbol(a.lines, s)));
    },

    /** Drops what the engine keeps for a closed document (its workspace facts stay until removed or replaced). */
    forget(uri: string): void {
      store.forget(uri);
    },

    /**
     * Reads a workspace file that is not open (or is open, to reset to its saved text) for the facts
     * it contributes to cross-file checks. True when those facts changed: other documents' results may differ.
     */
    setWorkspaceFile(uri: string, text: string, settings: EngineSettings = DEFAULT_SETTINGS, opts: { keep?: boolean; encoding?: FileEncoding } = {}): boolean {
      if (opts.keep) {
        // Parse once and keep the model for the validation that follows (the CLI checks every file).
        const before = workspace.version;
        store.analyse({ uri, text, encoding: opts.encoding }, settings);
        return workspace.version !== before;
      }
      const kind = detectKind(uri, text, settings.associations);
      const fmt = kind ? support(kind) : undefined;
      if (!kind || (!fmt?.facts && !fmt?.liveTargets)) return workspace.remove(uri);
      const model = guard('parsing a workspace file', uri, undefined, () => fmt.parse({ uri, text, kind, encoding: opts.encoding }, settings));
      return model === undefined ? false : store.recordFacts(uri, fmt, model);
    },

    /**
     * The live state of the clusters a client is connected to (undefined: none), read defensively:
     * drift checks and hover use it. True when what the checks read of it changed, so results of
     * open documents may differ; a snapshot that only moved lag figures changes hover alone.
     */
    setLiveState(snapshot: LiveSnapshot | unknown): boolean {
      return workspace.setLive(snapshot === undefined || snapshot === null ? undefined : readSnapshot(snapshot));
    },

    liveState(): LiveSnapshot | undefined {
      return workspace.live();
    },

    /** The files and ranges of the workspace that configure a live cluster or one of its members, best first. */
    memberLocations(query: MemberQuery): MemberLocation[] {
      return guard('finding member locations', query.cluster, [], () => memberLocations(workspace, query));
    },

    removeWorkspaceFile(uri: string): boolean {
      return workspace.remove(uri);
    },

    workspace(): WorkspaceView {
      return workspace;
    },

    /**
     * Every check of every format. A check object two formats share (Sentinel and redis.conf) is
     * listed once; two different checks with one id are both listed, so the mistake shows.
     */
    checks(): CheckInfo[] {
      const seen = new Set<object>();
      const out: CheckInfo[] = [];
      for (const kind of Object.keys(FORMATS) as FileKind[]) {
        for (const c of support(kind).checks) {
          if (seen.has(c)) continue;
          seen.add(c);
          out.push({ id: c.id, kind, defaultSeverity: c.defaultSeverity, title: c.docs.title, summary: c.docs.summary, bad: c.docs.bad });
        }
      }
      return out;
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
