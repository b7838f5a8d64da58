import type { Document, ParsedNode } from 'yaml';
import { Document as YamlDocument, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { COLON, HASH, NL, SPACE } from './block-lines';
import type { Entry, Trail } from './block-leaves';
import { LeafReader, makeEntry, NO_TRAIL } from './block-leaves';
import { charSet, OUTSIDE, outside, quoted, ScalarResolver } from './block-scalars';
import { MAX_VALIDATED_DEPTH } from './yaml-limits';

/*
 * A reader for the block style most manifests are written in: block mappings and sequences,
 * plain and quoted scalars (over several lines too), literal and folded block scalars, one-line
 * flow sequences of scalars and empty flow collections, and comments. It builds the same `yaml`
 * nodes, with the same ranges and values, as the `yaml` library's composer, several times faster,
 * or only the values. Anything else (anchors, aliases, tags, merge keys, escaped line breaks,
 * tabs, CR, NEL, LS, PS, characters YAML refuses, directives, nesting deeper than hatopo validates,
 * errors of any kind) makes it give up, and the caller reads the text with `yaml` itself.
 * test/unit/block-reader.test.ts compares the two on the corpus and on thousands of variants.
 *
 * Ranges follow the library's parser: a scalar or flow collection also covers the comment lines
 * indented deeper than its collection that directly follow it; a collection covers the trailing
 * comment lines that are not less indented than it (and, with them, the next line's indentation).
 */

/** The `yaml` options the reader honours; the rest are passed on to the documents it makes. */
export interface ReaderOptions {
  version?: '1.1' | '1.2' | 'next';
  merge?: boolean;
  /** A schema of the caller's own tags (see yaml-document's yamlParseOptions). */
  schema?: string;
  customTags?: readonly unknown[];
  resolveKnownTags?: boolean;
}

/** One resolver per set of options: the schema's tags never change. */
const resolvers = new Map<string, ScalarResolver>();

function resolverFor(options: ReaderOptions): ScalarResolver {
  // Only these options change how a plain scalar resolves; a named schema's tags are fixed.
  const key = `${options.version}/${options.merge}/${options.schema}`;
  let r = resolvers.get(key);
  if (!r) {
    r = new ScalarResolver(new YamlDocument(undefined, options as never));
    resolvers.set(key, r);
  }
  return r;
}

/** Characters that cannot open a plain key (indicators), and that no plain key here may hold. */
const INDICATOR = charSet('-?:,[]{}#&*!|>\'"%@`');
const IN_KEY = charSet('#,[]{}');
// (In `u` mode the last class matches lone surrogates only, not the pairs of astral characters.)
const UNUSUAL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029\ufffe\uffff]|[\ud800-\udfff]/u;

/** Sets `key` as `toJS` would (the last of repeated keys wins); returns the key's name if it was already set. */
function setProperty(obj: Record<string, unknown>, key: unknown, value: unknown): string | undefined {
  const name = key === null || key === undefined ? '' : String(key);
  const repeated = Object.prototype.hasOwnProperty.call(obj, name);
  if (name === '__proto__') Object.defineProperty(obj, name, { value, writable: true, enumerable: true, configurable: true });
  else obj[name] = value;
  return repeated ? name : undefined;
}

/** A key written twice in one mapping. */
export interface RepeatedKey {
  name: string;
  start: number;
  end: number;
}

/** Mappings and sequences, and the document: the structure the leaves hang from. */
class BlockReader extends LeafReader {
  readonly repeated: RepeatedKey[] = [];
  // What the last trail() left over: whether comment lines, and the deepest one's indentation.
  private trailComments = false;
  private trailMaxIndent = -1;
  // Where the last closed collection's range ends.
  private closedEnd2 = 0;
  // The last key read: its node (when building nodes), value and offsets.
  private keyNode: ParsedNode | null = null;
  private keyValue: unknown = undefined;
  private keyFrom = 0;
  private keyTo = 0;
  // Collections open around the one being read: deeper than hatopo validates is left to `yaml`, which measures it.
  private depth = 0;

