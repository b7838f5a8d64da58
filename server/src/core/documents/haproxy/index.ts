import type { EngineSettings, SourceFile } from '../../types';
import { CATALOG, compareVersions, isProxySection, lookupKeyword, lookupRemoved, lookupSection } from './catalog';
import type { LineIssue, Token } from './tokenize';
import { tokenizeLine } from './tokenize';

export type { Token } from './tokenize';

/** One non-empty line: its words, and the keyword they start with as resolved through the catalog. */
export interface ConfigLine {
  /** 0-based line number. */
  line: number;
  start: number;
  end: number;
  tokens: Token[];
  comment?: { start: number; end: number };
  /** Resolved keyword, e.g. "timeout connect" or "option httpchk"; the first word when nothing matched. */
  keyword: string;
  /** Tokens the keyword spans (after a `no`/`default` prefix). */
  keywordTokens: Token[];
  /** The line starts with `no` or `default`. */
  prefix?: 'no' | 'default';
  /** Words after the keyword. */
  args: Token[];
  /** A `.if`/`.endif`/`.diag`... directive rather than a keyword. */
  directive: boolean;
}

export interface Section {
  /** global, defaults, frontend, backend, listen, peers, resolvers, ... */
  type: string;
  name?: Token;
  /** `from <defaults>` reference on a proxy or defaults line. */
  from?: Token;
  header: ConfigLine;
  lines: ConfigLine[];
  start: number;
  /** End of its last non-empty line. */
  end: number;
}

export interface HaproxyModel {
  file: SourceFile;
  version: string;
  sections: Section[];
  /** Lines before the first section header. */
  outside: ConfigLine[];
  /** Conditional-block and diagnostic directives (.if, .else, .endif, .diag, ...). */
  directives: ConfigLine[];
  /** Lines skipped because a .if condition on the selected version is false. */
  inactive: ConfigLine[];
  /**
   * Lines under a .if whose condition depends on the build or the environment
   * (feature(QUIC), defined(VAR), ...): HAProxy may or may not read them, so they are not checked.
   */
  conditional: ConfigLine[];
  issues: LineIssue[];
}

/** Longest catalog match (up to three words) for the keyword starting at `tokens[at]`. */
function resolveKeyword(sectionType: string | undefined, tokens: Token[], at: number): number {
  if (sectionType) {
    for (let n = Math.min(3, tokens.length - at); n >= 1; n--) {
      const name = tokens.slice(at, at + n).map((t) => t.text).join(' ');
      if (lookupKeyword(sectionType, name) || (n > 1 && lookupRemoved(name, sectionType))) return n;
    }
  }
  const first = tokens[at]?.text;
  // An unknown word after a known prefix ("option foo", "timeout foo") is reported as one keyword.
  if (tokens.length > at + 1 && (first === 'option' || first === 'timeout')) return 2;
  return 1;
}

function buildLine(lineNo: number, start: number, end: number, tokens: Token[], comment: ConfigLine['comment'], sectionType: string | undefined): ConfigLine {
  const directive = tokens[0].text.startsWith('.');
  let at = 0;
  let prefix: ConfigLine['prefix'];
  if ((tokens[0].text === 'no' || tokens[0].text === 'default') && tokens.length > 1) {
    prefix = tokens[0].text;
    at = 1;
  }
  const n = directive ? 1 : resolveKeyword(sectionType, tokens, at);
  const keywordTokens = tokens.slice(at, at + n);
  return {
    line: lineNo,
    start,
    end,
    tokens,
    comment,
    keyword: keywordTokens.map((t) => t.text).join(' '),
    keywordTokens,
    prefix,
    args: tokens.slice(at + n),
    directive,
  };
}

