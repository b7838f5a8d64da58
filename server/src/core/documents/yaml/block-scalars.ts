import type { Document, ScalarTag } from 'yaml';
import { isScalar, Scalar } from 'yaml';
import { KUBECTL_PLAIN_STARTS } from './kubectl-schema';

/** Thrown when a text leaves the subset the block reader knows; the caller then reads it with `yaml`. */
export const OUTSIDE: unique symbol = Symbol('outside the block subset');

export function outside(): never {
  throw OUTSIDE;
}

/**
 * Per schema, the first characters one of its tests (null, booleans, numbers) needs: a plain scalar
 * starting with any other is a string without testing a tag.
 */
const STARTS: Record<string, string> = { core: '~NnTtFf0123456789+-.', kubectl: KUBECTL_PLAIN_STARTS };

/** A lookup table of ASCII characters. */
export function charSet(chars: string): Uint8Array {
  const set = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) set[chars.charCodeAt(i)] = 1;
  return set;
}

type Tag = ScalarTag & { default?: boolean | 'key' };

/**
 * Resolves scalars exactly as the `yaml` composer does for an untagged plain scalar: the first
 * default tag of the document's schema whose test matches, else a string. The tags are the
 * library's own, so a number, a boolean or a null means what it means to every other reader.
 */
export class ScalarResolver {
  private readonly tags: Tag[];
  private readonly keyTags: Tag[];
  private readonly options: Document['options'];
  /** A plain scalar is a string unless it starts with one of these (when the schema is one of STARTS). */
  private readonly starts: Uint8Array | undefined;

  constructor(doc: Document) {
    const all = doc.schema.tags as Tag[];
    this.tags = all.filter((t) => t.default === true && t.test);
    this.keyTags = all.filter((t) => (t.default === true || t.default === 'key') && t.test);
    this.options = doc.options;
    const starts = STARTS[doc.schema.name];
    // Key-only tags of the core schema are the merge key `<<`, which the reader never passes here; kubectl's
    // key tag tests the same first characters as its value tag.
    const keysAlike = doc.schema.name === 'kubectl' || this.keyTags.every((t) => this.tags.includes(t) || String(t.test) === '/^<<$/');
    this.starts = starts && keysAlike ? charSet(starts) : undefined;
  }

  private tagOf(source: string, atKey: boolean): Tag | undefined {
    if (this.starts && source !== '' && this.starts[source.charCodeAt(0)] !== 1) return undefined;
    for (const t of atKey ? this.keyTags : this.tags) if (t.test!.test(source)) return t;
    return undefined;
  }

  private resolve(tag: Tag, source: string): unknown {
    let failed = false;
    const res = tag.resolve(source, () => (failed = true), this.options as never);
    if (failed) outside();
    return res;
  }

  /** The value of a plain scalar, without building its node. */
  plainValue(source: string, atKey: boolean): unknown {
    const tag = this.tagOf(source, atKey);
    if (!tag) return source;
    const res = this.resolve(tag, source);
    return isScalar(res) ? res.value : res;
  }

  plain(source: string, start: number, end: number, nodeEnd: number, atKey: boolean): Scalar {
    const tag = this.tagOf(source, atKey);
    let node: Scalar;
    if (tag) {
      const res = this.resolve(tag, source);
      node = isScalar(res) ? (res as Scalar) : new Scalar(res);
      if (tag.format) node.format = tag.format;
    } else {
      node = new Scalar(source);
    }
    node.range = [start, end, nodeEnd];
    node.source = source;
    node.type = Scalar.PLAIN;
    return node;
  }

  string(value: string, type: Scalar.Type, start: number, end: number, nodeEnd: number): Scalar {
    const node = new Scalar(value);
    node.range = [start, end, nodeEnd];
    node.source = value;
    node.type = type;
    return node;
  }
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', e: '\x1b', a: '\x07', v: '\v', ' ': ' ', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029' };

