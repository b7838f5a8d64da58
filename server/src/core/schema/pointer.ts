import type { Document } from 'yaml';
import { isMap, isSeq } from 'yaml';
import type { PathSegment } from '../documents/yaml/yaml-document';
import { findPair, nodeRange, resolveAlias } from '../documents/yaml/yaml-document';

/** Splits an RFC 6901 JSON pointer ("/a/b~1c/0") into unescaped segments. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '#') return [];
  const body = pointer.startsWith('#') ? decodeURIComponent(pointer.slice(1)) : pointer;
  return body
    .slice(1)
    .split('/')
    .map((s) => (s.includes('~') ? s.replace(/~1/g, '/').replace(/~0/g, '~') : s));
}

/** Builds a JSON pointer from path segments, escaping `~` and `/`. */
export function toPointer(path: readonly PathSegment[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export interface PointerRange {
  start: number;
  end: number;
  /** How much of the pointer was found: equal to the pointer's length when it was found whole. */
  depth: number;
  /** True when the range is a mapping key rather than a value. */
  onKey: boolean;
}

export type PointerTarget = 'value' | 'key';

function rootRange(doc: Document): PointerRange {
  const r = nodeRange(doc.contents as never);
  if (r) {
    // A whole-document problem is shown on the first key, not over hundreds of lines.
    const contents = doc.contents;
    if (isMap(contents) && contents.items.length > 0) {
      const first = nodeRange(contents.items[0].key as never);
      if (first) return { ...first, depth: 0, onKey: true };
    }
    return { ...r, depth: 0, onKey: false };
  }
  const start = doc.range?.[0] ?? 0;
  return { start, end: start, depth: 0, onKey: false };
}

/**
 * Maps a JSON pointer (as ajv reports it) to a source range of the YAML document.
 *
 * - `target: 'value'` gives the value's range; `'key'` gives the key of the pair that holds
 *   it (sequence items have no key, so their value is used).
 * - A pointer whose end is missing (a required property) maps to the key of the deepest
 *   existing ancestor, so the problem shows where the property should be added.
 * - Aliases and merge keys are followed; a step that passes through an alias lands in the
 *   anchored node's source.
 */
export function rangeOfPointer(doc: Document, pointer: string | readonly PathSegment[], target: PointerTarget = 'value'): PointerRange {
  const segments = typeof pointer === 'string' ? parsePointer(pointer) : pointer.map(String);
  let node: unknown = doc.contents;
  let keyRange: { start: number; end: number } | undefined;
  // The root's range is found only when no step of the pointer is.
  let lastGood: PointerRange | undefined;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const current = resolveAlias(doc, node);
    let next: unknown;
    let nextKey: { start: number; end: number } | undefined;
    if (isMap(current)) {
      const pair = findPair(doc, current, seg);
      if (pair) {
        next = pair.value;
        nextKey = nodeRange(pair.key);
        // `key:` with nothing after it has a null value with an empty range: use the key.
        const r = nodeRange(next as never);
        if (!next || !r || r.end <= r.start) next = null;
      }
    } else if (isSeq(current) && /^\d+$/.test(seg)) {
      next = current.items[Number(seg)];
    }
    if (next === undefined) return { ...(lastGood ?? rootRange(doc)), depth: i };
    node = next;
    keyRange = nextKey;
    const valueRange = nodeRange(next as never);
    const useKey = (target === 'key' || !valueRange) && keyRange;
    const range = useKey ? keyRange! : (valueRange ?? keyRange ?? lastGood ?? rootRange(doc));
    lastGood = { start: range.start, end: range.end, depth: i + 1, onKey: !!useKey };
    if (next === null) {
      // A null value cannot hold anything deeper; the key stands for the rest of the path.
      if (i + 1 < segments.length) return { ...lastGood, start: keyRange!.start, end: keyRange!.end, onKey: true };
    }
  }
  return lastGood ?? rootRange(doc);
}
