import type { EngineSettings, SourceFile } from '../../types';
import type { KeywordSpec, ValueType } from './catalog';
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
  /** The catalog entry of the keyword in its section, when known. */
  spec?: KeywordSpec;
  /** Options of a server/default-server/server-template/bind line, read on first use (see readOptions). */
  options?: OptionList;
}

export interface OptionUse {
  name: Token;
  values: Token[];
  type?: ValueType;
}

export interface OptionList {
  options: OptionUse[];
  /** First word that is not a known option (the rest of the line is then unchecked). */
  unknown?: Token;
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
  /** Reading problems of its lines (also in the model's `issues`). */
  issues: LineIssue[];
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
  /**
   * Identity of the text before the first section header: kept across an incremental parse
   * while that text is unchanged (see regions.ts).
   */
  preamble: object;
  preambleIssues: LineIssue[];
}

/** First words of multi-word keywords, per section type: only these need a longer lookup. */
const MULTI_FIRST = new Map<string, Set<string>>();

function multiFirst(sectionType: string): Set<string> {
  const key = isProxySection(sectionType) ? 'proxy' : sectionType;
  let set = MULTI_FIRST.get(key);
  if (!set) {
    set = new Set(['option', 'timeout']);
    const names = [...Object.keys(key === 'proxy' ? CATALOG.proxy : (CATALOG.sections[key] ?? {})), ...Object.keys(CATALOG.removed)];
    for (const n of names) if (n.includes(' ')) set.add(n.slice(0, n.indexOf(' ')));
    MULTI_FIRST.set(key, set);
  }
  return set;
}

/** Longest catalog match (up to three words) for the keyword starting at `tokens[at]`. */
function resolveKeyword(sectionType: string | undefined, tokens: Token[], at: number): number {
  const first = tokens[at].text;
  if (!sectionType || tokens.length === at + 1 || !multiFirst(sectionType).has(first)) return 1;
  const two = `${first} ${tokens[at + 1].text}`;
  if (tokens.length > at + 2) {
    const three = `${two} ${tokens[at + 2].text}`;
    if (lookupKeyword(sectionType, three) || lookupRemoved(three, sectionType)) return 3;
  }
  if (lookupKeyword(sectionType, two) || lookupRemoved(two, sectionType)) return 2;
  if (lookupKeyword(sectionType, first)) return 1;
  // An unknown word after a known prefix ("option foo", "timeout foo") is reported as one keyword.
  return first === 'option' || first === 'timeout' ? 2 : 1;
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
  const keyword = n === 1 ? keywordTokens[0].text : keywordTokens.map((t) => t.text).join(' ');
  return {
    line: lineNo,
    start,
    end,
    tokens,
    comment,
    keyword,
    keywordTokens,
    prefix,
    args: tokens.slice(at + n),
    directive,
    spec: sectionType && !directive ? lookupKeyword(sectionType, keyword) : undefined,
  };
}

const NO_NEWLINE = 'The last line has no line feed: HAProxy refuses a file whose last line is not terminated, as it may be truncated. Add a newline at the end of the file.';

interface ParseState {
  model: HaproxyModel;
  section: Section | undefined;
  blocks: Block[];
}

