import type { Pair, ParsedNode } from 'yaml';
import type { EngineSettings, SourceFile } from '../../types';
import { chunkStarts } from './kubernetes-regions';
import type { PathSegment, YamlDocument, YamlOptions, YamlProblem } from './yaml-document';
import { nodeRange, pairAtPath, parseYamlChunk, shiftYamlDocument } from './yaml-document';

/** One `---` document of a manifest file, with what identifies the object it declares. */
export interface KubeDocument {
  /** The parsed YAML; node ranges are offsets into the whole file. */
  yaml: YamlDocument;
  /** Offsets of the document in the file. */
  start: number;
  end: number;
  /** The plain value (aliases resolved); undefined when it could not be built. */
  value: unknown;
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

/**
 * The text from one `---` marker to the next (the first chunk starts at 0): the unit of parsing,
 * of reuse after an edit and of region-scoped checks. Holds at most one document.
 */
export interface KubeChunk {
  start: number;
  end: number;
  documents: KubeDocument[];
  /** Syntax problems found outside any document (a chunk holding only a stray marker, say). */
  errors: YamlProblem[];
}

export interface KubernetesModel {
  file: SourceFile;
  documents: KubeDocument[];
  /** Contiguous chunks covering the whole text, in order (none for an empty text). */
  chunks: KubeChunk[];
}

/** How a manifest is read: kubectl's resolution of scalars (go-yaml v2), merge keys included. */
export const KUBERNETES_YAML: YamlOptions = { version: '1.2', merge: true, schema: 'kubectl' };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function toKubeDocument(yaml: YamlDocument): KubeDocument {
  const value = yaml.value;
  const rec = isRecord(value) ? value : undefined;
  const meta = rec && isRecord(rec.metadata) ? rec.metadata : undefined;
  return {
    yaml,
    start: yaml.start,
    end: yaml.end,
    value,
    apiVersion: str(rec?.apiVersion),
    kind: str(rec?.kind),
    name: str(meta?.name),
    namespace: str(meta?.namespace),
  };
}

function parseChunk(text: string, start: number, end: number): KubeChunk {
  const parsed = parseYamlChunk(text, start, end, KUBERNETES_YAML);
  return { start, end, documents: parsed.documents.map(toKubeDocument), errors: parsed.errors };
}

/** Moves a chunk parsed from the previous text to where the same text now stands in `text`, in place. */
function shiftChunk(c: KubeChunk, delta: number, text: string): void {
  for (const d of c.documents) {
    shiftYamlDocument(d.yaml, delta, text);
    d.start = d.yaml.start;
    d.end = d.yaml.end;
  }
  if (delta === 0) return;
  c.start += delta;
  c.end += delta;
  c.errors = c.errors.map((e) => ({ ...e, start: e.start + delta, end: e.end + delta }));
}

/** The previous model's chunks by their text, in order, for reuse. */
function chunksByText(previous: KubernetesModel): Map<string, KubeChunk[]> {
  const out = new Map<string, KubeChunk[]>();
  const old = previous.file.text;
  for (const c of previous.chunks ?? []) {
    const key = old.slice(c.start, c.end);
    const list = out.get(key);
    if (list) list.push(c);
    else out.set(key, [c]);
  }
  return out;
}

/**
 * Parses every document of a manifest file (as kubectl reads it), one `---` chunk at a
 * time. With the previous model of the same file, chunks whose text did not change are reused (the
 * same objects, moved to their new offsets), so an edit re-reads only the document it touches.
 */
export function parseKubernetes(file: SourceFile, _settings: EngineSettings, previous?: KubernetesModel): KubernetesModel {
  const text = file.text;
  const starts = chunkStarts(text);
  const reusable = previous?.chunks ? chunksByText(previous) : undefined;
  const chunks: KubeChunk[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    const same = reusable?.get(text.slice(start, end));
    const old = same?.shift();
    if (old) {
      shiftChunk(old, start - old.start, text);
      chunks.push(old);
    } else {
      chunks.push(parseChunk(text, start, end));
    }
  }
  return { file, chunks, documents: chunks.flatMap((c) => c.documents) };
}

/** The plain value at `path` inside a document, or undefined. */
export function valueAt(doc: KubeDocument, path: readonly PathSegment[]): unknown {
  let v: unknown = doc.value;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isRecord(v)) v = v[String(seg)];
    else return undefined;
  }
  return v;
}

export function pairAt(doc: KubeDocument, path: readonly PathSegment[]): Pair<ParsedNode, ParsedNode | null> | undefined {
  return pairAtPath(doc.yaml.doc, path);
}

/** Source range of the key at `path` (falling back to its value), or of the nearest ancestor that exists. */
export function keyRangeAt(doc: KubeDocument, path: readonly PathSegment[]): { start: number; end: number } {
  for (let n = path.length; n > 0; n--) {
    const pair = pairAt(doc, path.slice(0, n));
    const r = nodeRange(pair?.key) ?? nodeRange(pair?.value);
    if (r) return r;
  }
  return { start: doc.start, end: Math.min(doc.end, doc.start + 1) };
}

/** Source range of the value at `path`, falling back to its key, then to the nearest ancestor. */
export function valueRangeAt(doc: KubeDocument, path: readonly PathSegment[]): { start: number; end: number } {
  const pair = path.length ? pairAt(doc, path) : undefined;
  const v = nodeRange(pair?.value);
  return v && v.end > v.start ? v : keyRangeAt(doc, path);
}
