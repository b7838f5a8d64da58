import type { Document, Node, Pair, ParsedNode, YAMLMap } from 'yaml';
import { isAlias, isMap, isPair, isSeq } from 'yaml';
import type { FileEncoding } from '../../types';
import type { BlockValue, ReaderOptions } from './block-reader';
import { readBlockChunk, readBlockValue } from './block-reader';
import { KUBECTL_OPTIONS } from './kubectl-schema';
import { asPyYamlReadsIt, PYYAML_OPTIONS } from './pyyaml-schema';
import { hiddenDocument, keyName, libraryProblem, repeatedKey, textProblems, toYamlDocument } from './yaml-build';
import { composeStream } from './yaml-compose';

export { duplicateKeys, keyName } from './yaml-build';

/** A syntax problem of a YAML text, in offsets. */
export interface YamlProblem {
  start: number;
  end: number;
  message: string;
  /**
   * The `yaml` library's error code, e.g. DUPLICATE_KEY, BAD_INDENT; VALUE_FAILED when the document's
   * value cannot be built; or what the reading program refuses beyond the YAML (ENCODING,
   * UNACCEPTABLE_CHARACTER, TOO_DEEP, EXCESSIVE_ALIASING, ALIAS_CYCLE, HIDDEN_DOCUMENT, SECOND_DOCUMENT).
   */
  code: string;
  /** The message is whole sentences that say what to do (not the library's clause): shown as it is. */
  sentence?: boolean;
}

export interface YamlDocument {
  /** The parsed document, kept with its source tokens; `contents` may be null for an empty document. */
  doc: Document.Parsed;
  /** Offsets of the whole document in the text. */
  start: number;
  end: number;
  /** The plain JavaScript value (aliases and merge keys resolved); undefined when it cannot be built. */
  value: unknown;
  errors: YamlProblem[];
  warnings: YamlProblem[];
  /**
   * Why the value was not built although the reading program reads the document: it goes past a
   * limit of hatopo's (nesting, alias expansion). Its message is a sentence for people.
   */
  unvalidated?: YamlProblem;
}

export interface YamlFile {
  text: string;
  documents: YamlDocument[];
  /** Problems of the file as a whole, before any YAML is read: its encoding, characters the reader refuses. */
  errors: YamlProblem[];
}

export interface YamlOptions {
  /** The YAML version of the library's own schema (when `schema` is not given), and of documents without a `%YAML` directive. */
  version?: '1.1' | '1.2';
  /** Resolve `<<: *anchor` merge keys (default: with YAML 1.1 only). Kubernetes' reader resolves them in every document. */
  merge?: boolean;
  /**
   * Read as the program that reads the file does: 'pyyaml' as PyYAML's safe loader (Patroni),
   * 'kubectl' as go-yaml v2 and sigs.k8s.io/yaml (kubectl) — their scalars, line breaks, the
   * characters they refuse, their limits on nesting and aliases. Without it, the `yaml` library's
   * schema for `version`.
   */
  schema?: 'pyyaml' | 'kubectl';
  /** How the text was decoded from the file's bytes, when it was read from disk. */
  encoding?: FileEncoding;
}

/** A step of a path into a YAML value: a mapping key or a sequence index. */
export type PathSegment = string | number;

const SCHEMAS = { pyyaml: PYYAML_OPTIONS, kubectl: KUBECTL_OPTIONS } as const;

/** The `yaml` library's options for `options`: what parseYaml and parseYamlChunk compose with. */
export function yamlParseOptions(options: YamlOptions = {}) {
  const version = options.version ?? '1.2';
  const merge = options.merge ?? version === '1.1';
  // The library's own duplicate-key check is quadratic in the size of a mapping; ours below is linear.
  const base = { keepSourceTokens: true, version, merge, prettyErrors: false, uniqueKeys: false, logLevel: 'error' } as const;
  return options.schema ? { ...base, ...SCHEMAS[options.schema], merge } : base;
}

/**
 * A document the block reader read: its value and problems at once, its nodes (the same as `yaml`
 * would build) only when something asks for them, by reading the chunk again. Checks work on
 * values; nodes are wanted for the ranges of the problems found, hover, completion and fixes.
 */
class DeferredYamlDocument implements YamlDocument {
  private built: Document.Parsed | undefined;
  start: number;
  end: number;
  value: unknown;
  errors: YamlProblem[];
  warnings: YamlProblem[] = [];

  constructor(
    private text: string,
    private chunkStart: number,
    private chunkEnd: number,
    private readonly options: ReaderOptions,
    read: BlockValue,
  ) {
    [this.start, , this.end] = read.range;
    this.value = read.value;
    this.errors = read.repeated.map((k) => repeatedKey(k.name, k.start, k.end)).sort((a, b) => a.start - b.start);
  }