  /**
   * The blank and comment lines from `ls` to the next content line, after the value of the last
   * entry of a collection at `col`. Returns the comment lines left over, extending the value's range
   * over the comment lines it takes.
   */
  trail(e: Entry, col: number): number {
    let comments = e.trail ? e.trail.comments : false;
    let maxIndent = e.trail ? e.trail.maxIndent : -1;
    let ls = e.next;
    while (ls < this.end) {
      const i = this.indentOf(ls);
      const p = ls + i;
      const c = this.t.charCodeAt(p);
      if (p < this.end && c !== NL && c !== HASH) break;
      const le = this.lineEnd(ls);
      if (c === HASH) {
        if (e.hasEnd && !comments && i > col) {
          e.end2 = this.after(le);
          if (e.node) e.node.range![2] = e.end2;
        } else {
          comments = true;
          if (i > maxIndent) maxIndent = i;
        }
      }
      ls = this.after(le);
    }
    this.trailComments = comments;
    this.trailMaxIndent = maxIndent;
    return ls;
  }

  /** Closes a collection at `col` whose next line `next` is not one of its entries. */
  close(node: YAMLMap | YAMLSeq | null, start: number, last: number, next: number, col: number): Trail {
    const keeps = col > 0 && this.trailComments && this.trailMaxIndent >= col;
    this.closedEnd2 = keeps ? (next < this.end ? next + this.indentOf(next) : this.end) : last;
    if (node) node.range = [start, last, this.closedEnd2];
    return keeps || !this.trailComments ? NO_TRAIL : { comments: true, maxIndent: this.trailMaxIndent };
  }

  /** A block mapping at column `col`, its first key at `keyStart` on the line starting at `ls`. */
  map(ls: number, col: number, keyStart: number): Entry & { trail: Trail } {
    if (++this.depth > MAX_VALIDATED_DEPTH) outside();
    const map = this.schema ? new YAMLMap(this.schema) : null;
    const obj: Record<string, unknown> = {};
    let p = keyStart;
    for (;;) {
      const le = this.lineEnd(ls);
      const colon = this.key(p, le);
      const keyNode = this.keyNode;
      const keyValue = this.keyValue;
      const keyFrom = this.keyFrom;
      const keyTo = this.keyTo;
      const entry = this.value(colon + 1, le, col, true);
      if (map) map.items.push(new Pair(keyNode, entry.node));
      const repeated = setProperty(obj, keyValue, entry.value);
      if (repeated !== undefined) this.repeated.push({ name: repeated, start: keyFrom, end: keyTo });
      const next = this.trail(entry, col);
      const last = entry.end2;
      const i = next < this.end ? this.indentOf(next) : -1;
      if (i === col && !this.isDash(next + i, this.lineEnd(next))) {
        ls = next;
        p = next + i;
        continue;
      }
      if (i > col) outside();
      if (i === col) outside(); // a sequence entry at a mapping's own column, after a value
      const kept = this.close(map, keyStart, last, next, col);
      this.depth--;
      return makeEntry(map, obj, this.closedEnd2, next, false, kept) as Entry & { trail: Trail };
    }
  }

  /** A block sequence at column `col`, its first `-` on the line starting at `ls`. */
  seq(ls: number, col: number, inMap: boolean): Entry & { trail: Trail } {
    if (++this.depth > MAX_VALIDATED_DEPTH) outside();
    const seq = this.schema ? new YAMLSeq(this.schema) : null;
    const arr: unknown[] = [];
    const start = ls + col;
    for (;;) {
      const le = this.lineEnd(ls);
      const p = this.skipSpaces(ls + col + 1, le);
      if (p < le && this.isDash(p, le)) outside();
      let entry: Entry;
      if (p < le && this.t.charCodeAt(p) !== HASH && this.keyEnd(p, le) >= 0) {
        if (p === ls + col + 1) outside();
        entry = this.map(ls, p - ls, p);
      } else {
        entry = this.value(ls + col + 1, le, col, false);
      }
      if (seq) seq.items.push(entry.node);
      arr.push(entry.value);
      const next = this.trail(entry, col);
      const last = entry.end2;
      const i = next < this.end ? this.indentOf(next) : -1;
      if (i === col && this.isDash(next + i, this.lineEnd(next))) {
        ls = next;
        continue;
      }
      if (i > col || (i === col && !inMap)) outside();
      const kept = this.close(seq, start, last, next, col);
      this.depth--;
      return makeEntry(seq, arr, this.closedEnd2, next, false, kept) as Entry & { trail: Trail };
    }
  }

