// From what the `yaml` library composed to what the checks read: a document's value (or why it was
// not built), its problems, and the problems of the text itself.
import type { Document, Node } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { LimitProblem } from './yaml-compose';
import { aliasProblem } from './yaml-compose';
import type { YamlDocument, YamlOptions, YamlProblem } from './yaml-document';
import { patroniEncodingProblem, refusedCharacter, withLineFeeds } from './yaml-text';
import { tabPyYamlRefuses } from './yaml-tabs';
import { kubectlTextProblems } from './kubectl-text';
import { emptyKeyPyYaml, flowScalarProblem } from './yaml-flow-rules';

/** A problem the `yaml` library reported, in offsets within the text. */
export function libraryProblem(e: { pos: [number, number]; message: string; code: string }, textLength: number): YamlProblem {
  const start = Math.max(0, Math.min(e.pos[0], textLength));
  const end = Math.max(start, Math.min(e.pos[1], textLength));
  // The first line of the library's message is the useful part; the rest repeats the source.
  return { start, end, message: e.message.split('\n')[0], code: e.code };
}

/** The scalar value of a key node as a string, or undefined for complex keys. */
export function keyName(key: unknown): string | undefined {
  if (isScalar(key)) {
    // A YAML 1.1 merge key is parsed with a symbol value; its source text is `<<`.
    if (typeof key.value === 'symbol') return key.source ?? '<<';
    return key.value === null ? '' : String(key.value);
  }
  return undefined;
}

export function repeatedKey(name: string, start: number, end: number): YamlProblem {
  return { start, end, message: `Map keys must be unique; "${name}" is repeated.`, code: 'DUPLICATE_KEY' };
}

