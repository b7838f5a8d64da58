/**
 * YAML text from a tree of values, written in every way YAML allows: block and flow collections
 * mixed, indentation of 1 to 4 spaces (sequences indented or not under their key), every scalar
 * style with chomping indicators, tags, anchors, comments at the end of lines and on lines of their
 * own, document markers. Every choice comes from a tape of small numbers (read in a cycle), so
 * fast-check shrinks the style of a failing document along with its content. The text need not be
 * valid YAML: the readers must agree on what it is, or both refuse it.
 */

/** A value: a scalar as written plain (it may itself be a quoted form, `"\x41"`), a collection, or an anchor, alias or tag. */
export type Tree = string | { seq: Tree[] } | { map: [Tree, Tree][] } | { alias: string } | { anchor: string; node: Tree } | { tag: string; node: Tree };

export interface Style {
  /** Small numbers; each choice of the writer takes the next one (modulo its number of options). */
  tape: number[];
}

class Writer {
  private i = 0;
  constructor(private readonly tape: readonly number[]) {}

  /** One of `n` options; 0 (the default style) when the tape is empty or shrunk to zeros. */
  pick(n: number): number {
    if (this.tape.length === 0) return 0;
    return this.tape[this.i++ % this.tape.length] % n;
  }

  /** True with chance 1/n (never on a zero tape). */
  sometimes(n: number): boolean {
    return this.pick(n) === n - 1;
  }
}

const COMMENTS = ['# c', '#', '# key: value', '# - item', '#:', '# "', "# '", '# &a *a', '# ---'];

function isCollection(t: Tree): t is { seq: Tree[] } | { map: [Tree, Tree][] } {
  return typeof t === 'object' && ('seq' in t || 'map' in t);
}

/** The node under anchors and tags. */
function core(t: Tree): Tree {
  while (typeof t === 'object' && 'node' in t) t = t.node;
  return t;
}

