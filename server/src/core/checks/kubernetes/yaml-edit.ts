import type { Node } from 'yaml';
import { isMap, isScalar, isSeq, stringify } from 'yaml';
import { kubectlValueOf } from '../../documents/yaml/kubectl-schema';
import type { KubeDocument } from '../../documents/yaml/kubernetes';
import type { PathSegment } from '../../documents/yaml/yaml-document';
import { findPair, keyName } from '../../documents/yaml/yaml-document';
import type { TextEdit } from '../../types';

/** How a document is written: the indentation step and whether list items are indented under their key. */
export interface YamlStyle {
  unit: number;
  /** `key:\n  - a` (true) or `key:\n- a` (false). */
  seqIndented: boolean;
}

const lineStartOf = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;

function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line[i] === ' ') i++;
  return i;
}

/** The most common indentation step under a `key:` line and whether sequences sit under their key indented. */
export function detectStyle(text: string, start = 0, end = text.length): YamlStyle {
  const steps = new Map<number, number>();
  let indented = 0;
  let flush = 0;
  let prev: string | undefined;
  // Bounded by the document's lines; one pass.
  for (const line of text.slice(start, end).split('\n')) {
    const body = line.trim();
    if (body === '' || body.startsWith('#')) continue;
    if (prev !== undefined && /:\s*(#.*)?$/.test(prev.trim())) {
      const parent = indentOf(prev) + (prev.trimStart().startsWith('- ') ? 2 : 0);
      const child = indentOf(line);
      if (body.startsWith('- ') || body === '-') {
        if (child > parent) indented++;
        else if (child === parent) flush++;
      } else if (child > parent) {
        steps.set(child - parent, (steps.get(child - parent) ?? 0) + 1);
      }
    }
    prev = line;
  }
  let unit = 2;
  let best = 0;
  for (const [step, count] of steps) if (count > best || (count === best && step < unit)) [unit, best] = [step, count];
  return { unit: Math.min(Math.max(unit, 1), 8), seqIndented: indented >= flush };
}

const styles = new WeakMap<KubeDocument, { text: string; start: number; style: YamlStyle }>();

/** The style of a document, read once for all the fixes of its problems (each would read the whole document). */
function styleOf(doc: KubeDocument, text: string): YamlStyle {
  const known = styles.get(doc);
  if (known && known.text === text && known.start === doc.start) return known.style;
  const style = detectStyle(text, doc.start, doc.end);
  styles.set(doc, { text, start: doc.start, style });
  return style;
}

/** A plain scalar, or a quoted one when YAML, or kubectl (`on`, `y`, `0755`), would read it as something else. */
export function scalarText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? '[]' : '{}';
  if (typeof value === 'string' && typeof kubectlValueOf(value) !== 'string') return JSON.stringify(value);
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** `value` as a one-line flow collection; scalars holding flow indicators are quoted. */
export function flowText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flowText).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return `{${Object.entries(value).map(([k, v]) => `${flowScalar(k)}: ${flowText(v)}`).join(', ')}}`;
  return flowScalar(value);
}

function flowScalar(value: unknown): string {
  const plain = scalarText(value);
  return typeof value === 'string' && plain === value && /[,[\]{}]/.test(value) ? JSON.stringify(value) : plain;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): boolean => (Array.isArray(v) && v.length > 0) || (isRecord(v) && Object.keys(v).length > 0);

/** Lines of `value` written as a block at column `col`. */
export function blockLines(value: unknown, col: number, style: YamlStyle): string[] {
  const pad = ' '.repeat(col);
  if (Array.isArray(value)) {
    const out: string[] = [];
    for (const item of value) {
      if (!nonEmpty(item)) {
        out.push(`${pad}- ${scalarText(item)}`);
        continue;
      }
      const inner = blockLines(item, col + 2, style);
      out.push(`${pad}- ${inner[0].slice(col + 2)}`, ...inner.slice(1));
    }
    return out;
  }
  if (!isRecord(value)) return [`${pad}${scalarText(value)}`];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const key = scalarText(k);
    if (Array.isArray(v) && v.length > 0) out.push(`${pad}${key}:`, ...blockLines(v, style.seqIndented ? col + style.unit : col, style));
    else if (nonEmpty(v)) out.push(`${pad}${key}:`, ...blockLines(v, col + style.unit, style));
    else out.push(`${pad}${key}: ${scalarText(v)}`);
  }
  return out;
}

