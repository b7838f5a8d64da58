// The engine's memory of documents: one analysis (kind, parsed model, problems once computed) per
// URI, reused while the text, settings and workspace facts are unchanged.
import { detectFile } from '../documents/detect';
import { LineIndex } from '../line-index';
import type { Workspace } from '../workspace';
import type { EngineSettings, FileEncoding, FileKind, FormatSupport, Logger, Problem } from '../types';
import type { DocumentInput } from './api';
import { guarded } from './guard';
import type { RegionMemory } from './regions';

export interface Analysis {
  text: string;
  kind: FileKind | undefined;
  /** The content establishes the kind; a file only named like it gets features but no problems. */
  confirmed: boolean;
  settingsKey: string;
  lines: LineIndex;
  model: unknown;
  problems: Problem[] | undefined;
  /** Problems of region-scoped checks, per region, kept for the next edit of the document. */
  regions?: RegionMemory;
  /** The workspace version the problems were computed against (formats that read the workspace). */
  workspaceVersion: number;
  /** The previous analysis' region results, until this analysis' problems are computed. */
  previous?: RegionMemory;
  /** How the text was decoded from the file's bytes, when it was read from disk. */
  encoding?: FileEncoding;
  /** Steps of the analysis that threw (each also logged): reported as internal errors. */
  failures: string[];
}

export class DocumentStore {
  private readonly cache = new Map<string, Analysis>();

  constructor(
    private readonly support: (kind: FileKind) => FormatSupport<unknown>,
    private readonly workspace: Workspace,
    private readonly logger: Logger,
  ) {}

  /** Records the facts a parsed file contributes to the workspace; true when they changed. */
  recordFacts(uri: string, fmt: FormatSupport<unknown>, model: unknown, failures?: string[]): boolean {
    let changed = false;
    if (fmt.facts) {
      const facts = guarded(this.logger, 'reading workspace facts', uri, undefined, () => fmt.facts!(model), failures);
      if (facts) changed = this.workspace.update(uri, facts);
    }
    if (fmt.liveTargets) {
      const shared = fmt.liveTargetsShared === true;
      // Targets no check of another file reads are computed later, when asked for: their failure is only logged then.
      const read = () => guarded(this.logger, 'reading what the file says of live clusters', uri, [], () => fmt.liveTargets!(model), shared ? failures : undefined);
      if (this.workspace.updateTargets(uri, read, shared)) changed = true;
    }
    return changed;
  }

  analyse(doc: DocumentInput, settings: EngineSettings): Analysis {
    const settingsKey = JSON.stringify(settings);
    const cached = this.cache.get(doc.uri);
    const workspace = this.workspace;
    const sameEncoding = (a: FileEncoding | undefined, b: FileEncoding | undefined) => JSON.stringify(a) === JSON.stringify(b);
    if (cached && cached.text === doc.text && cached.settingsKey === settingsKey && sameEncoding(cached.encoding, doc.encoding)) {
      const fmt = cached.kind ? this.support(cached.kind) : undefined;
      if (!fmt?.usesWorkspace || cached.workspaceVersion === workspace.version) return cached;
      // The workspace changed under an unchanged document: same model, problems computed again.
      const again: Analysis = { ...cached, problems: undefined, previous: undefined, regions: undefined, workspaceVersion: workspace.version };
      this.cache.set(doc.uri, again);
      return again;
    }
    const detection = detectFile(doc.uri, doc.text, settings.associations);
    const kind = detection?.kind;
    const lines = new LineIndex(doc.text);
    // The previous model of this document may lend unchanged parts to the new one.
    const previous = cached && cached.kind === kind && cached.settingsKey === settingsKey && cached.model !== undefined ? cached : undefined;
    let model: unknown;
    const failures: string[] = [];
    if (kind) {
      const file = { uri: doc.uri, text: doc.text, kind, encoding: doc.encoding };
      model = guarded(this.logger, `reading the file as ${kind}`, doc.uri, undefined, () => this.support(kind).parse(file, settings, previous?.model), failures);
    }
    if (kind && model !== undefined) this.recordFacts(doc.uri, this.support(kind), model, failures);
    const sameWorkspace = previous !== undefined && previous.workspaceVersion === workspace.version;
    const analysis: Analysis = {
      text: doc.text,
      kind: model === undefined ? undefined : kind,
      confirmed: detection?.confirmed ?? false,
      settingsKey,
      lines,
      model,
      problems: undefined,
      workspaceVersion: workspace.version,
      previous: sameWorkspace ? previous?.regions : undefined,
      encoding: doc.encoding,
      failures,
    };
    this.cache.set(doc.uri, analysis);
    return analysis;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
