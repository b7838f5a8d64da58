/** One argument of a config line, as Redis's argument splitter reads it. */
export interface Token {
  /** The argument after quote removal and escape processing. */
  value: string;
  /** Offsets of the raw text of the argument (quotes included) in the document. */
  start: number;
  end: number;
  quoted: boolean;
}

export interface SplitResult {
  tokens: Token[];
  /** Set when Redis would refuse the line ("Unbalanced quotes in configuration line"). */
  error?: { start: number; end: number; message: string };
}

const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

/**
 * Splits `text[from, to)` into arguments the way Redis does when it loads a config file:
 * double quotes know \n \r \t \b \a \xHH and backslash-anything, single quotes only \',
 * a closing quote must be followed by a blank or the end of the line. Linear in the line length.
 */
export function splitArgs(text: string, from: number, to: number): SplitResult {
  const tokens: Token[] = [];
  let p = from;
  for (;;) {
    while (p < to && isBlank(text[p])) p++;
    if (p >= to) return { tokens };
    const start = p;
    let value = '';
    let quoted = false;
    // Plain characters are copied a run at a time: one slice per run, not one string per character.
    let run = p;
    while (run < to && !isPlainEnd(text[run])) run++;
    value += text.slice(p, run);
    p = run;
    if (p < to && (text[p] === '"' || text[p] === "'")) {
      // A quote, even in the middle of an argument, starts a quoted part that ends the argument.
      quoted = true;
      const r = text[p] === '"' ? readDouble(text, p + 1, to) : readSingle(text, p + 1, to);
      if (r.kind === 'open') return { tokens, error: unclosed(start, to, text[p]) };
      if (r.kind === 'glued') return { tokens, error: closingError(start, Math.min(to, r.at + 2)) };
      value += r.value;
      p = r.next;
    }
    tokens.push({ value, start, end: p, quoted });
    if (p < to) p++;
  }
}

/** Ends an unquoted run: a separator or the start of a quoted part. */
function isPlainEnd(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '"' || c === "'";
}

type QuoteResult = { kind: 'closed'; value: string; next: number } | { kind: 'open' } | { kind: 'glued'; at: number };

/** Reads a double-quoted part from just after its opening quote. */
function readDouble(text: string, p: number, to: number): QuoteResult {
  let value = '';
  let run = p;
  while (p < to) {
    const c = text[p];
    if (c === '\\' && p + 1 < to) {
      value += text.slice(run, p);
      if (text[p + 1] === 'x' && p + 3 < to && isHex(text[p + 2]) && isHex(text[p + 3])) {
        value += String.fromCharCode(parseInt(text.slice(p + 2, p + 4), 16));
        p += 4;
      } else {
        value += ESCAPES[text[p + 1]] ?? text[p + 1];
        p += 2;
      }
      run = p;
    } else if (c === '"') {
      if (p + 1 < to && !isBlank(text[p + 1])) return { kind: 'glued', at: p };
      return { kind: 'closed', value: value + text.slice(run, p), next: p + 1 };
    } else {
      p++;
    }
  }
  return { kind: 'open' };
}

/** Reads a single-quoted part from just after its opening quote: only \' is an escape. */
function readSingle(text: string, p: number, to: number): QuoteResult {
  let value = '';
  let run = p;
  while (p < to) {
    const c = text[p];
    if (c === '\\' && text[p + 1] === "'" && p + 1 < to) {
      value += text.slice(run, p) + "'";
      p += 2;
      run = p;
    } else if (c === "'") {
      if (p + 1 < to && !isBlank(text[p + 1])) return { kind: 'glued', at: p };
      return { kind: 'closed', value: value + text.slice(run, p), next: p + 1 };
    } else {
      p++;
    }
  }
  return { kind: 'open' };
}

function unclosed(start: number, end: number, quote: string): { start: number; end: number; message: string } {
  return { start, end, message: `Unbalanced quotes: this ${quote === '"' ? 'double' : 'single'}-quoted argument is never closed. Add the closing quote.` };
}

function closingError(start: number, end: number): { start: number; end: number; message: string } {
  return { start, end, message: 'Unbalanced quotes: a closing quote must be followed by a space or the end of the line. Put a space after the quote or quote the whole argument.' };
}
