import type { Pair, ParsedNode } from 'yaml';
import type { EngineSettings, SourceFile } from '../../types';
import type { PathSegment, YamlDocument } from './yaml-document';
import { nodeRange, pairAtPath, parseYaml } from './yaml-document';

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

export interface KubernetesModel {
  file: SourceFile;
  documents: KubeDocument[];
}

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

/** Parses every document of a manifest file (YAML 1.2, as Kubernetes reads it). */
export function parseKubernetes(file: SourceFile, _settings: EngineSettings): KubernetesModel {
  const yaml = parseYaml(file.text, { version: '1.2' });
  return { file, documents: yaml.documents.map(toKubeDocument) };
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
