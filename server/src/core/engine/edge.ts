// Offsets inside, ranges at the edge: the one place where engine results get lines and characters.
import type { LineIndex } from '../line-index';
import type { OutlineSymbol, Problem } from '../types';
import type { Diagnostic, DocumentSymbol } from './api';

export function toDiagnostic(uri: string, lines: LineIndex, p: Problem, docsBase: string | undefined): Diagnostic {
  const d: Diagnostic = { file: uri, range: lines.rangeOf(p.start, p.end), severity: p.severity, code: p.code, source: 'hatopo', message: p.message };
  if (docsBase) d.codeDescription = { href: `${docsBase}${p.code}.md` };
  if (p.related?.length) d.related = p.related.map((r) => ({ file: uri, range: lines.rangeOf(r.start, r.end), message: r.message }));
  return d;
}

export function toSymbol(lines: LineIndex, s: OutlineSymbol): DocumentSymbol {
  return {
    name: s.name,
    detail: s.detail,
    kind: s.kind,
    range: lines.rangeOf(s.start, s.end),
    selectionRange: lines.rangeOf(s.selectionStart, s.selectionEnd),
    children: s.children?.map((c) => toSymbol(lines, c)),
  };
}