  /** Where a plain or quoted key on `[p, le)` ends (its `:` indicator), or -1 if the line holds none. */
  keyEnd(p: number, le: number): number {
    const t = this.t;
    const c = t.charCodeAt(p);
    let q: number;
    if (c === 34 || c === 39) {
      const close = quoted(t, p, le)[1];
      q = this.skipSpaces(close, le);
      if (t.charCodeAt(q) !== COLON) return -1;
    } else {
      q = p;
      while (q < le && !(t.charCodeAt(q) === COLON && (q + 1 === le || t.charCodeAt(q + 1) === SPACE))) q++;
      if (q >= le) return -1;
    }
    return q + 1 === le || t.charCodeAt(q + 1) === SPACE ? q : -1;
  }

  /** Reads the key at `p` into keyNode, keyValue, keyFrom and keyTo; returns the offset of its `:`. */
  key(p: number, le: number): number {
    const t = this.t;
    const colon = this.keyEnd(p, le);
    if (colon < 0 || colon - p > 1000) outside();
    const c = t.charCodeAt(p);
    this.keyFrom = p;
    if (c === 34 || c === 39) {
      const [value, close] = quoted(t, p, le);
      this.keyNode = this.schema ? (this.scalars.string(value, c === 34 ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, p, close, close) as ParsedNode) : null;
      this.keyValue = value;
      this.keyTo = close;
      return colon;
    }
    let e = colon;
    while (e > p && t.charCodeAt(e - 1) === SPACE) e--;
    const source = t.slice(p, e);
    // Indicators, flow characters, comments and merge keys are left to `yaml`.
    if (e === p || INDICATOR[t.charCodeAt(p)] === 1 || source === '<<') outside();
    for (let i = p + 1; i < e; i++) if (IN_KEY[t.charCodeAt(i)] === 1) outside();
    this.keyTo = e;
    if (this.schema) {
      const node = this.scalars.plain(source, p, e, e, true);
      this.keyNode = node as ParsedNode;
      this.keyValue = node.value;
    } else {
      this.keyNode = null;
      this.keyValue = this.scalars.plainValue(source, true);
    }
    return colon;
  }

  /**
   * The value after an indicator (`:` of a key, `-` of an entry) at `from - 1` on the line
   * `[ls, le)`, in a collection at `col`: inline, a block scalar, or on the following lines.
   */
  value(from: number, le: number, col: number, inMap: boolean): Entry {
    const t = this.t;
    const p = this.skipSpaces(from, le);
    const c = t.charCodeAt(p);
    if (p < le && c !== HASH) {
      if (p === from) outside();
      if (c === 124 || c === 62) return this.blockScalar(p, le, col);
      if (c === 91 || c === 123) return this.flow(p, le);
      if (c === 34 || c === 39) return this.quotedValue(p, le, col);
      return this.plain(p, le, col);
    }
    // Nothing (or a comment) on the line: the value is below, or empty.
    const inlineComment = p < le;
    const next = this.nextContent(this.after(le));
    const i = next < this.end ? this.indentOf(next) : -1;
    const nle = next < this.end ? this.lineEnd(next) : this.end;
    const dash = i >= 0 && this.isDash(next + i, nle);
    if (i > col) {
      if (dash) return this.seq(next, i, false);
      return this.map(next, i, next + i);
    }
    if (i === col && inMap && dash) return this.seq(next, col, true);
    const empty = this.schema ? this.scalars.plain('', p, p, p, false) : null;
    this.lastLeafEmpty = true;
    if (inlineComment || this.hasComment(this.after(le), next)) {
      // The comments stay with the indicator, and the empty value's range runs over them: up to the
      // next entry, or, before another key of the mapping, up to the second line break that
      // follows the last comment indented deeper than the mapping (the rest goes to that key).
      const end2 = inMap && i === col ? this.commentsBeforeKey(p, le, next, col) : next < this.end ? next + i : this.end;
      if (empty) empty.range![2] = end2;
      return makeEntry(empty, null, end2, next, false, NO_TRAIL);
    }
    return makeEntry(empty, null, p, this.after(le), false);
  }