/** The block node at `path`, following only plain (non-alias) keys. */
function nodeAt(doc: KubeDocument, path: readonly PathSegment[]): Node | null | undefined {
  let node: unknown = doc.yaml.doc.contents;
  for (const seg of path) {
    if (isMap(node)) node = findPair(doc.yaml.doc, node, String(seg))?.value;
    else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node as Node | null;
}

const isBlock = (node: unknown): boolean => (isMap(node) || isSeq(node)) && !(node as { flow?: boolean }).flow && !!(node as Node).range;

/** End of the line holding the last non-blank character before `end`. */
function afterContent(text: string, start: number, end: number): number {
  let i = Math.min(end, text.length) - 1;
  while (i > start && /\s/.test(text[i])) i--;
  return lineEndOf(text, i);
}

/** Column of a node (its first character from the start of its line). */
const columnOf = (text: string, offset: number): number => offset - lineStartOf(text, offset);

/**
 * Inserts `entries` into the block mapping at `path`, creating the missing mappings of the path.
 * Undefined when the path runs into something that is not a block mapping (a flow map, a scalar, an empty value).
 */
export function insertUnder(doc: KubeDocument, text: string, path: readonly PathSegment[], entries: Record<string, unknown>): TextEdit | undefined {
  const style = styleOf(doc, text);
  let depth = path.length;
  let node = nodeAt(doc, path);
  while (node === undefined && depth > 0) node = nodeAt(doc, path.slice(0, --depth));
  if (!isMap(node) || !isBlock(node) || node.items.length === 0) return undefined;
  // Never write a key the mapping already has (that would be a duplicate key).
  const present = new Set(node.items.map((i) => keyName(i.key)));
  if (depth === path.length && Object.keys(entries).some((k) => present.has(k))) return undefined;
  let value: Record<string, unknown> = entries;
  for (let i = path.length - 1; i >= depth; i--) value = { [String(path[i])]: value };
  const first = node.items[0].key as Node | null;
  if (!first?.range) return undefined;
  const col = columnOf(text, first.range[0]);
  const at = afterContent(text, node.range![0], node.range![1]);
  return { start: at, end: at, newText: `\n${blockLines(value, col, style).join('\n')}` };
}

/** Appends `item` to the block sequence at `path`, or creates the key with a one-item list. */
export function appendListItem(doc: KubeDocument, text: string, path: readonly PathSegment[], item: unknown): TextEdit | undefined {
  const node = nodeAt(doc, path);
  if (node === undefined) {
    if (path.length === 0) return undefined;
    return insertUnder(doc, text, path.slice(0, -1), { [String(path[path.length - 1])]: [item] });
  }
  if (!isSeq(node) || !isBlock(node) || node.items.length === 0) return undefined;
  const style = styleOf(doc, text);
  const col = columnOf(text, node.range![0]);
  const at = afterContent(text, node.range![0], node.range![1]);
  return { start: at, end: at, newText: `\n${blockLines([item], col, style).join('\n')}` };
}

/**
 * Replaces the value at `path` (which must exist) with `value`: a scalar in place, a block value
 * by whole lines at the column of the old block.
 */
export function replaceValue(doc: KubeDocument, text: string, path: readonly PathSegment[], value: unknown): TextEdit | undefined {
  const node = nodeAt(doc, path);
  if (!node?.range) return undefined;
  const style = styleOf(doc, text);
  if (isScalar(node) || !isBlock(node) || !nonEmpty(value)) {
    // A flow collection is replaced by a flow collection, in place.
    if (nonEmpty(value)) return (isMap(node) || isSeq(node)) && node.flow ? { start: node.range[0], end: node.range[1], newText: flowText(value) } : undefined;
    return { start: node.range[0], end: node.range[1], newText: scalarText(value) };
  }
  const lineStart = lineStartOf(text, node.range[0]);
  // The block starts on its own line under its key; a value sharing the key's line is not handled.
  if (text.slice(lineStart, node.range[0]).trim().replace(/^-$/, '') !== '') return undefined;
  const col = columnOf(text, node.range[0]);
  const end = afterContent(text, node.range[0], node.range[1]);
  return { start: lineStart, end, newText: blockLines(value, col, style).join('\n') };
}

/** Writes a scalar in place of the scalar at `path`. */
export function replaceScalar(doc: KubeDocument, path: readonly PathSegment[], value: string | number | boolean): TextEdit | undefined {
  const node = nodeAt(doc, path);
  if (!isScalar(node) || !node.range) return undefined;
  return { start: node.range[0], end: node.range[1], newText: scalarText(value) };
}

/** Adds a new `---` document holding `value` right after `doc`. */
export function appendDocument(doc: KubeDocument, text: string, value: Record<string, unknown>): TextEdit {
  const style = styleOf(doc, text);
  const contentEnd = doc.yaml.doc.range[1];
  const at = contentEnd > doc.start ? afterContent(text, doc.start, contentEnd) : doc.end;
  const lead = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  return { start: at, end: at, newText: `${lead}---\n${blockLines(value, 0, style).join('\n')}${at >= text.length ? '\n' : ''}` };
}

