import type { PathSegment } from '../../documents/yaml/yaml-document';
import type { PatroniModel } from '../../documents/yaml/patroni';
import { keyRange, pairAt, recordAt } from '../../documents/yaml/patroni';
import type { Fix } from '../../types';

/** The two places PostgreSQL parameters live: the shared (DCS) ones and the member's own. */
export const PARAMETER_MAPS: readonly { path: PathSegment[]; shared: boolean }[] = [
  { path: ['bootstrap', 'dcs', 'postgresql', 'parameters'], shared: true },
  { path: ['postgresql', 'parameters'], shared: false },
];

export const DCS_PATH: readonly PathSegment[] = ['bootstrap', 'dcs'];

/** Every `name: value` of both parameter maps, with its path. Parameter names are case-insensitive. */
export function parameters(model: PatroniModel): { name: string; value: unknown; path: PathSegment[]; shared: boolean }[] {
  const out: { name: string; value: unknown; path: PathSegment[]; shared: boolean }[] = [];
  for (const map of PARAMETER_MAPS) {
    const rec = recordAt(model, map.path);
    for (const [name, value] of Object.entries(rec ?? {})) out.push({ name: name.toLowerCase(), value, path: [...map.path, name], shared: map.shared });
  }
  return out;
}

/** A fix that replaces the text between two offsets. */
export function replaceFix(title: string, start: number, end: number, newText: string, preferred = true): Fix {
  return { title, edits: [{ start, end, newText }], preferred };
}

/** A fix that deletes the whole line(s) of the `key: value` pair at `path`. */
export function deletePairFix(model: PatroniModel, path: readonly PathSegment[], title: string): Fix | undefined {
  const pair = pairAt(model, path);
  const key = keyRange(model, path);
  if (!pair || !key) return undefined;
  const text = model.file.text;
  const end = pair.value?.range ? pair.value.range[1] : key.end;
  const lineStart = text.lastIndexOf('\n', key.start - 1) + 1;
  let lineEnd = end > 0 && text[end - 1] === '\n' ? end : text.indexOf('\n', end);
  lineEnd = lineEnd < 0 ? text.length : lineEnd === end && text[end - 1] === '\n' ? end : lineEnd + 1;
  // Only whole lines: a pair inside a flow mapping `{a: 1, b: 2}` is not deleted this way.
  if (text.slice(lineStart, key.start).trim() !== '') return undefined;
  return { title, edits: [{ start: lineStart, end: lineEnd, newText: '' }], preferred: true };
}
