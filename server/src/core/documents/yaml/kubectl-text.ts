// What kubectl refuses in a manifest before go-yaml reads it, or that go-yaml v2 refuses where
// the `yaml` library (YAML 1.2) reads on: a file that starts with `{` is decoded as JSON, documents
// are cut at `---` lines before any YAML is read (so a directive stands alone), and a `\/` escape
// is unknown to go-yaml v2.
import { CST, Lexer } from 'yaml';
import type { YamlProblem } from './yaml-document';
import { tabInIndentation } from './yaml-tabs';

const DIRECTIVE_LINE = /^%[^\n]*/m;

/** A `%YAML` or `%TAG` line in `text.slice(start, end)`, which kubectl refuses. */
function directiveProblem(text: string, start: number, end: number): YamlProblem | undefined {
  const slice = text.slice(start, end);
  const m = DIRECTIVE_LINE.exec(slice);
  if (!m) return undefined;
  return {
    start: start + m.index,
    end: start + m.index + Math.max(1, m[0].length),
    code: 'DIRECTIVE',
    sentence: true,
    message:
      'kubectl refuses this directive ("did not find expected <document start>"): it cuts a file into documents at `---` lines before reading any YAML, so the directive is left in a document of its own. Remove the line; kubectl reads every manifest the same way without it.',
  };
}

/**
 * Inside a flow collection, an unquoted key glued to its `:` and a flow collection (`labels:{}`):
 * go-yaml v2 reads `labels:` as the start of a plain scalar and stops at the bracket.
 */
