import type { Node, Pair, ParsedNode } from 'yaml';
import { isMap, isScalar, isSeq } from 'yaml';
import { PATRONI_SCHEMA } from '../../schema/schemas';
import type { SchemaIssue } from '../../schema/validate';
import { validateAgainstSchema } from '../../schema/validate';
import type { EngineSettings, SourceFile } from '../../types';
import type { PathSegment, YamlDocument, YamlFile } from './yaml-document';
import { nodeAtPath, nodeRange, pairAtPath, parseYaml } from './yaml-document';

export interface PatroniModel {
  file: SourceFile;
  yaml: YamlFile;
  /** The configuration document (Patroni reads one document; others are ignored). */
  document: YamlDocument | undefined;
  /** The configuration as plain data when it is a mapping. */
  config: Record<string, unknown> | undefined;
  schemaIssues: SchemaIssue[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a Patroni YAML configuration the way PyYAML reads it (YAML 1.1: on/off/yes/no are booleans). */
export function parsePatroni(file: SourceFile, _settings: EngineSettings): PatroniModel {
  const yaml = parseYaml(file.text, { version: '1.1' });
  const document = yaml.documents.find((d) => d.doc.contents !== null) ?? yaml.documents[0];
  const config = isRecord(document?.value) ? document.value : undefined;
  // Schema problems on a text that failed to parse would only repeat the syntax error.
  const schemaIssues = document && config && document.errors.length === 0 ? validateAgainstSchema(PATRONI_SCHEMA, document.doc, config) : [];
  return { file, yaml, document, config, schemaIssues };
}

/** The plain value at `path` of the configuration, or undefined. */
export function valueAt(model: PatroniModel, path: readonly PathSegment[]): unknown {
  let v: unknown = model.config;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isRecord(v)) v = v[String(seg)];
    else return undefined;
  }
  return v;
}

export function recordAt(model: PatroniModel, path: readonly PathSegment[]): Record<string, unknown> | undefined {
  const v = valueAt(model, path);
  return isRecord(v) ? v : undefined;
}

/** The YAML node at `path`. */
export function nodeAt(model: PatroniModel, path: readonly PathSegment[]): Node | undefined {
  return model.document ? nodeAtPath(model.document.doc, path) : undefined;
}

/** The key/value pair whose value is at `path`. */
export function pairAt(model: PatroniModel, path: readonly PathSegment[]): Pair<ParsedNode, ParsedNode | null> | undefined {
  return model.document ? pairAtPath(model.document.doc, path) : undefined;
}

/** Source range of the key at `path`, falling back to its value. */
export function keyRange(model: PatroniModel, path: readonly PathSegment[]): { start: number; end: number } | undefined {
  const pair = pairAt(model, path);
  return nodeRange(pair?.key) ?? nodeRange(pair?.value);
}

/** Source range of the value at `path`, falling back to its key (for `key:` with no value). */
export function valueRange(model: PatroniModel, path: readonly PathSegment[]): { start: number; end: number } | undefined {
  const pair = pairAt(model, path);
  const v = nodeRange(pair?.value);
  return v && v.end > v.start ? v : nodeRange(pair?.key);
}

/** Parses an integer the way Patroni does for plain numbers: ints and strings of digits; else undefined. */
export function toInt(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number.parseInt(v, 10);
  return undefined;
}

/** Reads PostgreSQL-style and YAML booleans: true/false, on/off, yes/no, 1/0. */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (['on', 'true', 'yes', '1', 't', 'y'].includes(s)) return true;
  if (['off', 'false', 'no', '0', 'f', 'n'].includes(s)) return false;
  return undefined;
}

/** True when the node at `path` is a scalar written in the source (not a mapping or a list). */
export function isScalarAt(model: PatroniModel, path: readonly PathSegment[]): boolean {
  const n = nodeAt(model, path);
  return isScalar(n) && !isMap(n) && !isSeq(n);
}

/** The DCS sections Patroni knows; it uses one of them. */
export const DCS_SECTIONS = ['etcd', 'etcd3', 'consul', 'zookeeper', 'exhibitor', 'kubernetes', 'raft'] as const;