  get doc(): Document.Parsed {
    if (!this.built) {
      const read = readBlockChunk(this.text, this.chunkStart, this.chunkEnd, this.options);
      // The same reader on the same text: it cannot decline now.
      if (!read) throw new Error(`the block reader declined a chunk it had read (${this.chunkStart}-${this.chunkEnd})`);
      this.built = read.doc;
    }
    return this.built;
  }

  set doc(doc: Document.Parsed) {
    this.built = doc;
  }

  /** The same chunk now stands `delta` characters further in `text` (which is all it keeps). */
  moveTo(text: string, delta: number): boolean {
    this.text = text;
    this.chunkStart += delta;
    this.chunkEnd += delta;
    return this.built !== undefined;
  }
}

/** Parses every document of a YAML stream. Problems of the text are data; a throw is a bug. */
export function parseYaml(text: string, options: YamlOptions = {}): YamlFile {
  const { docs, limits, aliases } = composeStream(text, 0, text.length, yamlParseOptions(options), options.schema);
  if (options.schema === 'pyyaml') for (const doc of docs) asPyYamlReadsIt(doc, text);
  const documents = docs.map((doc, i) => toYamlDocument(doc, text.length, options.schema, limits[i], aliases[i]));
  return { text, documents, errors: textProblems(text, 0, text.length, options) };
}

/** The documents of one slice of a stream, and the problems found outside any document (a stray `...`). */
export interface YamlChunk {
  documents: YamlDocument[];
  errors: YamlProblem[];
}

/**
 * Parses `text.slice(start, end)` on its own, with every offset (node ranges, problems) counted
 * from the start of the whole text, so a stream can be parsed one document at a time. Problems of
 * the text are data; a throw is a bug.
 */
export function parseYamlChunk(text: string, start: number, end: number, options: YamlOptions = {}): YamlChunk {
  const version = options.version ?? '1.2';
  const parseOptions = yamlParseOptions(options);
  const errors = textProblems(text, start, end, options);
  if (version === '1.2' && options.schema !== 'pyyaml') {
    // Most chunks are plain block style: read them directly; the reader declines anything else.
    const blockOptions = parseOptions;
    const read = readBlockValue(text, start, end, blockOptions);
    if (read === null) return { documents: [], errors };
    if (read) return { documents: [new DeferredYamlDocument(text, start, end, blockOptions, read)], errors };
  }
  const { docs, limits, aliases, streamErrors } = composeStream(text, start, end, parseOptions, options.schema);
  if (options.schema === 'pyyaml') for (const doc of docs) asPyYamlReadsIt(doc, text, end);
  const documents = docs.map((doc, i) => toYamlDocument(doc, end, options.schema, limits[i], aliases[i]));
  if (documents.length === 0) errors.push(...streamErrors.map((e) => libraryProblem(e, end)));
  // A chunk ends at the next `---` line; more than one document in it means its `---` follows a
  // line break other than LF, which kubectl's document splitter does not see.
  if (options.schema === 'kubectl') for (const d of documents.slice(1)) d.errors.unshift(hiddenDocument(d.start));
  return { documents, errors };
}

function shiftNode(root: unknown, delta: number): void {
  const stack: unknown[] = [root];
  const seen = new Set<unknown>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    const r = (node as Node).range;
    if (r) (node as Node).range = [r[0] + delta, r[1] + delta, r[2] + delta];
    if (isMap(node)) {
      for (const item of node.items) stack.push(item.key, item.value);
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(isPair(item) ? item.key : item, isPair(item) ? item.value : undefined);
    }
  }
}

/**
 * Moves a parsed document by `delta` characters, in place: node ranges, the document's range and
 * its problems. Used when the same text now stands elsewhere in `text`, the stream's new text.
 * (Source tokens keep the offsets of the parse that made them.)
 */
export function shiftYamlDocument(d: YamlDocument, delta: number, text: string): void {
  // A document whose nodes are not built yet only notes where its text now is.
  const nodes = d instanceof DeferredYamlDocument ? d.moveTo(text, delta) : true;
  if (delta === 0) return;
  if (nodes) {
    shiftNode(d.doc.contents, delta);
    const r = d.doc.range;
    d.doc.range = [r[0] + delta, r[1] + delta, r[2] + delta];
    for (const e of [...d.doc.errors, ...d.doc.warnings]) e.pos = [e.pos[0] + delta, e.pos[1] + delta];
  }
  d.start += delta;
  d.end += delta;
  const move = (p: YamlProblem) => ({ ...p, start: p.start + delta, end: p.end + delta });
  d.errors = d.errors.map(move);
  d.warnings = d.warnings.map(move);
  if (d.unvalidated) d.unvalidated = move(d.unvalidated);
}

/** Start and end offsets of a node's value (without trailing comments). */
export function nodeRange(node: Node | null | undefined): { start: number; end: number } | undefined {
  if (!node?.range) return undefined;
  return { start: node.range[0], end: node.range[1] };
}

