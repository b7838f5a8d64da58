import { isDeepStrictEqual } from 'node:util';
import type { Document } from 'yaml';
import { Composer, isMap, isPair, isScalar, isSeq, Parser } from 'yaml';
import { readBlockChunk, readBlockValue } from '../../server/src/core/documents/yaml/block-reader';
import { KUBERNETES_YAML } from '../../server/src/core/documents/yaml/kubernetes';
import { duplicateKeys, yamlParseOptions } from '../../server/src/core/documents/yaml/yaml-document';

/** The options the engine reads Kubernetes chunks with (kubectl's resolution of scalars). */
export const CHUNK_OPTIONS = yamlParseOptions(KUBERNETES_YAML);

export type Outcome = 'same' | 'declined' | { differs: string };

/** What `yaml` itself composes from the chunk, as the engine's fallback path does. */
export function composeChunk(text: string, start: number, end: number): { docs: Document.Parsed[]; streamErrors: number } {
  const parser = new Parser();
  parser.offset = start;
  const composer = new Composer(CHUNK_OPTIONS);
  const docs = Array.from(composer.compose(parser.parse(text.slice(start, end)))) as Document.Parsed[];
  return { docs, streamErrors: composer.streamInfo().errors.length };
}

/** The first difference between two node trees, or undefined. */
function differ(a: unknown, b: unknown, path: string): string | undefined {
  const kind = (n: unknown) => (n === null || n === undefined ? 'none' : isMap(n) ? 'map' : isSeq(n) ? 'seq' : isScalar(n) ? 'scalar' : 'other');
  if (kind(a) !== kind(b)) return `${path}: ${kind(a)} vs ${kind(b)}`;
  if (a === null || a === undefined) return undefined;
  const na = a as { range?: number[]; flow?: boolean };
  const nb = b as { range?: number[]; flow?: boolean };
  if (!isDeepStrictEqual(na.range, nb.range)) return `${path}: range ${JSON.stringify(na.range)} vs ${JSON.stringify(nb.range)}`;
  if (isScalar(a) && isScalar(b)) {
    for (const p of ['value', 'type', 'source', 'format', 'minFractionDigits'] as const) {
      const x = (a as unknown as Record<string, unknown>)[p];
      const y = (b as unknown as Record<string, unknown>)[p];
      if (!Object.is(x, y)) return `${path}: ${p} ${JSON.stringify(x)} vs ${JSON.stringify(y)}`;
    }
    return undefined;
  }
  if (!!na.flow !== !!nb.flow) return `${path}: flow ${na.flow} vs ${nb.flow}`;
  const ia = (a as { items: unknown[] }).items;
  const ib = (b as { items: unknown[] }).items;
  if (ia.length !== ib.length) return `${path}: ${ia.length} items vs ${ib.length}`;
  for (let i = 0; i < ia.length; i++) {
    if (isPair(ia[i]) !== isPair(ib[i])) return `${path}[${i}]: pair mismatch`;
    if (isPair(ia[i]) && isPair(ib[i])) {
      const pa = ia[i] as { key: unknown; value: unknown };
      const pb = ib[i] as { key: unknown; value: unknown };
      const d = differ(pa.key, pb.key, `${path}[${i}].key`) ?? differ(pa.value, pb.value, `${path}[${i}].value`);
      if (d) return d;
    } else {
      const d = differ(ia[i], ib[i], `${path}[${i}]`);
      if (d) return d;
    }
  }
  return undefined;
}

/**
 * Reads one chunk with the block reader and with `yaml`: the reader must either decline or build
 * exactly what `yaml` builds (node kinds, ranges, scalar values and styles, the plain value, the
 * document's range) for a chunk `yaml` reads without any error or warning.
 */
export function compareChunk(text: string, start: number, end: number): Outcome {
  const fast = readBlockChunk(text, start, end, CHUNK_OPTIONS);
  // Without nodes, the reader must decide and read the same.
  const light = readBlockValue(text, start, end, CHUNK_OPTIONS);
  if ((light === undefined) !== (fast === undefined) || (light === null) !== (fast === null)) return { differs: `with nodes ${String(fast)}, without ${String(light)}` };
  if (fast && light && !isDeepStrictEqual({ ...light }, { value: fast.value, range: fast.doc.range, repeated: fast.repeated })) return { differs: 'the reader without nodes reads otherwise' };
  if (fast === undefined) return 'declined';
  const { docs, streamErrors } = composeChunk(text, start, end);
  if (fast === null) {
    if (docs.length !== 0 || streamErrors !== 0) return { differs: `reader found no document; yaml found ${docs.length} (${streamErrors} stream errors)` };
    return 'same';
  }
  if (docs.length !== 1) return { differs: `yaml found ${docs.length} documents` };
  const doc = docs[0];
  if (doc.errors.length || doc.warnings.length) return { differs: `yaml reports ${[...doc.errors, ...doc.warnings].map((e) => e.code).join(', ')}` };
  if (!isDeepStrictEqual(fast.doc.range, doc.range)) return { differs: `document range ${JSON.stringify(fast.doc.range)} vs ${JSON.stringify(doc.range)}` };
  const d = differ(fast.doc.contents, doc.contents, '$');
  if (d) return { differs: d };
  if (!isDeepStrictEqual(fast.value, doc.toJS({ maxAliasCount: 1000 }))) return { differs: 'plain values differ' };
  const byStart = (a: { start: number }, b: { start: number }) => a.start - b.start;
  const theirs = duplicateKeys(doc.contents).map((p) => ({ start: p.start, end: p.end, name: /"(.*)"/.exec(p.message)?.[1] })).sort(byStart);
  const ours = [...fast.repeated].sort(byStart);
  if (!isDeepStrictEqual(ours, theirs)) return { differs: `repeated keys ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}` };
  return 'same';
}

