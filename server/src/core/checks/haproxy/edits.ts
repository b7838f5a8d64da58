import type { ConfigLine, Section } from '../../documents/haproxy';
import type { TextEdit } from '../../types';

/** Offset just after the last word of a line (before any trailing comment or spaces). */
export function lineContentEnd(line: ConfigLine): number {
  return line.tokens[line.tokens.length - 1].end;
}

/** The indentation used by the section's lines, or four spaces. */
export function sectionIndent(text: string, section: Section): string {
  const l = section.lines[0];
  if (!l) return '    ';
  const lineStart = text.lastIndexOf('\n', l.start - 1) + 1;
  const indent = text.slice(lineStart, l.tokens[0].start);
  return /^[ \t]*$/.test(indent) && indent.length > 0 ? indent : '    ';
}

/** Inserts whole lines right after the section header line. */
export function insertAfterHeader(text: string, section: Section, lines: string[]): TextEdit {
  const indent = sectionIndent(text, section);
  const at = section.header.end;
  return { start: at, end: at, newText: lines.map((l) => `\n${indent}${l}`).join('') };
}

/** Appends words to the end of a line's content. */
export function appendToLine(line: ConfigLine, words: string): TextEdit {
  const at = lineContentEnd(line);
  return { start: at, end: at, newText: ` ${words}` };
}