/** Follows an alias to the node it names; other nodes are returned as they are. */
export function resolveAlias(doc: Document, node: unknown): unknown {
  let current = node;
  for (let i = 0; i < 32 && isAlias(current); i++) current = current.resolve(doc);
  return current;
}

type AnyPair = Pair<ParsedNode, ParsedNode | null>;

interface PairIndex {
  items: unknown[];
  length: number;
  /** The first pair of each scalar key. */
  byKey: Map<string, AnyPair>;
  merges: AnyPair[];
}

/** Pairs of a mapping by key, built once per mapping (and again if its items change), so a lookup does not scan the mapping. */
const pairIndexes = new WeakMap<YAMLMap, PairIndex>();

function pairIndex(m: YAMLMap): PairIndex {
  const known = pairIndexes.get(m);
  if (known && known.items === m.items && known.length === m.items.length) return known;
  const index: PairIndex = { items: m.items, length: m.items.length, byKey: new Map(), merges: [] };
  for (const item of m.items as AnyPair[]) {
    const name = keyName(item.key);
    if (name === undefined) continue;
    if (!index.byKey.has(name)) index.byKey.set(name, item);
    if (name === '<<') index.merges.push(item);
  }
  pairIndexes.set(m, index);
  return index;
}

/** The pair of `map` for `key`, looking through YAML 1.1 merge keys (`<<: *base`) when the key is not written directly. */
export function findPair(doc: Document, map: unknown, key: string, depth = 0): Pair<ParsedNode, ParsedNode | null> | undefined {
  const m = resolveAlias(doc, map);
  if (!isMap(m) || depth > 8) return undefined;
  const index = pairIndex(m);
  const direct = index.byKey.get(key);
  if (direct) return direct;
  for (const item of index.merges) {
    const sources = resolveAlias(doc, item.value);
    const list = isSeq(sources) ? sources.items : [sources];
    for (const source of list) {
      const found = findPair(doc, source, key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** The node at `path` (through aliases and merge keys), or undefined when some step is missing. */
export function nodeAtPath(doc: Document, path: readonly PathSegment[]): Node | undefined {
  let node: unknown = doc.contents;
  for (const seg of path) {
    node = resolveAlias(doc, node);
    if (isMap(node)) {
      node = findPair(doc, node, String(seg))?.value ?? undefined;
    } else if (isSeq(node)) {
      const index = typeof seg === 'number' ? seg : Number(seg);
      node = Number.isInteger(index) ? node.items[index] : undefined;
    } else {
      return undefined;
    }
    if (node === undefined) return undefined;
  }
  return (node ?? undefined) as Node | undefined;
}

/** The pair whose value sits at `path` (the last step must be a mapping key). */
export function pairAtPath(doc: Document, path: readonly PathSegment[]): Pair<ParsedNode, ParsedNode | null> | undefined {
  if (path.length === 0) return undefined;
  const parent = nodeAtPath(doc, path.slice(0, -1));
  return parent ? findPair(doc, parent, String(path[path.length - 1])) : undefined;
}

/** Where the cursor is in the tree: the path of the innermost node under `offset`, and whether it is a key. */
export interface NodeLocation {
  path: PathSegment[];
  node: Node | undefined;
  /** The pair whose key or value holds the offset, if any. */
  pair?: Pair<ParsedNode, ParsedNode | null>;
  onKey: boolean;
}

function contains(node: unknown, offset: number): boolean {
  const r = (node as Node | null | undefined)?.range;
  return !!r && r[0] <= offset && offset <= r[1];
}

/** Finds the innermost key or value under `offset` by walking the tree (aliases are not followed). */
export function nodeAtOffset(doc: Document, offset: number): NodeLocation | undefined {
  let node: unknown = doc.contents;
  if (!contains(node, offset)) return undefined;
  const path: PathSegment[] = [];
  let pair: NodeLocation['pair'];
  for (let depth = 0; depth < 200; depth++) {
    let next: unknown;
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const name = keyName(item.key);
        if (contains(item.key, offset)) {
          return { path: name === undefined ? path : [...path, name], node: item.key as Node, pair: item as NodeLocation['pair'], onKey: true };
        }
        if (contains(item.value, offset) && name !== undefined) {
          path.push(name);
          pair = item as NodeLocation['pair'];
          next = item.value;
          break;
        }
      }
    } else if (isSeq(node)) {
      const index = node.items.findIndex((it) => contains(it, offset));
      if (index >= 0) {
        path.push(index);
        pair = undefined;
        next = node.items[index];
      }
    }
    if (next === undefined) return { path, node: node as Node, pair, onKey: false };
    node = next;
  }
  return undefined;
}

/** The document of a stream that holds `offset` (the last one that starts before it). */
export function documentAt(file: YamlFile, offset: number): YamlDocument | undefined {
  let found: YamlDocument | undefined;
  for (const d of file.documents) {
    if (d.start <= offset) found = d;
  }
  return found;
}