/** A small seeded generator, so every variant can be made again from its seed. */
export function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

const VALUES = ["''", '""', '"a\\"b\\u00e9"', "'it''s'", '[a, b]', '[ "x" , y ]', '[]', '{}', '{ }', '{a: b}', '|', '|-', '>+', 'yes', 'no', '~', 'null', 'Null', '0x1F', '0o17', '017', '1e3', '-2.50', '.inf', '-.Inf', '.NaN', '+12', 'TRUE', 'False', 'a: b', '- x', 'x # c', 'x#y', 'a:b', 'http://h:1/p', '"unclosed', '&a x', '*a', '!!str 1', '@x', '`x`', '%x', '? x', '-x', ':x', 'a, b', 'x ', '#c', '"q" # c', '[a, [b]]', '[a,]', 'é ü', 'y', 'On', 'N', '08', '0755', '0b101', '1_000', '1:30', '.5_5', '+.5', '1e400', '2001-12-14', '=', '[y, 0x1F, .inf]'];

/** Variants of a YAML text: comment and blank lines at every depth, moved lines, odd values. */
export function mutate(text: string, rnd: () => number): string {
  const lines = text.split('\n');
  const pick = (n: number) => Math.floor(rnd() * n);
  const edits = 1 + pick(3);
  for (let e = 0; e < edits; e++) {
    const at = pick(lines.length);
    const indent = (lines[at].match(/^ */)?.[0].length ?? 0) + pick(5) - 2;
    const pad = ' '.repeat(Math.max(0, indent));
    switch (pick(13)) {
      case 12:
        // A line written twice (a repeated key, or a repeated entry).
        lines.splice(at, 0, lines[at]);
        break;
      case 11: {
        // A quoted value going on over several lines.
        const m = /^(\s*)((?:- )?[^:#]+: )(.*)$/.exec(lines[at]);
        const q = pick(2) ? "'" : '"';
        if (m) lines.splice(at, 1, `${m[1]}${m[2]}${q}first ${pick(2) ? "it''s" : '\\t'}`, ...Array.from({ length: pick(3) }, () => (pick(4) ? `${m[1]}${' '.repeat(pick(5))}  next  ` : '')), `${m[1]}${' '.repeat(pick(4))}last${q}${pick(3) ? '' : ' # c'}`);
        break;
      }
      case 9: {
        // An empty value followed by comment lines at several depths.
        const m = /^(\s*(?:- )?[^:#]+:)( .*)?$/.exec(lines[at]);
        if (m) lines.splice(at, 1, m[1] + (pick(2) ? ' # c' : ''), ...Array.from({ length: pick(3) }, () => (pick(3) ? `${' '.repeat(pick(7))}# x` : '')));
        break;
      }
      case 10: {
        // A plain value continued on deeper lines.
        const m = /^(\s*)((?:- )?[^:#]+: )([a-z].*)$/.exec(lines[at]);
        if (m) lines.splice(at, 1, m[1] + m[2] + m[3], ...Array.from({ length: 1 + pick(3) }, () => (pick(4) ? `${m[1]}${' '.repeat(pick(5))}${pick(2) ? '' : '&*!|>\'"%@`[]{}-?:,'[pick(19)]}more text${pick(3) ? '' : ' # c'}` : '')));
        break;
      }
      case 0:
        lines.splice(at, 0, `${pad}# note`);
        break;
      case 1:
        lines.splice(at, 0, pick(2) ? '' : pad);
        break;
      case 2:
        lines.splice(at, 1);
        break;
      case 3:
        lines[at] = pad + lines[at].trimStart();
        break;
      case 4:
        lines[at] += pick(2) ? ' # c' : '   ';
        break;
      case 5: {
        const m = /^(\s*(?:- )?[^:#]+:)( .*)?$/.exec(lines[at]);
        if (m) lines[at] = `${m[1]} ${VALUES[pick(VALUES.length)]}`;
        break;
      }
      case 6: {
        const m = /^(\s*- )(.*)$/.exec(lines[at]);
        if (m) lines[at] = m[1] + VALUES[pick(VALUES.length)];
        break;
      }
      case 7:
        lines.splice(at, 0, `${pad}  x${pick(2) ? '' : ' y'}`);
        break;
      default:
        lines.splice(at + 1, 0, `${pad}# ${'deep'.repeat(pick(2) + 1)}`, pick(2) ? '' : `${pad} # more`);
    }
  }
  const out = lines.join('\n');
  return pick(8) === 0 ? out.replace(/\n+$/, '') : out;
}