function quoteSingle(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function scalar(w: Writer, s: string, flow: boolean): string {
  switch (w.pick(flow ? 6 : 8)) {
    case 3:
      return quoteSingle(s);
    case 4:
      return JSON.stringify(s);
    case 5:
      // A plain scalar with the spaces around it that readers must drop.
      return w.sometimes(2) ? `${s}  ` : s;
    default:
      return s;
  }
}

function comment(w: Writer): string {
  return w.sometimes(6) ? ` ${COMMENTS[w.pick(COMMENTS.length)]}` : '';
}

/** The node on one line: scalars, aliases and flow collections. */
function inline(w: Writer, t: Tree): string {
  if (typeof t === 'string') return scalar(w, t, true);
  if ('alias' in t) return `*${t.alias}`;
  if ('anchor' in t) return `&${t.anchor} ${inline(w, t.node)}`;
  if ('tag' in t) return `${t.tag} ${inline(w, t.node)}`;
  const sep = [', ', ',', ' , ', ',\t'][w.pick(4)];
  if ('seq' in t) return `[${t.seq.map((x) => inline(w, x)).join(sep)}${w.sometimes(8) ? ',' : ''}]`;
  return `{${t.map.map(([k, v]) => (w.sometimes(10) ? inline(w, k) : `${inline(w, k)}:${w.sometimes(12) ? '' : ' '}${inline(w, v)}`)).join(sep)}}`;
}

/** A literal or folded block scalar: its indicator (with a comment, sometimes), then its lines at `indent`. */
function blockScalar(w: Writer, s: string, indent: number): string[] {
  const indicator = ['|', '>', '|-', '>-', '|+', '>+', '|2', '>1-'][w.pick(8)];
  const pad = ' '.repeat(indent);
  return [indicator + comment(w), ...s.split('\n').map((l) => (l === '' && w.sometimes(2) ? '' : pad + l))];
}

const sp = (n: number) => ' '.repeat(n);

/**
 * A value that spans lines (a quoted scalar with line breaks) with its continuation lines indented
 * below its key, as people write them. The `yaml` library refuses continuation lines indented less
 * than that, where PyYAML and go-yaml read them (support/known-differences.ts).
 */
function indentContinuation(line: string, col: number): string {
  return line.includes('\n') ? line.replace(/\n(?=[^\n])/g, `\n${sp(col)}`) : line;
}

/**
 * Lines of a node written after `head` (`key:`, `-`, or '' at the top), the head standing at column
 * `col`. Collections go below it: under a key `unit` further in (a sequence sometimes at the key's
 * own column), under a dash two further (the first entry on the dash's line, sometimes).
 */
function block(w: Writer, t: Tree, head: string, col: number, unit: number): string[] {
  const c = core(t);
  const props = (x: Tree): string => (typeof x === 'object' && 'anchor' in x ? `&${x.anchor} ${props(x.node)}` : typeof x === 'object' && 'tag' in x ? `${x.tag} ${props(x.node)}` : '');
  const join = (a: string, b: string) => (a === '' ? b : b === '' ? a : `${a} ${b}`);
  const first = (rest: string) => sp(col) + join(head, rest);
  if (!isCollection(c) || w.sometimes(6) || ('seq' in c && c.seq.length === 0) || ('map' in c && c.map.length === 0)) {
    if (typeof c === 'string' && (c.includes('\n') || w.sometimes(12)) && w.pick(3) > 0) {
      const [indicator, ...rest] = blockScalar(w, c, col + (head === '-' ? 2 : unit));
      return [first(join(props(t).trimEnd(), indicator)), ...rest];
    }
    return [indentContinuation(first(inline(w, t)), col + unit) + comment(w)];
  }
  const at = head === '' ? col : head === '-' ? col + 2 : 'seq' in c && w.sometimes(3) ? col : col + unit;
  const out: string[] = [];
  const items: [string, Tree][] = 'seq' in c ? c.seq.map((x) => ['-', x]) : c.map.map(([k, v]) => [`${isCollection(core(k)) ? `? ${inline(w, k)}\n${sp(at)}` : inline(w, k)}:`, v]);
  for (const [h, v] of items) {
    if (w.sometimes(10)) out.push(sp(w.pick(6)) + COMMENTS[w.pick(COMMENTS.length)]);
    out.push(...block(w, v, h, at, unit));
  }
  const own = props(t).trimEnd();
  // The first entry on the head's line (`- key: v`, `- - x`), or the collection below the head.
  if (head === '-' && own === '' && w.pick(3) > 0 && out.length > 0 && out[0].startsWith(sp(at)) && out[0][at] !== ' ') {
    out[0] = `${sp(col)}- ${out[0].slice(at)}`;
    return out;
  }
  if (head === '' && own === '') return out;
  return [first(own) + comment(w), ...out];
}

/** One document's text. */
export function renderDocument(tree: Tree, style: Style): string {
  const w = new Writer(style.tape);
  const unit = [2, 2, 4, 1, 3][w.pick(5)];
  const start = ['', '', '---\n', '--- ', '%YAML 1.1\n---\n', '# head\n'][w.pick(6)];
  const lines = block(w, tree, '', 0, unit);
  const body = start === '--- ' && isCollection(core(tree)) && !('node' in (tree as object)) ? `---\n${lines.join('\n')}` : start + lines.join('\n');
  const end = ['\n', '\n', '', '\n...\n', '\n\n# tail\n'][w.pick(5)];
  const eol = ['\n', '\n', '\n', '\r\n'][w.pick(4)];
  return (body + end).replace(/\n/g, eol);
}

/** Several documents of one stream. */
export function renderStream(trees: Tree[], style: Style): string {
  let out = '';
  trees.forEach((t, i) => {
    const doc = renderDocument(t, { tape: style.tape.slice(i) });
    // A marker starts a line; directives may follow only the end of a document.
    if (i > 0) out += `${/\n$/.test(out) ? '' : '\n'}${doc.startsWith('%') ? '...\n' : '---\n'}`;
    out += doc;
  });
  return out;
}

