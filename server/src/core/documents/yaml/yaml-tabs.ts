// Tabs PyYAML refuses. YAML lets a tab separate tokens and sit inside a plain scalar; PyYAML's
// scanner skips only spaces between tokens and ends a plain scalar at a tab, so a tab anywhere but
// in a quoted scalar, a comment or a block scalar's text stops it ("found character '\t' that
// cannot start any token"). The `yaml` library accepts those tabs, so they are found here, on the
// library's own lexemes.
import { CST, Lexer } from 'yaml';
import type { TextProblem } from './yaml-text';

/** Lexer marks that stand for no source text: document mode, end of a bad flow, a scalar follows. */
const DOC_MODE = '\u0002';
const FLOW_ERROR_END = '\u0018';
const SCALAR = '\u001f';

/** The offset in `lexeme` (a block scalar's text) of a tab in a line's indentation, or -1. */
export function tabInIndentation(lexeme: string): number {
  const lines = lexeme.split('\n');
  const first = lines.find((l) => l.trim() !== '');
  // Only spaces indent: a tab after them is the first character of the text.
  const indent = first ? /^ */.exec(first)![0].length : 0;
  let offset = 0;
  for (const line of lines) {
    const lead = /^[ \t]*/.exec(line)![0];
    const tab = lead.indexOf('\t');
    // Spaces only before it (it is the first tab): a tab inside the indentation PyYAML expects.
    if (tab >= 0 && tab < Math.max(indent, 1)) return offset + tab;
    offset += line.length + 1;
  }
  return -1;
}

/** The first tab of `text` (its line breaks LF) that PyYAML refuses, as a problem. */
export function tabPyYamlRefuses(text: string): TextProblem | undefined {
  if (!text.includes('\t')) return undefined;
  let offset = 0;
  let scalarNext = false;
  let blockHeader = false;
  for (const lexeme of new Lexer().lex(text)) {
    if (lexeme === SCALAR) {
      scalarNext = true;
      continue;
    }
    if (lexeme === DOC_MODE || lexeme === FLOW_ERROR_END) continue;
    const type = CST.tokenType(lexeme);
    let at = -1;
    if (scalarNext && blockHeader) at = tabInIndentation(lexeme);
    else if (type !== 'comment' && type !== 'single-quoted-scalar' && type !== 'double-quoted-scalar') at = lexeme.indexOf('\t');
    if (type === 'block-scalar-header') blockHeader = true;
    else if (scalarNext) blockHeader = false;
    scalarNext = false;
    if (at >= 0) {
      return {
        start: offset + at,
        end: offset + at + 1,
        code: 'TAB',
        sentence: true,
        message:
          "PyYAML refuses a tab here (\"found character '\\t' that cannot start any token\"): between tokens and in unquoted values it accepts only spaces, so Patroni cannot read the file. Replace the tab with spaces, or quote the value.",
      };
    }
    offset += lexeme.length;
  }
  return undefined;
}