/** Keys written twice in one mapping (scalar keys only), found with one Set per mapping. */
export function duplicateKeys(root: unknown): YamlProblem[] {
  const out: YamlProblem[] = [];
  const stack: unknown[] = [root];
  const seen = new Set<unknown>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (seen.has(node)) continue;
    seen.add(node);
    if (isMap(node)) {
      const keys = new Set<string>();
      for (const item of node.items) {
        const name = keyName(item.key);
        const r = (item.key as Node | null)?.range;
        if (name !== undefined && name !== '<<' && r) {
          if (keys.has(name)) out.push(repeatedKey(name, r[0], r[1]));
          keys.add(name);
        }
        stack.push(item.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return out;
}

/** Mapping keys that are lists or mappings: kubectl turns keys into JSON property names and refuses these ("invalid map key"). */
function collectionKeys(root: unknown): YamlProblem[] {
  const out: YamlProblem[] = [];
  const stack: unknown[] = [root];
  const seen = new Set<unknown>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (seen.has(node)) continue;
    seen.add(node);
    if (isMap(node)) {
      for (const item of node.items) {
        const key = item.key as Node | null;
        if ((isMap(key) || isSeq(key)) && key.range) {
          const message = `kubectl refuses a ${isMap(key) ? 'mapping' : 'list'} as a mapping key ("invalid map key"): it turns every key into a JSON property name. Use a text key.`;
          out.push({ start: key.range[0], end: key.range[1], code: 'BAD_KEY', message, sentence: true });
        }
        stack.push(item.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return out;
}

/** The document as the checks read it: its value, unless it goes past a limit, and every problem. */
export function toYamlDocument(doc: Document.Parsed, textLength: number, reader: YamlOptions['schema'], nesting: LimitProblem | undefined, aliases: boolean): YamlDocument {
  let value: unknown;
  const unbuilt: YamlProblem[] = [];
  let unvalidated: YamlProblem | undefined;
  const limit = nesting ?? exhausted(doc) ?? (aliases ? aliasProblem(doc, reader) : undefined);
  if (limit) {
    // Past a limit the value is not built: the reading program refuses it, or hatopo does not validate it.
    const { refused, ...p } = limit;
    if (refused) unbuilt.push(p);
    else unvalidated = p;
  } else {
    try {
      // Aliases are measured above; the library shares an aliased value instead of copying it.
      value = doc.toJS({ maxAliasCount: -1 });
    } catch (e) {
      // A merge key whose value is not a mapping, an alias with no anchor: the program reading the file fails here too.
      value = undefined;
      const at = unbuiltAt(doc);
      if (doc.errors.length === 0) unbuilt.push({ start: at, end: at, message: e instanceof Error ? e.message : String(e), code: 'VALUE_FAILED' });
    }
  }
  const [start, , end] = doc.range;
  return {
    doc,
    start,
    end,
    value,
    errors: [...doc.errors.map((e) => libraryProblem(e, textLength)), ...unbuilt, ...duplicateKeys(doc.contents), ...(reader === 'kubectl' ? collectionKeys(doc.contents) : [])].sort((a, b) => a.start - b.start),
    warnings: doc.warnings.map((e) => libraryProblem(e, textLength)),
    unvalidated,
  };
}

/**
 * The `yaml` composer turns a stack overflow into an error of the document (RESOURCE_EXHAUSTION):
 * that is no syntax error, but a document hatopo could not read where it ran.
 */
function exhausted(doc: Document.Parsed): LimitProblem | undefined {
  const i = doc.errors.findIndex((e) => e.code === 'RESOURCE_EXHAUSTION');
  if (i < 0) return undefined;
  const [e] = doc.errors.splice(i, 1);
  const message = `hatopo ran out of stack while reading this document (${e.message.split('\n')[0]}): it was not validated.`;
  return { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1), code: 'NOT_VALIDATED', message, refused: false, sentence: true };
}

/** Where building a value failed: the first alias with no anchor before it, else where the contents start. */
function unbuiltAt(doc: Document.Parsed): number {
  const anchors = new Set<string>();
  let found: number | undefined;
  visit(doc.contents, (node) => {
    if (found !== undefined) return;
    if (isAlias(node)) {
      if (!anchors.has(node.source)) found = node.range?.[0];
    } else {
      const anchor = (node as { anchor?: string }).anchor;
      if (anchor) anchors.add(anchor);
    }
  });
  return found ?? (doc.contents as Node | null)?.range?.[0] ?? doc.range[0];
}

/** Every node under `root` in document order (keys before values), without recursion. */
function visit(root: unknown, fn: (node: Node) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    fn(node as Node);
    if (isMap(node) || isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i];
        if (isPair(item)) stack.push(item.value, item.key);
        else stack.push(item);
      }
    }
  }
}

/** A directive problem at the line `line` found at `at`. */
function directiveProblem(at: number, line: string, message: string): YamlProblem {
  return { start: at, end: at + Math.max(1, line.replace(/\r$/, '').length), code: 'DIRECTIVE', sentence: true, message };
}

/** What PyYAML refuses in one run of directives (the lines before a `---`) that the `yaml` library reads. */
function directiveRunProblem(text: string, from: number, to: number): YamlProblem | undefined {
  let version: string | undefined;
  const handles = new Set<string>();
  const lines = /^%[^\n]*/gm;
  lines.lastIndex = from;
  for (let m = lines.exec(text); m && m.index < to; m = lines.exec(text)) {
    const [name, value] = m[0].replace(/\r$/, '').replace(/[ \t]+#.*$/, '').slice(1).split(/[ \t]+/);
    if (name === 'YAML') {
      if (version !== undefined) return directiveProblem(m.index, m[0], 'PyYAML refuses a second %YAML directive before one document ("found duplicate YAML directive"); Patroni cannot read the file. Keep one.');
      version = value;
      if (value && !/^1\./.test(value)) return directiveProblem(m.index, m[0], `PyYAML reads only YAML 1.x ("found incompatible YAML document"), and this says ${value}; Patroni cannot read the file. Write %YAML 1.1 or remove the line.`);
    } else if (name === 'TAG' && value) {
      if (handles.has(value)) return directiveProblem(m.index, m[0], `PyYAML refuses a second %TAG directive for the handle ${value} before one document ("duplicate tag handle"); Patroni cannot read the file. Keep one.`);
      handles.add(value);
    }
  }
  return undefined;
}

/**
 * Directives PyYAML refuses where the `yaml` library reads on: a directive that ends the stream
 * after the last document (PyYAML wants a `---` line after directives: "expected
 * '<document start>'"; the library reads an empty stream), two %YAML directives or two %TAG
 * directives for one handle before a document, a %YAML version other than 1.x. (A directive followed
 * by anything but `---`, or inside a document, the library refuses too.) The first one in the slice.
 */
function directiveWithoutStart(text: string, start: number, end: number): YamlProblem | undefined {
  const lines = /^%[^\n]*/gm;
  lines.lastIndex = start;
  for (let m = lines.exec(text); m && m.index < end; m = lines.exec(text)) {
    // The directives, comments and blank lines after it (one run, looked at once), then `---`.
    const after = /(?:(?:%[^\n]*|[ \t]*(?:#[^\n]*)?\r?)(?:\n|$))*/y;
    after.lastIndex = m.index;
    after.exec(text);
    const next = after.lastIndex;
    lines.lastIndex = Math.max(lines.lastIndex, next);
    const run = directiveRunProblem(text, m.index, Math.min(next, end));
    if (run) return run;
    // Followed by `---`, fine; by anything else, the library refuses it as well.
    if (next < end) continue;
    // Inside a document (no `...` or start of the stream before it) the library refuses it too.
    if (!afterDocumentEnd(text, Math.max(start, 0), m.index)) continue;
    return directiveProblem(m.index, m[0], 'PyYAML refuses a directive that no document follows ("expected \'<document start>\', but found \'<stream end>\'"); Patroni cannot read the file. Remove the line.');
  }
  return undefined;
}

/** Whether only blank and comment lines stand between `at` (a line start) and `from` or a `...` line. */
function afterDocumentEnd(text: string, from: number, at: number): boolean {
  let lineEnd = at - 1;
  while (lineEnd > from) {
    const lineStart = text.lastIndexOf('\n', lineEnd - 1) + 1;
    const line = text.slice(Math.max(lineStart, from), lineEnd).replace(/\r$/, '');
    if (/^\.\.\.(?:[ \t]|$)/.test(line)) return true;
    if (!/^[ \t]*(?:#.*)?$/.test(line)) return false;
    lineEnd = lineStart - 1;
  }
  return true;
}

/** Problems of the text itself, as `reader` sees them: characters it refuses, Patroni's encoding. */
export function textProblems(text: string, start: number, end: number, options: YamlOptions): YamlProblem[] {
  const out: YamlProblem[] = [];
  if (options.schema === 'pyyaml') {
    const encoding = patroniEncodingProblem(text, options.encoding);
    if (encoding) out.push(encoding);
    const tab = tabPyYamlRefuses(withLineFeeds(start === 0 && end === text.length ? text : text.slice(start, end)));
    if (tab) out.push({ ...tab, start: tab.start + start, end: tab.end + start });
    const directive = text.includes('%') ? directiveWithoutStart(withLineFeeds(text), start, end) : undefined;
    if (directive) out.push(directive);
    const emptyKey = text.includes(':') ? emptyKeyPyYaml(withLineFeeds(text), start, end) : undefined;
    if (emptyKey) out.push(emptyKey);
  }
  const refused = options.schema ? refusedCharacter(text, start, end, options.schema) : undefined;
  if (refused) out.push(refused);
  const colon = options.schema ? flowScalarProblem(withLineFeeds(text), start, end, options.schema) : undefined;
  if (colon) out.push(colon);
  if (options.schema === 'kubectl') out.push(...kubectlTextProblems(text, start, end));
  return out;
}

/** A document kubectl does not see: its `---` follows a line break its document splitter does not know. */
export function hiddenDocument(at: number): YamlProblem {
  return {
    start: at,
    end: at + 3,
    code: 'HIDDEN_DOCUMENT',
    sentence: true,
    message:
      'kubectl never reads this document: it splits a file into documents at `---` lines that follow a line feed, and this one follows a carriage return (or NEL, LS, PS), so kubectl takes it for part of the document before and ignores it. Use LF or CRLF line breaks.',
  };
}