/** Where the quoted scalar opening at `start` closes (the offset of its closing quote), searching up to `limit`. */
function closingQuote(text: string, start: number, limit: number): number {
  const single = text.charCodeAt(start) === 39;
  for (let i = start + 1; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (single && c === 39) {
      if (text.charCodeAt(i + 1) !== 39 || i + 1 >= limit) return i;
      i++;
    } else if (!single && c === 92) {
      if (text.charCodeAt(i + 1) === 10) outside(); // an escaped line break
      i++;
    } else if (!single && c === 34) {
      return i;
    }
  }
  return outside();
}

function unescapeDouble(raw: string): string {
  let out = '';
  let from = 0;
  for (let i = raw.indexOf('\\'); i >= 0 && i < raw.length; i = raw.indexOf('\\', from)) {
    out += raw.slice(from, i);
    const e = raw[i + 1];
    if (e === 'x' || e === 'u') {
      const n = e === 'x' ? 2 : 4;
      const hex = raw.slice(i + 2, i + 2 + n);
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) outside();
      const code = parseInt(hex, 16);
      if (code >= 0xd800 && code <= 0xdfff) outside();
      out += String.fromCharCode(code);
      from = i + 2 + n;
    } else {
      const r = ESCAPES[e];
      if (r === undefined) outside();
      out += r;
      from = i + 2;
    }
  }
  return out + raw.slice(from);
}

/** Line breaks of a multi-line flow scalar fold into a space; n blank lines between give n newlines. */
function fold(raw: string): string {
  const lines = raw.split('\n');
  let out = lines[0].replace(/ +$/, '');
  let blanks = 0;
  for (let i = 1; i < lines.length; i++) {
    const last = i === lines.length - 1;
    const piece = last ? lines[i].replace(/^ +/, '') : lines[i].trim();
    if (!last && piece === '') {
      blanks++;
      continue;
    }
    out += (blanks ? '\n'.repeat(blanks) : ' ') + piece;
    blanks = 0;
  }
  return out;
}

/**
 * A quoted scalar opening at `start` and closing before `limit`: `[value, offset after the closing
 * quote]`. One that spans lines is folded; escaped line breaks are left to `yaml`.
 */
export function quoted(text: string, start: number, limit: number): [string, number] {
  const close = closingQuote(text, start, limit);
  const raw = text.slice(start + 1, close);
  const multiline = raw.includes('\n');
  if (text.charCodeAt(start) === 39) return [(multiline ? fold(raw) : raw).replace(/''/g, "'"), close + 1];
  // An escaped space at the end of a line would be trimmed by the folding.
  if (multiline && /\\ *\n/.test(raw)) outside();
  return [unescapeDouble(multiline ? fold(raw) : raw), close + 1];
}

/**
 * The value of a block scalar (`|` or `>`) from the source of its body, without an indentation
 * indicator: literal lines kept, folded lines joined, then the chomping indicator applied.
 */
export function blockScalarValue(body: string, folded: boolean, chomp: '' | '-' | '+', indent: number): string {
  // [indentation, content] per line; the body ends with a newline, so the last entry is empty.
  const lines: Array<[string, string]> = body.split('\n').map((l) => {
    let n = 0;
    while (l.charCodeAt(n) === 32) n++;
    return [l.slice(0, n), l.slice(n)];
  });
  let chompStart = lines.length;
  while (chompStart > 0 && lines[chompStart - 1][1] === '') chompStart--;
  if (chompStart === 0) outside();
  for (let i = lines.length - 1; i >= chompStart; i--) {
    if (lines[i][0].length > indent) {
      chompStart = i + 1;
      break;
    }
  }
  let value = '';
  let sep = '';
  let prevMoreIndented = false;
  for (let i = 0; i < chompStart; i++) {
    const [spaces, content] = lines[i];
    if (!folded) {
      value += sep + spaces.slice(indent) + content;
      sep = '\n';
    } else if (spaces.length > indent) {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + spaces.slice(indent) + content;
      sep = '\n';
      prevMoreIndented = true;
    } else if (content === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + content;
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  if (chomp === '+') {
    for (let i = chompStart; i < lines.length; i++) value += '\n' + lines[i][0].slice(indent);
    if (!value.endsWith('\n')) value += '\n';
  } else if (chomp === '') {
    value += '\n';
  }
  return value;
}
