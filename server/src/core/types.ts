import type { Range } from './line-index';
import type { LiveSnapshot } from './live/snapshot';

/** Kinds of file the engine understands. Later formats extend this union. */
export type FileKind = 'patroni' | 'sentinel' | 'redis' | 'haproxy' | 'kubernetes';

export const FILE_KINDS: readonly FileKind[] = ['patroni', 'sentinel', 'redis', 'haproxy', 'kubernetes'];

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

/** A replacement of the text between two offsets of the original document. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix a user most likely wants (shown first, used by "fix all"). */
  preferred?: boolean;
}

/** Another place of the same document a report speaks of (where a repeated name was first defined, say). */
export interface RelatedReport {
  start: number;
  end: number;
  message: string;
}

/** What a check reports: offsets into the document text, never lines. */
export interface Report {
  start: number;
  end: number;
  message: string;
  fixes?: Fix[];
  /** Places the message refers to; they follow the text when results are reused after an edit. */
  related?: RelatedReport[];
}

/** A report after severity and suppression were applied. Still in offsets. */
export interface Problem extends Report {
  code: string;
  severity: Severity;
}

/**
 * How the bytes of a file read from disk became its text (the CLI and the language server's
 * workspace scan read files; editors decode the documents they open themselves).
 */
export interface FileEncoding {
  /** What a byte-order mark announced (the mark itself is not in the text), else UTF-8. */
  name: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** The first bytes that are not valid in that encoding, replaced by U+FFFD in the text: where they are in the text and in the file. */
  invalid?: { offset: number; byteOffset: number };
}

export interface SourceFile {
  uri: string;
  text: string;
  kind: FileKind;
  /** Present when the text was decoded from a file's bytes. */
  encoding?: FileEncoding;
}

export interface HaproxySettings {
  /** HAProxy version whose keyword catalog applies, e.g. "2.6", "2.8", "3.0". */
  version: string;
}

export interface KubernetesSettings {
  /**
   * Report schema problems of built-in kinds (StatefulSet, Service, ...). Off when another tool
   * (Red Hat's YAML extension) already validates them; custom resources are always validated.
   */
  coreSchemaValidation: boolean;
}

export interface EngineSettings {
  /** Per-check severity overrides: { "patroni/timing": "error" | "warning" | "information" | "off" }. */
  checks: Record<string, SeveritySetting>;
  haproxy: HaproxySettings;
  kubernetes: KubernetesSettings;
  /** glob → kind, checked before detection by name and content. */
  associations: Record<string, FileKind>;
}

export const DEFAULT_SETTINGS: EngineSettings = {
  checks: {},
  haproxy: { version: '2.6' },
  kubernetes: { coreSchemaValidation: true },
  associations: {},
};

export interface CheckContext<M> {
  readonly file: SourceFile;
  readonly model: M;
  readonly settings: EngineSettings;
  /** What the other files of the workspace declare (PDBs, CRDs, operator settings), for cross-file checks. */
  readonly workspace: WorkspaceView;
  report(report: Report): void;
}

export interface CheckDocs {
  /** One line: what the check finds. */
  title: string;
  /** Why it matters and what to do (markdown, a short paragraph or two): the body of docs/checks/<id>.md. */
  summary: string;
  /** A small document that triggers the check, and the corrected one; shown in docs/checks/<id>.md. */
  bad?: string;
  good?: string;
}

export interface Check<M> {
  /** Stable id, `<format>/<name>`, used as the diagnostic code. */
  id: string;
  /**
   * 'region': what it reports inside a region depends only on that region and the regions it
   * names as dependencies, so after an edit it runs on the changed regions alone (formats with
   * `incremental` support). 'document' (the default): it runs on the whole document every time.
   */
  scope?: 'region' | 'document';
  defaultSeverity: Severity;
  docs: CheckDocs;
  check(ctx: CheckContext<M>): void;
}

export type CompletionKind = 'property' | 'keyword' | 'value' | 'snippet' | 'section' | 'enum';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text to insert; a snippet (with $1 tab stops) when `snippet` is true. Defaults to label. */
  insertText?: string;
  snippet?: boolean;
  /** The span the completion replaces; defaults to the word at the cursor. */
  replace?: { start: number; end: number };
  sortText?: string;
}

export interface HoverInfo {
  /** Markdown. */
  contents: string;
  start: number;
  end: number;
}

export type OutlineKind = 'namespace' | 'module' | 'class' | 'property' | 'object' | 'key' | 'field' | 'array' | 'string' | 'number' | 'boolean';

export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: OutlineKind;
  start: number;
  end: number;
  selectionStart: number;
  selectionEnd: number;
  children?: OutlineSymbol[];
}

/** An independent part of a document (an HAProxy section, say), covering [start, end). */
export interface Region {
  /** Identity: a parse given the previous model hands back the same object only when the region's text is unchanged. */
  id: object;
  start: number;
  end: number;
  /** Other regions whose content its region-scoped results depend on (a proxy's defaults section). */
  deps?: readonly object[];
}

export interface IncrementalSupport<M> {
  /** Contiguous regions covering the whole text, in order; undefined when the model cannot be split. */
  regions(model: M): readonly Region[] | undefined;
  /** The model reduced to the regions in `keep`, for running region-scoped checks on what changed. */
  restrict(model: M, keep: ReadonlySet<object>): M;
}

/** What editor features may read besides the document: the engine passes it; callers without a workspace may omit it. */
export interface FeatureContext {
  /** What the other files of the workspace declare (CRDs for custom resources' completion and hover). */
  readonly workspace: WorkspaceView;
}