/** Reads one line (`raw`, without its line feed, at offset `pos`) into the model. */
function readLine(st: ParseState, raw: string, pos: number, lineNo: number, last: boolean): void {
  const { model } = st;
  const nl = pos + raw.length;
  const tl = tokenizeLine(raw, pos);
  const head = tl.tokens[0]?.text;
  const directive = head !== undefined && head.startsWith('.');
  const skipped = !directive && head !== undefined && st.blocks.some((b) => b.active !== true);
  if (head !== undefined && !directive && !skipped && lookupSection(head)) {
    const header = buildLine(lineNo, pos, nl, tl.tokens, tl.comment, undefined);
    header.keyword = head;
    header.keywordTokens = [tl.tokens[0]];
    header.args = tl.tokens.slice(1);
    const next: Section = { type: head, header, lines: [], start: pos, end: nl, issues: [] };
    const rest = header.args;
    if (rest[0] && rest[0].text !== 'from') next.name = rest[0];
    const fromAt = rest.findIndex((t) => t.text === 'from');
    if (fromAt >= 0 && isProxySection(head) && rest[fromAt + 1]) next.from = rest[fromAt + 1];
    model.sections.push(next);
    st.section = next;
  }
  // Problems of a line belong to the section it is in (a header's to the section it opens).
  const issues = st.section ? st.section.issues : model.preambleIssues;
  for (const issue of tl.issues) issues.push(issue);
  if (last && raw.trim().length > 0) issues.push({ start: pos, end: nl, message: NO_NEWLINE });
  if (head === undefined || st.section?.header.start === pos) return;
  const section = st.section;
  if (directive) {
    const line = buildLine(lineNo, pos, nl, tl.tokens, tl.comment, undefined);
    model.directives.push(line);
    applyDirective(line, st.blocks, model);
  } else if (st.blocks.some((b) => b.active === false)) {
    model.inactive.push(buildLine(lineNo, pos, nl, tl.tokens, tl.comment, section?.type));
  } else if (skipped) {
    model.conditional.push(buildLine(lineNo, pos, nl, tl.tokens, tl.comment, section?.type));
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

/** Reads the lines of text[from, to) starting at line `lineNo`; `to` is a line start or the end of the text. */
function readLines(st: ParseState, text: string, from: number, to: number, lineNo: number): void {
  let pos = from;
  while (pos < to) {
    let nl = text.indexOf('\n', pos);
    const last = nl < 0;
    if (last) nl = text.length;
    readLine(st, text.slice(pos, nl), pos, lineNo, last);
    if (last) break;
    pos = nl + 1;
    lineNo++;
  }
}

function newModel(file: SourceFile, version: string): HaproxyModel {
  return { file, version, sections: [], outside: [], directives: [], inactive: [], conditional: [], issues: [], preamble: {}, preambleIssues: [] };
}

function collectIssues(model: HaproxyModel): void {
  model.issues = [...model.preambleIssues];
  for (const s of model.sections) for (const i of s.issues) model.issues.push(i);
}

/** Parses an HAProxy configuration into sections and keyword lines, keeping every offset. Never throws. */
export function parseHaproxy(file: SourceFile, settings: EngineSettings, previous?: HaproxyModel): HaproxyModel {
  const version = settings.haproxy?.version || '2.6';
  if (previous && previous.version === version && previous.directives.length === 0 && !CONDITIONAL_LINE.test(file.text)) {
    const reused = parseReusing(file, version, previous);
    if (reused) return reused;
  }
  const text = file.text;
  const model = newModel(file, version);
  const st: ParseState = { model, section: undefined, blocks: [] };
  readLines(st, text, 0, text.length, 0);
  collectIssues(model);
  const open = model.directives.filter((d) => d.tokens[0].text === '.if');
  if (st.blocks.length > 0 && open.length > 0) {
    const t = open[open.length - st.blocks.length].tokens[0];
    model.issues.push({ start: t.start, end: t.end, message: '".if" block without ".endif": close it with an ".endif" line.' });
  }
  return model;
}

/** A line that may be a conditional-block directive (.if, .else, ...): such files are always parsed whole. */
const CONDITIONAL_LINE = /^[ \t]*\./m;

/** The first word of a line when it is a plain section keyword; undefined otherwise. */
function headerWord(text: string, pos: number, end: number): string | undefined {
  let i = pos;
  while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
  let j = i;
  while (j < end) {
    const c = text[j];
    if (c === ' ' || c === '\t' || c === '\r' || c === '#') break;
    if (c === '"' || c === "'" || c === '\\') return undefined;
    j++;
  }
  if (j === i) return undefined;
  const w = text.slice(i, j);
  return lookupSection(w) ? w : undefined;
}

function shiftLine(l: ConfigLine, delta: number, lineDelta: number): void {
  l.line += lineDelta;
  l.start += delta;
  l.end += delta;
  if (l.comment) l.comment = { start: l.comment.start + delta, end: l.comment.end + delta };
  for (const t of l.tokens) {
    t.start += delta;
    t.end += delta;
  }
}

/** Moves a section parsed from the previous text to where the same text now stands. */
function shiftSection(s: Section, delta: number, lineDelta: number): void {
  if (delta === 0 && lineDelta === 0) return;
  s.start += delta;
  s.end += delta;
  shiftLine(s.header, delta, lineDelta);
  for (const l of s.lines) shiftLine(l, delta, lineDelta);
  s.issues = s.issues.map((i) => ({ ...i, start: i.start + delta, end: i.end + delta }));
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Index of the last section starting at or before `offset`; -1 when it lies before the first one. */
function sectionIndex(sections: Section[], offset: number): number {
  let lo = -1;
  let hi = sections.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sections[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Re-reads only the sections that the edit between `previous` and `file` touches: sections before
 * it are kept as they are, sections after it are moved; both keep their identity, so the engine
 * re-checks only what changed. Undefined when the edit does not fit this (then the whole file is read).
 */
function parseReusing(file: SourceFile, version: string, previous: HaproxyModel): HaproxyModel | undefined {
  const text = file.text;
  const old = previous.file.text;
  const secs = previous.sections;
  const limit = Math.min(text.length, old.length);
  let prefix = 0;
  while (prefix < limit && text.charCodeAt(prefix) === old.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && text.charCodeAt(text.length - 1 - suffix) === old.charCodeAt(old.length - 1 - suffix)) suffix++;
  const delta = text.length - old.length;

  // The edited window, widened to whole sections; the section before the edit is included because
  // a changed header can hand its lines to it.
  const first = prefix === 0 ? -1 : sectionIndex(secs, prefix - 1);
  const last = Math.max(first, sectionIndex(secs, old.length - suffix));
  const from = first < 0 ? 0 : secs[first].start;
  const oldTo = last + 1 < secs.length ? secs[last + 1].start : old.length;
  const to = oldTo + delta;
  if (first >= 0) {
    const nl = text.indexOf('\n', from);
    if (!headerWord(text, from, nl < 0 ? text.length : nl)) return undefined;
  }

  const model = newModel(file, version);
  if (first >= 0) {
    model.preamble = previous.preamble;
    model.outside = previous.outside;
    model.preambleIssues = previous.preambleIssues;
    model.sections = secs.slice(0, first);
  }
  const st: ParseState = { model, section: undefined, blocks: [] };
  readLines(st, text, from, to, first < 0 ? 0 : secs[first].header.line);
  if (first < 0 && text.slice(0, model.sections[0]?.start ?? text.length) === old.slice(0, secs[0]?.start ?? old.length)) {
    model.preamble = previous.preamble;
  }
  const lineDelta = countLines(text, from, to) - countLines(old, from, oldTo);
  for (let i = last + 1; i < secs.length; i++) {
    shiftSection(secs[i], delta, lineDelta);
    model.sections.push(secs[i]);
  }
  collectIssues(model);
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

