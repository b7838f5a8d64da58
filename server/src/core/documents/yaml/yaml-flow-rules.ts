// Inside `{…}` and `[…]`, YAML 1.2 lets an unquoted value start with `:` (`{port: :5432}`) and hold
// a `?` (`{url: http://db?sslmode=require}`); PyYAML and go-yaml v2, which follow YAML 1.1, take
// that `:` for the value indicator and end an unquoted value at a `?`, and refuse the file ("while
// parsing a flow node", "did not find expected node content", "expected ',' or '}'"). Found here on
// the `yaml` library's own lexemes.
import { CST, Lexer } from 'yaml';
import type { TextProblem } from './yaml-text';

/**
 * An unquoted value in a flow collection that starts with `:` or holds a `?`, in
 * `text.slice(start, end)`, as a problem.
 */
export function flowScalarProblem(text: string, start: number, end: number, reader: 'pyyaml' | 'kubectl'): TextProblem | undefined {
  const slice = start === 0 && end === text.length ? text : text.slice(start, end);
  if (!colonAfterFlowIndicator(slice) && !(slice.includes('?') && /[{[]/.test(slice))) return undefined;
  let offset = start;
  let depth = 0;
  let scalarNext = false;
  for (const lexeme of new Lexer().lex(slice)) {
    if (lexeme === '\u001f') {
      scalarNext = true;
      continue;
    }
    if (lexeme === '\u0002' || lexeme === '\u0018') continue;
    const type = CST.tokenType(lexeme);
    if (depth > 0 && scalarNext && type === null && lexeme.startsWith(':')) {
      const who = reader === 'pyyaml' ? 'PyYAML refuses it ("while parsing a flow node"), so Patroni cannot read the file' : 'kubectl refuses the file ("did not find expected node content")';
      return {
        start: offset,
        end: offset + 1,
        code: 'FLOW_COLON',
        sentence: true,
        message: `Inside \`{…}\` or \`[…]\` an unquoted value cannot start with \`:\`: ${who}. Quote the value.`,
      };
    }
    if (depth > 0 && scalarNext && type === null && lexeme.includes('?')) {
      const at = offset + lexeme.indexOf('?');
      const who = reader === 'pyyaml' ? 'PyYAML refuses it ("while parsing a flow mapping"), so Patroni cannot read the file' : 'kubectl refuses the file ("did not find expected \',\' or \'}\'")';
      return {
        start: at,
        end: at + 1,
        code: 'FLOW_QUESTION',
        sentence: true,
        message: `Inside \`{…}\` or \`[…]\` an unquoted value ends at a \`?\` for YAML 1.1 readers: ${who}. Quote the value.`,
      };
    }
    scalarNext = false;
    if (type === 'flow-map-start' || type === 'flow-seq-start') depth++;
    else if (type === 'flow-map-end' || type === 'flow-seq-end') depth = Math.max(0, depth - 1);
    offset += lexeme.length;
  }
  return undefined;
}

/**
 * Whether a line of `text` has a `:` after a `{`, `[` or `,`: one pass, where the regex
 * `/[{[,][^\n]*:/` retries from every indicator of a long line that has no `:` after it.
 */
export function colonAfterFlowIndicator(text: string): boolean {
  let opened = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) opened = false;
    else if (c === 123 || c === 91 || c === 44) opened = true;
    else if (c === 58 && opened) return true;
  }
  return false;
}

/** Lexemes that start no key: white space, comments, line breaks, indicators that open a line. */
const NO_KEY = new Set(['space', 'comment', 'newline', 'seq-item-ind', 'doc-start', 'byte-order-mark']);

/**
 * A `:` with no key before it (`: value` at the start of a line, `{: value}`), which YAML reads as
 * an empty key and PyYAML refuses ("while parsing a block mapping", "while parsing a flow node"),
 * unless an explicit `? key` precedes it. In `text.slice(start, end)`.
 */
export function emptyKeyPyYaml(text: string, start: number, end: number): TextProblem | undefined {
  const slice = start === 0 && end === text.length ? text : text.slice(start, end);
  if (!/(?:^|[\n{[,])[ \t]*(?:- +)*:(?:[ \t\n]|$)/.test(slice)) return undefined;
  let offset = start;
  let depth = 0;
  let keyBefore = false;
  let explicitKey = false;
  for (const lexeme of new Lexer().lex(slice)) {
    if (lexeme === '\u0002' || lexeme === '\u0018' || lexeme === '\u001f') continue;
    const type = CST.tokenType(lexeme) ?? 'plain';
    if (type === 'map-value-ind') {
      if (!keyBefore && !explicitKey) {
        return {
          start: offset,
          end: offset + 1,
          code: 'EMPTY_KEY',
          sentence: true,
          message: `PyYAML refuses a \`:\` with no key before it ("${depth > 0 ? 'while parsing a flow node' : 'while parsing a block mapping'}"); Patroni cannot read the file. Write the key, or quote a value that starts with \`:\`.`,
        };
      }
      explicitKey = false;
      keyBefore = depth > 0;
    } else if (type === 'explicit-key-ind') {
      explicitKey = true;
    } else if (type === 'flow-map-start' || type === 'flow-seq-start') {
      depth++;
      keyBefore = false;
    } else if (type === 'flow-map-end' || type === 'flow-seq-end') {
      depth = Math.max(0, depth - 1);
      keyBefore = true;
    } else if (type === 'comma') {
      keyBefore = false;
    } else if (type === 'newline' && depth === 0) {
      keyBefore = false;
    } else if (!NO_KEY.has(type)) {
      keyBefore = true;
    }
    offset += lexeme.length;
  }
  return undefined;
}