/** Parses an HAProxy configuration into sections and keyword lines, keeping every offset. Never throws. */
export function parseHaproxy(file: SourceFile, settings: EngineSettings): HaproxyModel {
  const text = file.text;
  const model: HaproxyModel = { file, version: settings.haproxy?.version || '2.6', sections: [], outside: [], directives: [], inactive: [], conditional: [], issues: [] };
  const blocks: Block[] = [];
  let section: Section | undefined;
  let lineNo = 0;
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    const last = nl < 0;
    if (last) nl = text.length;
    const raw = text.slice(pos, nl);
    if (last && raw.length === 0) break;
    const tl = tokenizeLine(raw, pos);
    model.issues.push(...tl.issues);
    if (last && raw.trim().length > 0) {
      model.issues.push({ start: pos, end: nl, message: 'The last line has no line feed: HAProxy refuses a file whose last line is not terminated, as it may be truncated. Add a newline at the end of the file.' });
    }
    const head = tl.tokens[0]?.text;
    if (head !== undefined && head.startsWith('.')) {
      const line = buildLine(lineNo, pos, nl, tl.tokens, tl.comment, undefined);
      model.directives.push(line);
      applyDirective(line, blocks, model);
    } else if (head !== undefined && blocks.some((b) => b.active === false)) {
      model.inactive.push(buildLine(lineNo, pos, nl, tl.tokens, tl.comment, section?.type));
    } else if (head !== undefined && blocks.some((b) => b.active === 'unknown')) {
      model.conditional.push(buildLine(lineNo, pos, nl, tl.tokens, tl.comment, section?.type));
    } else if (head !== undefined) {
      if (lookupSection(head)) {
        const header = buildLine(lineNo, pos, nl, tl.tokens, tl.comment, undefined);
        header.keyword = head;
        header.keywordTokens = [tl.tokens[0]];
        header.args = tl.tokens.slice(1);
        section = { type: head, header, lines: [], start: pos, end: nl };
        const rest = header.args;
        if (rest[0] && rest[0].text !== 'from') section.name = rest[0];
        const fromAt = rest.findIndex((t) => t.text === 'from');
        if (fromAt >= 0 && (isProxySection(head)) && rest[fromAt + 1]) section.from = rest[fromAt + 1];
        model.sections.push(section);
      } else {
        const line = buildLine(lineNo, pos, nl, tl.tokens, tl.comment, section?.type);
        if (section) {
          section.lines.push(line);
          section.end = nl;
        } else {
          model.outside.push(line);
        }
      }
    }
    if (last) break;
    pos = nl + 1;
    lineNo++;
  }
  const open = model.directives.filter((d) => d.tokens[0].text === '.if');
  if (blocks.length > 0 && open.length > 0) {
    const t = open[open.length - blocks.length].tokens[0];
    model.issues.push({ start: t.start, end: t.end, message: '".if" block without ".endif": close it with an ".endif" line.' });
  }
  return model;
}

interface Block {
  /** 'unknown' when the condition depends on the build or the environment. */
  active: boolean | 'unknown';
  /** A branch of this .if chain was already taken; 'unknown' when that cannot be known. */
  taken: boolean | 'unknown';
}

/** Evaluates the conditions that depend only on the HAProxy version; undefined for anything else. */
export function evalCondition(args: string[], version: string): boolean | undefined {
  if (args.length !== 1) return undefined;
  let expr = args[0];
  let negate = false;
  if (expr.startsWith('!')) {
    negate = true;
    expr = expr.slice(1);
  }
  const m = /^(version_atleast|version_before)\(([0-9.]+)(?:-[^)]*)?\)$/.exec(expr);
  if (!m) return undefined;
  const cmp = compareVersions(version, m[2]);
  const r = m[1] === 'version_atleast' ? cmp >= 0 : cmp < 0;
  return negate ? !r : r;
}

function applyDirective(line: ConfigLine, blocks: Block[], model: HaproxyModel): void {
  const kw = line.tokens[0].text;
  const args = line.tokens.slice(1).map((t) => t.text);
  const top = blocks[blocks.length - 1];
  if (kw === '.if') {
    const r = evalCondition(args, model.version) ?? 'unknown';
    blocks.push({ active: r, taken: r });
  } else if (kw === '.elif' && top) {
    const c = evalCondition(args, model.version) ?? 'unknown';
    const r = top.taken === true ? false : top.taken === 'unknown' || c === 'unknown' ? 'unknown' : c;
    top.active = r;
    top.taken = top.taken === true || r === true ? true : top.taken === 'unknown' || r === 'unknown' ? 'unknown' : false;
  } else if (kw === '.else' && top) {
    top.active = top.taken === 'unknown' ? 'unknown' : !top.taken;
    top.taken = true;
  } else if (kw === '.endif' && top) {
    blocks.pop();
  } else if ((kw === '.elif' || kw === '.else' || kw === '.endif') && !top) {
    model.issues.push({ start: line.tokens[0].start, end: line.tokens[0].end, message: `"${kw}" without a matching ".if": remove it or add the ".if" line.` });
  }
}

/** Every keyword line of the model, section headers excluded. */
export function* allLines(model: HaproxyModel): Generator<{ line: ConfigLine; section: Section | undefined }> {
  for (const line of model.outside) yield { line, section: undefined };
  for (const section of model.sections) for (const line of section.lines) yield { line, section };
}

/** The section containing an offset (from its header to the line before the next header). */
export function sectionAt(model: HaproxyModel, offset: number): Section | undefined {
  let found: Section | undefined;
  for (const s of model.sections) {
    if (s.start <= offset) found = s;
    else break;
  }
  return found;
}

export const SECTION_TYPES: readonly string[] = Object.keys(CATALOG.sectionHeaders);
