import type { Document } from 'yaml';
import { isScalar } from 'yaml';
import { kubectlValueOf } from '../documents/yaml/kubectl-schema';
import { pyyamlTypeOf } from '../documents/yaml/pyyaml-schema';
import type { PathSegment } from '../documents/yaml/yaml-document';
import { nodeAtOffset, nodeRange } from '../documents/yaml/yaml-document';
import type { CompletionEntry, HoverInfo } from '../types';
import type { JsonSchema } from './json-schema';
import { defaultOf, describeSchema, descriptionOf, enumValuesOf, propertiesOf, schemaAtPath, typesOf } from './json-schema';

interface LineContext {
  /** Path of the mapping the cursor's line belongs to. */
  parent: PathSegment[];
  indent: number;
  /** Keys already written at the cursor's level. */
  siblings: Set<string>;
}

const KEY_LINE = /^(\s*)(?:-\s+)?([^\s#:'"-][^:#]*?|"[^"]*"|'[^']*')\s*:(?:\s|$)/;

function lineAt(text: string, offset: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  return { start, end: nl < 0 ? text.length : nl };
}

function indentOf(line: string): number {
  return /^\s*/.exec(line)![0].length;
}

function unquote(key: string): string {
  return /^(["']).*\1$/.test(key) ? key.slice(1, -1) : key;
}

/** The index of the list item starting at `lineStart`: the items above it at the same indent. */
function itemIndex(text: string, lineStart: number, indent: number, maxLines: number): number {
  let index = 0;
  for (let p = lineStart, j = 0; p > 0 && j < maxLines; j++) {
    const prev = lineAt(text, p - 1);
    p = prev.start;
    const line = text.slice(prev.start, prev.end);
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (indentOf(line) < indent) break;
    if (indentOf(line) === indent) {
      if (!/^\s*-(\s|$)/.test(line)) break;
      index++;
    }
  }
  return index;
}

/**
 * Works out where the cursor is from indentation alone, so completion also works while the
 * document is half-typed and does not parse: each less-indented `key:` line above is a parent.
 */
export function lineContext(text: string, offset: number, maxLines = 5000): LineContext {
  const cur = lineAt(text, offset);
  const before = text.slice(cur.start, offset);
  const dash = /^(\s*)-\s+/.exec(before);
  const indent = dash ? dash[0].length : indentOf(before);
  const parent: PathSegment[] = [];
  let threshold = indent;
  let pos = cur.start;
  const siblings = new Set<string>();
  let sameLevel = true;
  let afterItem = false;
  for (let i = 0; i < maxLines && pos > 0; i++) {
    if (!sameLevel && threshold === 0) break;
    const l = lineAt(text, pos - 1);
    pos = l.start;
    const line = text.slice(l.start, l.end);
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const ind = indentOf(line);
    const item = /^(\s*)-(\s+|$)/.exec(line);
    const keyIndent = item ? item[0].length : ind;
    if (sameLevel && keyIndent === threshold && !(item && ind < threshold)) {
      const k = KEY_LINE.exec(line);
      if (k) siblings.add(unquote(k[2]));
    }
    if (item && ind < threshold) {
      const key = KEY_LINE.exec(line);
      // `- key:` with the cursor below it: inside that key of the list item.
      if (key && keyIndent < threshold) parent.unshift(unquote(key[2]));
      else if (key && keyIndent === indent) siblings.add(unquote(key[2]));
      parent.unshift(itemIndex(text, l.start, ind, maxLines));
      threshold = ind;
      sameLevel = false;
      afterItem = true;
      continue;
    }
    // A list may sit at the same indent as its key (`ports:` / `- name: x`).
    if (ind < threshold || (afterItem && !item && ind === threshold)) {
      afterItem = false;
      const key = KEY_LINE.exec(line);
      if (!key) break;
      parent.unshift(unquote(key[2]));
      threshold = ind;
      sameLevel = false;
    }
  }
  {
    // Keys below the cursor at the same level count too.
    let p = cur.end + 1;
    for (let i = 0; i < maxLines && p < text.length; i++) {
      const l = lineAt(text, p);
      p = l.end + 1;
      const line = text.slice(l.start, l.end);
      if (!line.trim() || line.trim().startsWith('#')) continue;
      if (indentOf(line) < indent) break;
      const k = indentOf(line) === indent ? KEY_LINE.exec(line) : null;
      if (k) siblings.add(unquote(k[2]));
    }
  }
  return { parent, indent, siblings };
}

function documentation(root: JsonSchema, schema: JsonSchema | undefined): string {
  const parts: string[] = [];
  const d = descriptionOf(root, schema);
  if (d) parts.push(d);
  const def = defaultOf(root, schema);
  if (def) parts.push(`Default: \`${JSON.stringify(def.value)}\``);
  return parts.join('\n\n');
}

function keyCompletions(root: JsonSchema, ctx: LineContext, replace: { start: number; end: number }): CompletionEntry[] {
  const parentSchema = schemaAtPath(root, ctx.parent);
  const out: CompletionEntry[] = [];
  for (const [name, sub] of propertiesOf(root, parentSchema)) {
    if (ctx.siblings.has(name) || sub.deprecated) continue;
    const types = typesOf(root, sub);
    const child = ' '.repeat(ctx.indent + 2);
    const insertText = types.has('object') && types.size <= 2 && !types.has('string') ? `${name}:\n${child}$0` : types.has('array') && types.size === 1 ? `${name}:\n${child}- $0` : `${name}: $0`;
    out.push({ label: name, kind: 'property', detail: describeSchema(root, sub), documentation: documentation(root, sub) || undefined, insertText, snippet: true, replace });
  }
  return out;
}

/** Whether an unquoted `v` is not the string `v` to PyYAML (Patroni) or to kubectl. */
function readAsOther(v: string): boolean {
  return v === '' || pyyamlTypeOf(v) !== 'str' || kubectlValueOf(v) !== v || /^[-?:,[\]{}#&*!|>'"%@`]|: | #/.test(v);
}

function valueCompletions(root: JsonSchema, path: PathSegment[], replace: { start: number; end: number }): CompletionEntry[] {
  const schema = schemaAtPath(root, path);
  const values = enumValuesOf(root, schema).filter((v) => v !== null && typeof v !== 'object');
  if (typesOf(root, schema).has('boolean')) for (const b of [true, false]) if (!values.includes(b)) values.push(b);
  const def = defaultOf(root, schema);
  return values.map((v, i) => ({
    label: String(v),
    kind: 'enum' as const,
    detail: def && def.value === v ? 'default' : undefined,
    // Quote a string PyYAML or kubectl would read as something else: a bare `off` is false, `16` a number.
    insertText: typeof v === 'string' && readAsOther(v) ? JSON.stringify(v) : String(v),
    replace,
    sortText: String(i).padStart(3, '0'),
  }));
}

/** Completion of keys (from the schema at the cursor's path, minus keys already present) and of enum/boolean values. */
export function completeFromSchema(root: JsonSchema, text: string, offset: number): CompletionEntry[] {
  const line = lineAt(text, offset);
  const before = text.slice(line.start, offset);
  if (/(^|\s)#/.test(before)) return [];
  const after = /^[\w.-]*/.exec(text.slice(offset, line.end))![0];
  const value = /^(\s*)(?:-\s+)?([^\s#:'"-][^:#]*?|"[^"]*"|'[^']*')\s*:\s+([\w.-]*)$/.exec(before);
  const ctx = lineContext(text, offset);
  if (value) {
    const start = offset - value[3].length;
    return valueCompletions(root, [...ctx.parent, unquote(value[2])], { start, end: offset + after.length });
  }
  const key = /^\s*(?:-\s+)?([\w.-]*)$/.exec(before);
  if (!key) return [];
  return keyCompletions(root, ctx, { start: offset - key[1].length, end: offset + after.length });
}

/** Hover for a key or value: the schema's description, type, default and allowed values at that path. */
export function hoverFromSchema(root: JsonSchema, doc: Document, offset: number): HoverInfo | undefined {
  const loc = nodeAtOffset(doc, offset);
  if (!loc || loc.path.length === 0) return undefined;
  const schema = schemaAtPath(root, loc.path);
  if (!schema) return undefined;
  const target = loc.onKey ? loc.pair?.key : loc.node;
  if (!loc.onKey && !isScalar(loc.node)) return undefined;
  const r = nodeRange(target as never);
  if (!r) return undefined;
  const name = loc.path.filter((s) => typeof s === 'string').pop() ?? String(loc.path[loc.path.length - 1]);
  const lines = [`**${loc.path.join('.')}** — ${describeSchema(root, schema)}`];
  const d = descriptionOf(root, schema);
  if (d) lines.push(d);
  const def = defaultOf(root, schema);
  if (def) lines.push(`Default: \`${JSON.stringify(def.value)}\``);
  const values = enumValuesOf(root, schema);
  if (values.length > 1) lines.push(`Allowed: ${values.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`);
  if (schema.deprecated) lines.push(`\`${name}\` is deprecated.`);
  return { contents: lines.join('\n\n'), start: r.start, end: r.end };
}
