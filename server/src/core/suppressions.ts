import type { LineIndex } from './line-index';
import type { Problem } from './types';

/**
 * Inline suppression comments, the same in every format (all of them use `#` comments):
 *   # hatopo-disable-next-line [id ...]   the next non-comment line; no id means every check
 *   # hatopo-disable-file [id ...]        the whole file
 */
const DIRECTIVE = /^[ \t]*#[ \t]*hatopo-disable-(next-line|file)\b([^\r\n]*)/gm;

interface Suppressions {
  file: Set<string> | 'all' | undefined;
  /** line number → ids (or 'all') */
  lines: Map<number, Set<string> | 'all'>;
}

function parseIds(rest: string): Set<string> | 'all' {
  const ids = rest
    .replace(/--.*$/, '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return ids.length === 0 ? 'all' : new Set(ids);
}

function merge(a: Set<string> | 'all' | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  if (!a) return b;
  // Each set is made by parseIds for one comment and kept by one line: adding to it in place is safe.
  for (const id of b) a.add(id);
  return a;
}

export function findSuppressions(text: string, lines: LineIndex): Suppressions | undefined {
  if (!text.includes('hatopo-disable')) return undefined;
  const result: Suppressions = { file: undefined, lines: new Map() };
  // The last search: from which line, and the target it found (every line between was blank or a comment).
  let from = -1;
  let found = -1;
  for (const m of text.matchAll(DIRECTIVE)) {
    const ids = parseIds(m[2]);
    if (m[1] === 'file') {
      result.file = merge(result.file, ids);
      continue;
    }
    // The target is the next line that is neither blank nor another comment.
    let line = lines.positionAt(m.index).line + 1;
    if (line > from && line <= found) {
      line = found;
    } else {
      from = line;
      while (line < lines.lineCount) {
        const content = text.slice(lines.lineStart(line), lines.lineEnd(line)).trim();
        if (content !== '' && !content.startsWith('#')) break;
        line++;
      }
      found = line;
    }
    result.lines.set(line, merge(result.lines.get(line), ids));
  }
  return result;
}

function covers(ids: Set<string> | 'all' | undefined, code: string): boolean {
  return ids === 'all' || (ids !== undefined && ids.has(code));
}

export function applySuppressions(problems: Problem[], text: string, lines: LineIndex): Problem[] {
  const s = findSuppressions(text, lines);
  if (!s) return problems;
  return problems.filter((p) => {
    if (covers(s.file, p.code)) return false;
    return !covers(s.lines.get(lines.positionAt(p.start).line), p.code);
  });
}
