import type { Node, Pair, ParsedNode } from 'yaml';
import { PATRONI_SCHEMA } from '../../schema/schemas';
import type { SchemaIssue } from '../../schema/validate';
import { validateAgainstSchema } from '../../schema/validate';
import type { EngineSettings, Report, SourceFile } from '../../types';
import type { PathSegment, YamlDocument, YamlFile, YamlOptions, YamlProblem } from './yaml-document';
import { YamlTimestamp } from './pyyaml-schema';
import { nodeAtPath, nodeRange, pairAtPath, parseYaml } from './yaml-document';

export interface PatroniModel {
  file: SourceFile;
  yaml: YamlFile;
  /** The configuration document (Patroni reads one document; a second one is a syntax error). */
  document: YamlDocument | undefined;
  /** The configuration as plain data when it is a mapping. */
  config: Record<string, unknown> | undefined;
  schemaIssues: SchemaIssue[];
}

/** How Patroni's file is read: YAML 1.1 with PyYAML's resolution of scalars, merge keys included. */
export const PATRONI_YAML: YamlOptions = { version: '1.1', schema: 'pyyaml' };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof YamlTimestamp);
}

/** Parses a Patroni YAML configuration as PyYAML's safe loader reads it (on/off/yes/no are booleans, `y` and `1e3` strings, `0755` octal). */
export function parsePatroni(file: SourceFile, _settings: EngineSettings): PatroniModel {
  const yaml = parseYaml(file.text, { ...PATRONI_YAML, encoding: file.encoding });
  const second = yaml.documents[1];
  if (second) yaml.errors.push(secondDocument(second.start, file.text));
  const document = yaml.documents.find((d) => d.doc.contents !== null) ?? yaml.documents[0];
  const config = isRecord(document?.value) ? document.value : undefined;
  // Schema problems on a text that failed to parse would only repeat the syntax error.
  const schemaIssues = document && config && document.errors.length === 0 ? validateAgainstSchema(PATRONI_SCHEMA, document.doc, config) : [];
  return { file, yaml, document, config, schemaIssues };
}

/** Patroni reads its file with yaml.safe_load, which refuses a stream of more than one document. */
function secondDocument(start: number, text: string): YamlProblem {
  return {
    start,
    end: Math.min(start + 3, text.length),
    code: 'SECOND_DOCUMENT',
    sentence: true,
    message: 'A second document: Patroni reads its configuration with yaml.safe_load, which reads a single document and stops with "expected a single document in the stream". Remove this `---` and what follows, or move it to a file of its own.',
  };
}

/** The documents whose value was not built because they go past a limit of hatopo's. */
export function patroniUnvalidated(model: PatroniModel): Report[] {
  return model.yaml.documents.flatMap((d) => (d.unvalidated ? [d.unvalidated] : []));
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

/** Patroni's parse_bool: on/true/yes/1 and off/false/no/0 in any case (of the value's Python str()); else undefined. */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.toLowerCase() : undefined;
  if (s === 'on' || s === 'true' || s === 'yes' || s === '1') return true;
  if (s === 'off' || s === 'false' || s === 'no' || s === '0') return false;
  return undefined;
}

/** Python's truth value, which Patroni uses for settings it reads with bool(): a non-empty string, even "false", is true. */
export function isTruthy(v: unknown): boolean {
  if (v instanceof YamlTimestamp) return true;
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return v !== undefined && v !== null && v !== false && v !== 0 && v !== '';
}

/** The DCS sections Patroni knows; it uses one of them. */
export const DCS_SECTIONS = ['etcd', 'etcd3', 'consul', 'zookeeper', 'exhibitor', 'kubernetes', 'raft'] as const;
