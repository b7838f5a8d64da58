import type { Pair, ParsedNode } from 'yaml';
import type { EngineSettings, Report, SourceFile } from '../../types';
import { chunkStarts } from './kubernetes-regions';
import { copyable, MAX_REPEATED_CHUNK, repeatChunk, RepeatedYamlDocument } from './repeated-chunk';
import type { PathSegment, YamlChunk, YamlDocument, YamlOptions, YamlProblem } from './yaml-document';
import { nodeRange, pairAtPath, parseYamlChunk, shiftYamlDocument } from './yaml-document';
import { jsonStream } from './kubectl-text';

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
  /** Why the chunk was not read: it goes past a limit of hatopo's (its size, the file's number of documents). */
  unread?: YamlProblem;
}

export interface KubernetesModel {
  file: SourceFile;
  documents: KubeDocument[];
  /** Contiguous chunks covering the whole text, in order (none for an empty text). */
  chunks: KubeChunk[];
  /** What the parse did with the previous model: chunks read, chunk texts compared to reuse the others. */
  reuse?: { parsed: number; compared: number };
  /** Read as kubectl reads a file that starts with `{`: a stream of JSON values. */
  json?: boolean;
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

/** Readings of short chunks in one parse, by text, to copy for chunks of the same text; null: not copyable. */
type ChunkReadings = Map<string, { chunk: YamlChunk; start: number } | null>;

/**
 * The most documents of a file that are read; the rest of the file is reported as not validated.
 * Real manifests hold a few thousand at most.
 */
export const MAX_DOCUMENTS = 100_000;

/**
 * The longest document read, in characters. The API server stores objects of at most 1.5 MiB by
 * default (etcd's request limit), so no real manifest document comes near it.
 */
export const MAX_DOCUMENT_LENGTH = 4 * 1024 * 1024;

const megabytes = (n: number): string => (n / (1024 * 1024)).toFixed(1);

/** A chunk that is not read, with the reason, on its first line. */
function unreadChunk(text: string, start: number, end: number, code: string, message: string): KubeChunk {
  const nl = text.indexOf('\n', start);
  const lineEnd = Math.min(nl < 0 || nl > end ? end : nl, start + 200);
  return { start, end, documents: [], errors: [], unread: { start, end: Math.max(lineEnd, Math.min(end, start + 1)), code, message } };
}

function parseChunk(text: string, start: number, end: number, readings: ChunkReadings): KubeChunk {
  if (end - start > MAX_DOCUMENT_LENGTH) {
    const message = `This document is ${megabytes(end - start)} MB, more than the ${megabytes(MAX_DOCUMENT_LENGTH)} MB hatopo reads of one document, so it was not validated (the API server stores objects of at most 1.5 MB by default).`;
    return unreadChunk(text, start, end, 'TOO_LARGE', message);
  }
  const key = end - start <= MAX_REPEATED_CHUNK ? text.slice(start, end) : undefined;
  const first = key === undefined ? undefined : readings.get(key);
  let parsed: YamlChunk;
  if (first) {
    parsed = repeatChunk(first.chunk, first.start, text, start, end, KUBERNETES_YAML);
  } else {
    parsed = parseYamlChunk(text, start, end, KUBERNETES_YAML);
    if (key !== undefined && first === undefined) readings.set(key, copyable(parsed) ? { chunk: parsed, start } : null);
  }
  return { start, end, documents: parsed.documents.map(toKubeDocument), errors: parsed.errors };
}

/** Moves a chunk parsed from the previous text to where the same text now stands in `text`, in place. */
function shiftChunk(c: KubeChunk, delta: number, text: string): void {
  for (const d of c.documents) {
    if (d.yaml instanceof RepeatedYamlDocument) d.yaml.moveTo(text, delta);
    else shiftYamlDocument(d.yaml, delta, text);
    d.start = d.yaml.start;
    d.end = d.yaml.end;
  }
  if (delta === 0) return;
  c.start += delta;
  c.end += delta;
  if (c.errors.length > 0) c.errors = c.errors.map((e) => ({ ...e, start: e.start + delta, end: e.end + delta }));
  if (c.unread) c.unread = { ...c.unread, start: c.unread.start + delta, end: c.unread.end + delta };
}

/** Whether `text` from `start` holds the text of the previous chunk `c`. */
function sameChunk(c: KubeChunk, previous: string, text: string, start: number, end: number): boolean {
  const length = end - start;
  if (c.end - c.start !== length) return false;
  if (length > 32) return text.startsWith(previous.slice(c.start, c.end), start);
  for (let i = 0; i < length; i++) if (text.charCodeAt(start + i) !== previous.charCodeAt(c.start + i)) return false;
  return true;
}

/**
 * Parses every document of a manifest file (as kubectl reads it), one `---` chunk at a time. With
 * the previous model of the same file, the unchanged chunks before and after the edited part are
 * reused (the same objects, moved to their new offsets), so an edit re-reads only the documents it
 * touches; matching them costs one comparison a chunk. Within one parse, a short chunk whose text
 * repeats an earlier one's (a run of empty documents) is copied from it rather than read again.
 */
export function parseKubernetes(file: SourceFile, _settings: EngineSettings, previous?: KubernetesModel): KubernetesModel {
  const text = file.text;
  // kubectl decodes a file that starts with `{` as a stream of JSON objects, one document each:
  // whether it is one depends on the whole text, so such a file is read again as a whole.
  const json = jsonStream(text);
  if (json || previous?.json) previous = undefined;
  // Past MAX_DOCUMENTS, the last chunk is the rest of the file, not read.
  const starts = json ? json.starts.slice(0, MAX_DOCUMENTS + 1) : chunkStarts(text, MAX_DOCUMENTS + 1);
  const n = starts.length;
  const endOf = (i: number) => (i + 1 < n ? starts[i + 1] : text.length);
  const chunks = new Array<KubeChunk>(n);
  let front = 0;
  let back = 0;
  let compared = 0;
  const old = previous?.chunks ?? [];
  if (previous && old.length > 0) {
    const was = previous.file.text;
    const most = Math.min(n, old.length);
    // The rest of a file past MAX_DOCUMENTS is one chunk, which only stands for that rest.
    const same = (c: KubeChunk, i: number) => (compared++, (c.unread?.code === 'TOO_MANY_DOCUMENTS') === (i === MAX_DOCUMENTS) && sameChunk(c, was, text, starts[i], endOf(i)));
    while (front < most && same(old[front], front)) front++;
    while (back < most - front && same(old[old.length - 1 - back], n - 1 - back)) back++;
    for (let i = 0; i < front; i++) chunks[i] = old[i];
    for (let i = 1; i <= back; i++) chunks[n - i] = old[old.length - i];
    for (let i = 0; i < front; i++) shiftChunk(chunks[i], 0, text);
    for (let i = n - back; i < n; i++) shiftChunk(chunks[i], starts[i] - chunks[i].start, text);
  }
  const readings: ChunkReadings = new Map();
  for (let i = front; i < n - back; i++) {
    chunks[i] =
      i === MAX_DOCUMENTS
        ? unreadChunk(text, starts[i], text.length, 'TOO_MANY_DOCUMENTS', `This file has more than ${MAX_DOCUMENTS.toLocaleString('en-US')} documents; hatopo validates the first ${MAX_DOCUMENTS.toLocaleString('en-US')} and not the rest of the file.`)
        : parseChunk(text, starts[i], endOf(i), readings);
  }
  if (json?.problem && n > 0) chunks[0] = { ...chunks[0], errors: [json.problem, ...chunks[0].errors] };
  return { file, chunks, documents: chunks.flatMap((c) => c.documents), reuse: { parsed: n - front - back, compared }, ...(json ? { json: true } : {}) };
}

/** The documents whose value was not built because they go past a limit of hatopo's. */
export function kubernetesUnvalidated(model: KubernetesModel): Report[] {
  const out: Report[] = [];
  for (const c of model.chunks) {
    if (c.unread) out.push(c.unread);
    for (const d of c.documents) if (d.yaml.unvalidated) out.push(d.yaml.unvalidated);
  }
  return out;
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
