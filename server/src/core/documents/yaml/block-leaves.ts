import type { Document, ParsedNode } from 'yaml';
import { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { COLON, DASH, HASH, LineScanner, NL, SPACE } from './block-lines';
import type { ScalarResolver } from './block-scalars';
import { blockScalarValue, charSet, outside, quoted } from './block-scalars';

/** What a nested collection leaves behind: its trailing comment lines, unless it kept them. */
export interface Trail {
  comments: boolean;
  /** The largest indentation among those comment lines. */
  maxIndent: number;
}

/** A value read: its node and plain value, where its range ends and what comes after it. */
export interface Entry {
  /** The value's node, when the reader builds nodes. */
  node: ParsedNode | null;
  value: unknown;
  /** Where the node's range ends (with the comment lines it covers), nodes or not. */
  end2: number;
  /** Start of the first line after the entry's value (not yet looked at). */
  next: number;
  /** Comment lines handed up by a nested collection, already consumed. */
  trail?: Trail;
  /** A scalar or flow collection ending on its line: deeper comment lines right after it join it. */
  hasEnd: boolean;
}

export const NO_TRAIL: Trail = { comments: false, maxIndent: -1 };

export function makeEntry(node: unknown, value: unknown, end2: number, next: number, hasEnd: boolean, trail?: Trail): Entry {
  return { node: (node ?? null) as ParsedNode | null, value, end2, next, hasEnd, trail };
}

/** Characters that cannot open a plain scalar (indicators). */
export const PLAIN_FIRST = charSet(',[]{}#&*!|>\'"%@`');

/**
 * The values that end on their own lines: plain, quoted and block scalars, one-line flow
 * collections. Nodes are built only when there is a document to build them for.
 */
export class LeafReader extends LineScanner {
  protected readonly schema: Document['schema'] | undefined;
  /** Whether the last scalar read is an empty value (nothing after its indicator). */
  lastLeafEmpty = false;

  constructor(
    t: string,
    end: number,
    protected readonly scalars: ScalarResolver,
    /** The document the nodes are for; without one, only values are read. */
    doc: Document | undefined,
  ) {
    super(t, end);
    this.schema = doc?.schema;
  }

  /** A quoted scalar value from `p`, which may go on over lines deeper than its collection at `col`. */
  quotedValue(p: number, le: number, col: number): Entry {
    const t = this.t;
    const c = t.charCodeAt(p);
    const [value, close] = quoted(t, p, this.end);
    // A quoted scalar may go on over lines deeper than its collection.
    let cle = le;
    while (cle < close) {
      const ls = cle + 1;
      cle = this.lineEnd(ls);
      if (this.indentOf(ls) <= col && ls + this.indentOf(ls) < cle) outside();
    }
    this.lineTail(close, cle);
    const end2 = this.after(cle);
    this.lastLeafEmpty = false;
    const node = this.schema ? this.scalars.string(value, c === 34 ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, p, close, end2) : null;
    return makeEntry(node, value, end2, end2, true);
  }

  /** A plain scalar from `p`, continued on deeper lines (each line break folded into a space). */
  plain(p: number, le: number, col: number): Entry {
    const t = this.t;
    const c = t.charCodeAt(p);
    if (PLAIN_FIRST[c] === 1 || ((c === DASH || c === 63 || c === COLON) && (p + 1 === le || t.charCodeAt(p + 1) === SPACE))) outside();
    let comment = this.commentAt(p, le);
    let end = this.trimEnd(p, comment);
    let source = t.slice(p, end);
    let lastLe = le;
    // Continuation lines: deeper than the collection and not comments; blank lines between are line breaks.
    while (comment === lastLe && lastLe < this.end) {
      let ls = lastLe + 1;
      let blanks = 0;
      while (ls < this.end && ls + this.indentOf(ls) === this.lineEnd(ls)) {
        blanks++;
        ls = this.after(this.lineEnd(ls));
      }
      if (ls >= this.end) break;
      const i = this.indentOf(ls);
      const q = ls + i;
      if (i <= col || t.charCodeAt(q) === HASH) break;
      // (Any character may open a continuation line: the scalar has already begun.)
      lastLe = this.lineEnd(ls);
      comment = this.commentAt(q, lastLe);
      end = this.trimEnd(q, comment);
      source += (blanks ? '\n'.repeat(blanks) : ' ') + t.slice(q, end);
    }
    if (source.includes(': ') || source.endsWith(':')) outside();
    const end2 = this.after(lastLe);
    this.lastLeafEmpty = false;
    if (!this.schema) return makeEntry(null, this.scalars.plainValue(source, false), end2, end2, true);
    const node = this.scalars.plain(source, p, end, end2, false);
    return makeEntry(node, node.value, end2, end2, true);
  }

  /** `|` or `>` with an optional chomping indicator; the body is the deeper lines below. */
  blockScalar(p: number, le: number, col: number): Entry {
    const t = this.t;
    const folded = t.charCodeAt(p) === 62;
    let h = p + 1;
    let chomp: '' | '-' | '+' = '';
    if (t[h] === '-' || t[h] === '+') chomp = t[h++] as '-' | '+';
    if (h < le && t.charCodeAt(h) !== SPACE) outside();
    this.lineTail(h, le);
    if (le >= this.end) outside();
    const bodyStart = le + 1;
    const indent = this.indentOf(bodyStart);
    const first = bodyStart + indent;
    if (indent <= col || first >= this.end || t.charCodeAt(first) === NL) outside();
    // The body: lines indented at least as deep as the first one, and blank lines.
    let ls = bodyStart;
    let lastContentEnd = bodyStart;
    while (ls < this.end) {
      const i = this.indentOf(ls);
      const lineEnd = this.lineEnd(ls);
      if (ls + i < lineEnd && i < indent) break;
      if (lineEnd >= this.end) outside(); // no final line break: left to `yaml`
      // Blank lines no deeper than the body belong to what follows unless the scalar keeps them.
      if (ls + i < lineEnd || i > indent || chomp === '+') lastContentEnd = lineEnd + 1;
      ls = lineEnd + 1;
    }
    const bodyEnd = lastContentEnd;
    const value = blockScalarValue(t.slice(bodyStart, bodyEnd), folded, chomp, indent);
    this.lastLeafEmpty = false;
    const node = this.schema ? this.scalars.string(value, folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL, p, bodyEnd, bodyEnd) : null;
    return makeEntry(node, value, bodyEnd, bodyEnd, false);
  }

  /** `[]`, `{}` or a one-line flow sequence of plain and quoted scalars. */
  flow(p: number, le: number): Entry {
    const t = this.t;
    const seq = t.charCodeAt(p) === 91;
    const node = !this.schema ? null : seq ? new YAMLSeq(this.schema) : new YAMLMap(this.schema);
    if (node) node.flow = true;
    const arr: unknown[] = [];
    let q = this.skipSpaces(p + 1, le);
    const close = seq ? 93 : 125;
    if (t.charCodeAt(q) !== close) {
      if (!seq) outside();
      for (;;) {
        const s = q;
        const c = t.charCodeAt(s);
        let item: Scalar | null;
        let value: unknown;
        if (c === 34 || c === 39) {
          const [v, e] = quoted(t, s, le);
          q = this.skipSpaces(e, le);
          value = v;
          item = this.schema ? this.scalars.string(v, c === 34 ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, s, e, q) : null;
        } else {
          if (s >= le || PLAIN_FIRST[c] === 1 || ((c === DASH || c === 63 || c === COLON) && t.charCodeAt(s + 1) === SPACE)) outside();
          let e = s;
          while (e < le) {
            const d = t.charCodeAt(e);
            if (d === 44 || d === 93 || d === 91 || d === 123 || d === 125) break;
            if (d === COLON && (e + 1 === le || /[ ,[\]{}]/.test(t[e + 1]))) outside();
            if (d === HASH && t.charCodeAt(e - 1) === SPACE) outside();
            e++;
          }
          q = e;
          while (e > s && t.charCodeAt(e - 1) === SPACE) e--;
          item = this.schema ? this.scalars.plain(t.slice(s, e), s, e, q, false) : null;
          value = item ? item.value : this.scalars.plainValue(t.slice(s, e), false);
        }
        if (node) (node as YAMLSeq).items.push(item);
        arr.push(value);
        const d = t.charCodeAt(q);
        if (d === 93) break;
        if (d !== 44 || q >= le) outside();
        q = this.skipSpaces(q + 1, le);
        if (t.charCodeAt(q) === 93 || q >= le) outside();
      }
    }
    if (q >= le) outside();
    this.lineTail(q + 1, le);
    const end2 = this.after(le);
    if (node) node.range = [p, q + 1, end2];
    this.lastLeafEmpty = false;
    return makeEntry(node, seq ? arr : {}, end2, end2, true);
  }
}