function gluedFlowValueProblem(text: string, start: number, end: number): YamlProblem | undefined {
  const slice = text.slice(start, end);
  if (!/:[[{]/.test(slice)) return undefined;
  let offset = start;
  let depth = 0;
  // The token before the last `:` other than spaces (`metadata  :{` is refused too), and the last one.
  let keyType: string | undefined;
  let beforeSpaces: string | undefined;
  let last: string | undefined;
  for (const lexeme of new Lexer().lex(slice)) {
    if (lexeme === '\u0002' || lexeme === '\u0018' || lexeme === '\u001f') continue;
    const type = CST.tokenType(lexeme) ?? 'plain';
    if (depth > 0 && keyType === 'plain' && last === 'map-value-ind' && (type === 'flow-map-start' || type === 'flow-seq-start')) {
      return {
        start: offset - 1,
        end: offset + 1,
        code: 'FLOW_VALUE',
        sentence: true,
        message: 'kubectl refuses this ("did not find expected \',\' or \'}\'"): inside `{…}` or `[…]` its YAML reader needs a space after the `:` of an unquoted key before a `{` or `[`. Add a space after the colon.',
      };
    }
    if (type === 'flow-map-start' || type === 'flow-seq-start') depth++;
    else if (type === 'flow-map-end' || type === 'flow-seq-end') depth = Math.max(0, depth - 1);
    if (type === 'map-value-ind') keyType = beforeSpaces;
    if (type !== 'space') beforeSpaces = type;
    last = type;
    offset += lexeme.length;
  }
  return undefined;
}

/** Tokens after which go-yaml v2 may start a simple key, and so takes a tab for no white space. */
const KEY_MAY_FOLLOW = new Set(['newline', 'seq-item-ind', 'explicit-key-ind', 'byte-order-mark']);

/**
 * A tab go-yaml v2 refuses: in block context it skips a tab as white space only where no simple key
 * may start, so a tab in a line's indentation (a comment line's too), or after `- ` or `? `, stops it
 * ("found character that cannot start any token", "found a tab character that violates indentation").
 */
function tabProblem(text: string, start: number, end: number): YamlProblem | undefined {
  const slice = text.slice(start, end);
  if (!slice.includes('\t')) return undefined;
  let offset = start;
  let depth = 0;
  let previous = 'newline';
  let scalarNext = false;
  let blockHeader = false;
  for (const lexeme of new Lexer().lex(slice)) {
    if (lexeme === '\u001f') {
      scalarNext = true;
      continue;
    }
    if (lexeme === '\u0002' || lexeme === '\u0018') continue;
    const type = CST.tokenType(lexeme) ?? 'plain';
    let at = -1;
    if (scalarNext && blockHeader) at = tabInIndentation(lexeme);
    else if (type === 'space' && !scalarNext && depth === 0 && KEY_MAY_FOLLOW.has(previous)) at = lexeme.indexOf('\t');
    if (at >= 0) {
      return {
        start: offset + at,
        end: offset + at + 1,
        code: 'TAB',
        sentence: true,
        message:
          'kubectl refuses a tab here ("found character that cannot start any token"): in indentation, and after `- ` or `? `, its YAML reader accepts only spaces. Replace the tab with spaces.',
      };
    }
    if (type === 'block-scalar-header') blockHeader = true;
    else if (scalarNext) blockHeader = false;
    scalarNext = false;
    if (type === 'flow-map-start' || type === 'flow-seq-start') depth++;
    else if (type === 'flow-map-end' || type === 'flow-seq-end') depth = Math.max(0, depth - 1);
    if (type !== 'space') previous = type;
    offset += lexeme.length;
  }
  return undefined;
}

/** A `\/` escape in a double-quoted scalar, which go-yaml v2 does not know. */
function slashEscapeProblem(text: string, start: number, end: number): YamlProblem | undefined {
  const slice = text.slice(start, end);
  if (!slice.includes('\\/')) return undefined;
  let offset = start;
  for (const lexeme of new Lexer().lex(slice)) {
    if (lexeme === '\u0002' || lexeme === '\u0018' || lexeme === '\u001f') continue;
    if (CST.tokenType(lexeme) === 'double-quoted-scalar') {
      for (let i = 1; i < lexeme.length - 1; i++) {
        if (lexeme[i] !== '\\') continue;
        if (lexeme[i + 1] === '/') {
          return {
            start: offset + i,
            end: offset + i + 2,
            code: 'BAD_ESCAPE',
            sentence: true,
            message: 'kubectl refuses the escape `\\/` ("found unknown escape character"): its YAML reader does not know it. Write `/` alone.',
          };
        }
        i++;
      }
    }
    offset += lexeme.length;
  }
  return undefined;
}

/** Problems of `text.slice(start, end)` that kubectl refuses and the `yaml` library does not. */
export function kubectlTextProblems(text: string, start: number, end: number): YamlProblem[] {
  const out: YamlProblem[] = [];
  const directive = directiveProblem(text, start, end);
  if (directive) out.push(directive);
  const escape = slashEscapeProblem(text, start, end);
  if (escape) out.push(escape);
  const glued = gluedFlowValueProblem(text, start, end);
  if (glued) out.push(glued);
  const tab = tabProblem(text, start, end);
  if (tab) out.push(tab);
  return out;
}

/** Where the JSON value that starts at `from` ends (after its closing bracket), or -1 when it does not. */
function jsonValueEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

function jsonProblem(text: string, at: number, why: string): YamlProblem {
  return {
    start: at,
    end: Math.min(text.length, at + 1),
    code: 'JSON',
    sentence: true,
    message: `kubectl reads a file that starts with \`{\` as JSON, and this is not JSON (${why}): it refuses the file. Write it as JSON (every key and string in double quotes) or as YAML that does not start with \`{\`.`,
  };
}

/** How kubectl reads a manifest file that starts with `{`: a stream of JSON values. */
export interface JsonStream {
  /** Where each value starts (the first at 0, so that the chunks cover the whole text). */
  starts: number[];
  /** The first place the stream breaks, when it does. */
  problem?: YamlProblem;
}

/**
 * For a manifest file whose first character (after a byte-order mark and white space) is `{`, the
 * stream of JSON values kubectl decodes it as; undefined for any other file.
 */
export function jsonStream(text: string): JsonStream | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const skip = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  skip();
  if (text[i] !== '{') return undefined;
  const starts = [0];
  while (i < text.length) {
    if (text[i] !== '{' && text[i] !== '[') return { starts: [0], problem: jsonProblem(text, i, `expected another object, found ${JSON.stringify(text[i])}`) };
    if (i > starts[starts.length - 1]) starts.push(i);
    const end = jsonValueEnd(text, i);
    const slice = text.slice(i, end < 0 ? text.length : end);
    try {
      JSON.parse(slice);
    } catch (err) {
      const m = /position (\d+)/.exec((err as Error).message);
      const why = (err as Error).message.replace(/ in JSON at position \d+.*$/, '');
      return { starts: [0], problem: jsonProblem(text, i + (m ? Math.min(Number(m[1]), slice.length - 1) : 0), why) };
    }
    i += slice.length;
    skip();
  }
  return { starts };
}
