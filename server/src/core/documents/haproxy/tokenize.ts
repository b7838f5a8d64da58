/** One word of a line after HAProxy's quoting and escaping rules, with its source span. */
export interface Token {
  /** The word as HAProxy sees it (quotes removed, escapes resolved; environment variables kept as `${NAME}`). */
  text: string;
  start: number;
  end: number;
  quoted: boolean;
  /** Contains an environment variable, so its value is only known at run time. */
  dynamic: boolean;
}

export interface LineIssue {
  start: number;
  end: number;
  message: string;
}

export interface TokenizedLine {
  tokens: Token[];
  comment?: { start: number; end: number };
  issues: LineIssue[];
}

const HEX = /^[0-9a-fA-F]{2}$/;

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\v' || c === '\f';
}

/**
 * Splits one line (without its line feed) the way HAProxy's line parser does:
 * double quotes allow escapes and "$VAR", single quotes are literal, a backslash
 * escapes space, #, quotes and a few control characters, and # starts a comment
 * only outside quotes. `base` is the offset of the line in the document.
 */
export function tokenizeLine(line: string, base: number): TokenizedLine {
  const tokens: Token[] = [];
  const issues: LineIssue[] = [];
  let comment: TokenizedLine['comment'];
  let cur: Token | undefined;
  let squote = false;
  let dquote = false;
  let quoteAt = 0;
  const open = (i: number): Token => {
    if (!cur) {
      cur = { text: '', start: base + i, end: base + i, quoted: false, dynamic: false };
      tokens.push(cur);
    }
    return cur;
  };
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i];
    // HAProxy stops reading a line at a carriage return, even inside quotes.
    if (c === '\r') break;
    if (c === '#' && !squote && !dquote) {
      comment = { start: base + i, end: base + n };
      break;
    }
    if (c === '"' && !squote) {
      const t = open(i);
      t.quoted = true;
      dquote = !dquote;
      quoteAt = i;
      i++;
      t.end = base + i;
      continue;
    }
    if (c === "'" && !dquote) {
      const t = open(i);
      t.quoted = true;
      squote = !squote;
      quoteAt = i;
      i++;
      t.end = base + i;
      continue;
    }
    if (isSpace(c) && !squote && !dquote) {
      cur = undefined;
      i++;
      continue;
    }
    const t = open(i);
    if (c === '\\' && !squote) {
      const next = line[i + 1] ?? '';
      if (next === ' ' || next === '\\' || next === '#' || next === "'" || next === '"') {
        t.text += next;
        i += 2;
      } else if (next === 't' || next === 'n' || next === 'r') {
        t.text += next === 't' ? '\t' : next === 'n' ? '\n' : '\r';
        i += 2;
      } else if (next === '$' && dquote) {
        t.text += '$';
        i += 2;
      } else if (next === 'x') {
        const hex = line.slice(i + 2, i + 4);
        if (!HEX.test(hex)) {
          issues.push({ start: base + i, end: base + Math.min(n, i + 4), message: 'Invalid \\x escape: write two hexadecimal digits after \\x (for example \\x20), or escape the backslash as \\\\.' });
          i += 2;
        } else {
          t.text += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        }
      } else {
        t.text += '\\';
        i += 1;
      }
      t.end = base + i;
      continue;
    }
    if (c === '$' && dquote) {
      i = readVariable(line, i, t, base, issues);
      t.end = base + i;
      continue;
    }
    // Plain characters: copy the whole run at once.
    let j = i + 1;
    while (j < n) {
      const d = line[j];
      if (d === '"' || d === "'" || d === '\\' || d === '#' || d === '$' || d === '\r' || isSpace(d)) break;
      j++;
    }
    t.text += line.slice(i, j);
    i = j;
    t.end = base + i;
  }
  if (squote || dquote) {
    issues.push({
      start: base + quoteAt,
      end: base + n,
      message: `Unterminated ${squote ? 'single' : 'double'} quote: HAProxy rejects this line. Close the quote on the same line, or escape the quote character with a backslash.`,
    });
  }
  return { tokens, comment, issues };
}

/** Reads `$NAME` or `${NAME}` / `${NAME-default}` starting at the `$`; returns the index after it. */
function readVariable(line: string, i: number, t: Token, base: number, issues: LineIssue[]): number {
  const from = i;
  i++;
  const brace = line[i] === '{';
  if (brace) i++;
  const first = line[i] ?? '';
  if (!/[A-Za-z_.]/.test(first)) {
    issues.push({ start: base + from, end: base + i + 1, message: 'Invalid environment variable name after "$": names start with a letter, "_" or "."; escape a literal dollar sign as \\$.' });
    t.text += '$';
    return i;
  }
  const nameStart = i;
  i++;
  while (i < line.length && /[A-Za-z0-9_]/.test(line[i])) i++;
  const name = line.slice(nameStart, i);
  if (brace) {
    if (line[i] === '[' && line.slice(i, i + 3) === '[*]') i += 3;
    if (line[i] === '-') {
      while (i < line.length && line[i] !== '}') i++;
    }
    if (line[i] !== '}') {
      issues.push({ start: base + from, end: base + i, message: `Unmatched "{" in the environment variable reference "\${${name}": close it with "}".` });
      return i;
    }
    i++;
  }
  t.text += `\${${name}}`;
  t.dynamic = true;
  return i;
}