  /**
   * Where the comments after an empty value (at `p`, its line ending at `le`) end when the next
   * line `next` is another key at `col`; `p` itself when none stays with the value.
   */
  commentsBeforeKey(p: number, le: number, next: number, col: number): number {
    let breaks = [le];
    for (let ls = le + 1; ls < next; ) {
      const i = this.indentOf(ls);
      const lineEnd = this.lineEnd(ls);
      if (this.t.charCodeAt(ls + i) === HASH && i > col) breaks = [];
      breaks.push(lineEnd);
      ls = lineEnd + 1;
    }
    const cut = breaks.length >= 2 ? breaks[1] : next + col;
    return p < le || this.hasComment(le + 1, cut) ? cut : p;
  }

  /**
   * The document of the chunk from `start`: null when it holds none. Sets the contents and range of
   * `doc` when there is one.
   */
  document(start: number, doc: Document | undefined): { value: unknown; range: [number, number, number] } | null {
    const t = this.t;
    let ls = this.nextContent(start);
    let docStart = -1;
    if (ls < this.end && t.startsWith('---', ls)) {
      const le = this.lineEnd(ls);
      if (ls + 3 < le) this.lineTail(ls + 3, le);
      docStart = ls;
      ls = this.nextContent(this.after(le));
    }
    if (ls >= this.end) {
      if (docStart < 0) return null;
      outside();
    }
    if (this.indentOf(ls) !== 0 || t.startsWith('...', ls) || t.startsWith('---', ls) || t.charCodeAt(ls) === 37) outside();
    const le = this.lineEnd(ls);
    const top = this.isDash(ls, le) ? this.seq(ls, 0, false) : this.keyEnd(ls, le) >= 0 ? this.map(ls, 0, ls) : outside();
    if (top.next < this.end) outside();
    const contentEnd = top.end2;
    // Whatever follows an empty last value stays with that value's indicator and out of every range.
    const range: [number, number, number] = [docStart >= 0 ? docStart : ls, contentEnd, this.lastLeafEmpty ? contentEnd : this.end];
    if (doc) {
      doc.contents = top.node;
      (doc as { range: [number, number, number] }).range = range;
      if (docStart >= 0) doc.directives!.docStart = true;
    }
    return { value: top.value, range };
  }
}

/** What the block reader read of a chunk's document. */
export interface BlockValue {
  value: unknown;
  /** The document's range, as `yaml` gives it: start, end of contents, end. */
  range: [number, number, number];
  /** Keys written twice in a mapping (`yaml` is run without its own check, which is quadratic). */
  repeated: RepeatedKey[];
}

export interface BlockRead extends BlockValue {
  doc: Document.Parsed;
}

function read(text: string, start: number, end: number, options: ReaderOptions, doc: Document | undefined): BlockValue | null | undefined {
  // Tabs, carriage returns, NEL, LS, PS, other control characters and a byte-order mark are left to `yaml`.
  // (Anchors, aliases and tags can only stand where a node starts; the reader declines those places.)
  if (UNUSUAL.test(text.slice(start, end))) return undefined;
  try {
    const reader = new BlockReader(text, end, resolverFor(options), doc);
    const got = reader.document(start, doc);
    return got && { value: got.value, range: got.range, repeated: reader.repeated };
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}

/**
 * Reads `text.slice(start, end)` (one `---` chunk of a stream, offsets counted in `text`) as the
 * `yaml` composer does with the same options, nodes and all. Returns null for a chunk with no
 * document, undefined when the chunk leaves the subset (then `yaml` must read it).
 */
export function readBlockChunk(text: string, start: number, end: number, options: ReaderOptions): BlockRead | null | undefined {
  const doc = new YamlDocument(undefined, options as never) as Document.Parsed;
  const got = read(text, start, end, options, doc);
  return got && { ...got, doc };
}

/** As readBlockChunk, without the nodes: the value and what the document's problems need, faster. */
export function readBlockValue(text: string, start: number, end: number, options: ReaderOptions): BlockValue | null | undefined {
  return read(text, start, end, options, undefined);
}