/**
 * Everything the engine knows about one format. The engine parses once per text,
 * runs the checks, and dispatches editor features to the optional functions.
 */
export interface FormatSupport<M> {
  kind: FileKind;
  /**
   * Syntax problems live in the model and a `<format>/syntax` check reports them; a throw is a bug,
   * which the engine reports as `hatopo/internal-error` (the file gets no other problems then).
   * `previous` is the last model of the same document (same settings), which the parser may reuse
   * parts of; it is not used again afterwards.
   */
  parse(file: SourceFile, settings: EngineSettings, previous?: M): M;
  incremental?: IncrementalSupport<M>;
  checks: readonly Check<M>[];
  /** Facts this file contributes to the workspace (cross-file checks read them from `ctx.workspace`). */
  facts?(model: M): FileFacts;
  /**
   * What in this file describes a running cluster (a Patroni member, a monitored master, an HAProxy
   * server), matched against the live snapshot by drift checks, hover and member locations.
   */
  liveTargets?(model: M): LiveTargetFact[];
  /** Other files' checks read this format's live targets: a change of them re-runs them (Patroni's member list). */
  liveTargetsShared?: boolean;
  /** Its checks read `ctx.workspace`: results are recomputed when the workspace's facts change. */
  usesWorkspace?: boolean;
  /**
   * The parts of the file its checks did not see, and why: a limit of the engine (nesting deeper
   * than it reads, aliases that expand too far), not a problem the reading program has with the
   * file. The engine reports each as `hatopo/not-validated`.
   */
  unvalidated?(model: M): Report[];
  complete?(model: M, offset: number, settings: EngineSettings, context?: FeatureContext): CompletionEntry[];
  hover?(model: M, offset: number, settings: EngineSettings, context?: FeatureContext): HoverInfo | undefined;
  symbols?(model: M): OutlineSymbol[];
}

export interface Logger {
  info(message: string): void;
  error(message: string): void;
}

/** A Kubernetes label selector (metav1.LabelSelector). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** A PodDisruptionBudget found in the workspace. */
export interface PdbFact {
  uri: string;
  namespace: string | undefined;
  name: string | undefined;
  selector: LabelSelector | undefined;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

/** A CustomResourceDefinition found in the workspace: its served versions' openAPIV3Schema. */
export interface CrdFact {
  uri: string;
  group: string;
  kind: string;
  versions: Array<{ name: string; schema: unknown }>;
}

/** A setting of an operator's own configuration (OperatorConfiguration, operator ConfigMap) found in the workspace. */
export interface OperatorSettingFact {
  uri: string;
  operator: 'zalando';
  name: string;
  /** The value as written (ConfigMap values are strings). */
  value: unknown;
  /** The namespaces the operator watches (its `watched_namespace`); undefined: all of them. */
  namespaces?: string[];
}

/** A workload (StatefulSet, Deployment, ReplicaSet, Pod, operator cluster) and the labels of its pods. */
export interface WorkloadFact {
  uri: string;
  namespace: string | undefined;
  kind: string;
  name: string | undefined;
  podLabels: Record<string, string>;
  /**
   * `spec.replicas` of a StatefulSet, Deployment, ReplicaSet or ReplicationController (1 when absent, the API's
   * default); undefined for other kinds and for a value that is not a number.
   */
  replicas: number | undefined;
  /** The clustered system its pods run, when recognised; `quorum`: its members vote, so a majority must stay up. */
  system?: { name: string; quorum: boolean };
}

/**
 * A node label key the workspace defines or schedules on: a Node's label, a nodeSelector or node-affinity key,
 * a kubelet `--node-labels` flag, a kubeadm `node-labels` argument or a Kind node's labels.
 */
export interface NodeLabelFact {
  uri: string;
  key: string;
}

/** Facts one file contributes to the workspace. */
export interface FileFacts {
  pdbs: PdbFact[];
  workloads: WorkloadFact[];
  crds: CrdFact[];
  operatorSettings: OperatorSettingFact[];
  nodeLabels: NodeLabelFact[];
}

/** Something a config file says about a running cluster, and where. */
export interface LiveTargetFact {
  uri: string;
  kind: 'patroni' | 'sentinel' | 'redis' | 'haproxy';
  /** A Patroni member (its file), a master Sentinel monitors, a Redis server (its redis.conf), an HAProxy server line. */
  role: 'member' | 'master' | 'node' | 'server';
  /** Patroni scope, Sentinel master name, the HAProxy backend (or listen) of the server. */
  cluster?: string;
  /** Patroni member name, HAProxy server name. */
  name?: string;
  /** The `host:port` addresses it names (connect_address, monitor address, server address), as written. */
  addresses: string[];
  /** Where its database listens, when the file says apart from its API (Patroni's postgresql.connect_address). */
  dataAddress?: string;
  /** Where it is defined: the `name:` line, the `sentinel monitor` line, the `server` line. */
  range: Range;
}

export interface WorkspaceView {
  /** Changes whenever some file's facts change. */
  readonly version: number;
  pdbs(): readonly PdbFact[];
  workloads(): readonly WorkloadFact[];
  crds(): readonly CrdFact[];
  operatorSettings(): readonly OperatorSettingFact[];
  nodeLabels(): readonly NodeLabelFact[];
  /** How many files the workspace knows (0 when only the document itself is known, e.g. a lone file). */
  readonly fileCount: number;
  /** What the workspace's config files say about running clusters (see LiveTargetFact); absent in views without them. */
  liveTargets?(): readonly LiveTargetFact[];
  /** The clusters' live state, when a client connected to some (drift checks and hover read it). */
  live?(): LiveSnapshot | undefined;
}
