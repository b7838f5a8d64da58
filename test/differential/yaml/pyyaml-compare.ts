import assert from 'node:assert/strict';
import type { Document } from 'yaml';
import { isMap, isScalar, isSeq } from 'yaml';
import { PATRONI_YAML } from '../../../server/src/core/documents/yaml/patroni';
import { pyyamlTypeOf, YamlTimestamp } from '../../../server/src/core/documents/yaml/pyyaml-schema';
import type { PathSegment, YamlDocument } from '../../../server/src/core/documents/yaml/yaml-document';
import { nodeAtPath, parseYaml, resolveAlias } from '../../../server/src/core/documents/yaml/yaml-document';
import type { PyDocument, PyValue } from './pyyaml-oracle';

/*
 * Patroni reads its file with PyYAML's safe loader; the engine reads it with the `yaml` library and
 * a schema of PyYAML's rules. The comparison of both readings, document by document: every value the
 * checks see must be the one PyYAML constructs (type included: int or float, date or string), and
 * a document PyYAML refuses must be one we report an error in.
 *
 * Mapping keys: PyYAML keeps booleans, numbers, None and dates as keys; the engine's values are
 * plain objects whose property names are strings. A PyYAML key is compared as the property name
 * it becomes: String() of its value (`true`, `493`, `Infinity`), '' for None, the text of a date.
 */

/**
 * The node at `path` as PyYAML keeps it: of a key written twice, the last pair (the engine's
 * `nodeAtPath` finds the first, where its diagnostics point).
 */
function keptNodeAtPath(doc: Document.Parsed, path: PathSegment[]): unknown {
  if (path.length === 0) return doc.contents;
  const parent = resolveAlias(doc, keptNodeAtPath(doc, path.slice(0, -1)));
  const last = path[path.length - 1];
  if (isMap(parent)) {
    for (let i = parent.items.length - 1; i >= 0; i--) {
      const k = parent.items[i].key;
      if ((isScalar(k) ? String(k.value) : k) === String(last)) return parent.items[i].value;
    }
  }
  if (isSeq(parent) && typeof last === 'number') return parent.items[last];
  return nodeAtPath(doc, path);
}

/** The PyYAML type of the number at `path`, from the scalar that wrote it. */
function numberKind(doc: Document.Parsed, path: PathSegment[]): 'int' | 'float' | undefined {
  const node = resolveAlias(doc, keptNodeAtPath(doc, path));
  if (!isScalar(node) || typeof node.source !== 'string') return undefined;
  const tag = node.tag && node.tag !== '!' ? node.tag.replace(/^tag:yaml.org,2002:/, '') : pyyamlTypeOf(node.source);
  return tag === 'int' || tag === 'float' ? tag : undefined;
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Our value in a comparable form: numbers tagged int or float by the scalar they come from. */
function ours(v: unknown, doc: Document.Parsed, path: PathSegment[]): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    const kind = numberKind(doc, path);
    return kind ? { [kind]: v } : { number: v, at: path.join('.') };
  }
  if (v instanceof YamlTimestamp) return v.hasTime ? { datetime: v.iso } : { date: v.iso };
  // !!binary: bytes to PyYAML, a Uint8Array here.
  if (v instanceof Uint8Array) return { other: 'bytes' };
  if (Array.isArray(v)) return v.map((x, i) => ours(x, doc, [...path, i]));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) setKey(out, k, ours(x, doc, [...path, k]));
    return out;
  }
  return { other: typeof v };
}

const pyNumber = (s: string): number => (s === 'nan' ? NaN : s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));

/** The property name a PyYAML key becomes in the engine's value. */
function keyName(k: PyValue): string {
  if (k === null) return '';
  if (typeof k === 'boolean' || typeof k === 'string') return String(k);
  if (Array.isArray(k)) return JSON.stringify(k);
  if ('int' in k) return String(Number(BigInt(k.int)));
  if ('float' in k) return String(pyNumber(k.float));
  if ('date' in k) return k.date;
  return JSON.stringify(k);
}

/** PyYAML's value in the same form: Python ints are exact, the engine's numbers doubles (the nearest one stands for a larger int). */
function theirs(v: PyValue): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(theirs);
  if ('int' in v) return { int: Number(BigInt(v.int)) };
  if ('float' in v) return { float: pyNumber(v.float) };
  if ('map' in v) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v.map) setKey(out, keyName(k), theirs(x));
    return out;
  }
  return v;
}

/** Our problems that PyYAML has no equivalent of: a repeated key is a warning (PyYAML keeps the last). */
const refusing = (d: YamlDocument) => [...d.errors.filter((e) => e.code !== 'DUPLICATE_KEY'), ...(d.unvalidated ? [d.unvalidated] : [])];

export interface Tally {
  documents: number;
  agree: number;
  refusedByBoth: number;
  disagreements: string[];
}

/** Compares one text's documents with PyYAML's. */
export function compare(label: string, text: string, py: PyDocument[], tally: Tally): void {
  const file = parseYaml(text, PATRONI_YAML);
  const docs = file.documents;
  // A problem of the text itself (a character or a tab PyYAML refuses) stops PyYAML at that place:
  // the document it stands in and every later one are refused.
  const firstTextProblem = Math.min(...file.errors.map((e) => e.start));
  const at = docs.findIndex((d) => d.end > firstTextProblem);
  const refusedFrom = file.errors.length === 0 ? Infinity : at < 0 ? docs.length : at;
  const textRefuses = (i: number) => i >= refusedFrom;
  const differ = (i: number, why: string) => tally.disagreements.push(`${label} (document ${i}): ${why}\n${text.length > 400 ? text.slice(0, 400) + '…' : text}`);
  for (let i = 0; i < py.length; i++) {
    tally.documents++;
    const p = py[i];
    const d = docs[i];
    if (p.error !== undefined) {
      // A syntax error ends PyYAML's stream; we must report an error in the file: in this document
      // or a later one, or in an earlier one (which PyYAML read, a disagreement counted there).
      const ok = file.errors.length > 0 || docs.some((x) => refusing(x).length > 0);
      if (ok) tally.refusedByBoth++;
      else differ(i, `PyYAML refuses it (${p.error}); we report no error`);
      if (i === py.length - 1) return;
      continue;
    }
    if (!d) {
      differ(i, 'PyYAML reads a document we do not');
      continue;
    }
    if (textRefuses(i) || refusing(d).length > 0) {
      differ(i, `we report ${[...file.errors, ...refusing(d)].map((e) => `${e.code} ${e.message}`).join('; ')}; PyYAML reads ${JSON.stringify(p.value)}`);
      continue;
    }
    const a = ours(d.value, d.doc, []);
    const b = theirs(p.value ?? null);
    try {
      assert.deepStrictEqual(a, b);
      tally.agree++;
    } catch {
      differ(i, `we read ${JSON.stringify(a)}, PyYAML ${JSON.stringify(b)}`);
    }
  }
  if (docs.length > py.length && !py.some((p) => p.error !== undefined)) differ(py.length, `we read ${docs.length} documents, PyYAML ${py.length}`);
}

export function newTally(): Tally {
  return { documents: 0, agree: 0, refusedByBoth: 0, disagreements: [] };
}
