/** Edit distance with adjacent transpositions, stopping early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2] + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return limit + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** How many edits a "did you mean" may be away from the word: 1 for short words, at most 3. */
function editLimit(word: string): number {
  return Math.min(3, Math.max(1, Math.floor(word.length / 3)));
}

/**
 * Names as compared, memoised: the catalogs' keywords are normalised once, not at every unknown
 * word. Only short names are kept (a long token of a file is not held), and the memo is emptied
 * when full, so a file's thousands of names cannot grow it.
 */
const normalisedOf = new Map<string, string>();
const NORMALISED_MEMO = 20_000;
const MEMO_NAME_LENGTH = 64;

function normalised(s: string): string {
  let n = normalisedOf.get(s);
  if (n === undefined) {
    n = s.toLowerCase().replace(/[-_\s]/g, '');
    if (s.length <= MEMO_NAME_LENGTH) {
      if (normalisedOf.size >= NORMALISED_MEMO) normalisedOf.clear();
      normalisedOf.set(s, n);
    }
  }
  return n;
}

/**
 * The candidates closest to `word`, best first: same name ignoring case, `-` and `_`,
 * then small edit distances (about a third of the word's length, at most 3). The one
 * "did you mean" of every format.
 */
export function closest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const norm = normalised;
  const w = norm(word);
  const limit = editLimit(word);
  const scored: { name: string; score: number }[] = [];
  for (const c of candidates) {
    if (c === word) continue;
    const n = norm(c);
    const score = n === w ? 0 : editDistance(w, n, limit);
    if (score <= limit) scored.push({ name: c, score });
  }
  return scored
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, max)
    .map((s) => s.name);
}

/** The closest candidate, if one is near enough: for messages that offer a single correction. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  return closest(word, candidates, 1)[0];
}

/** Comparisons one NameSuggester makes at most; past them it suggests nothing more. */
export const SUGGESTION_BUDGET = 200_000;

/**
 * "Did you mean" among names the file itself defines (Sentinel masters, HAProxy backends), which
 * may be thousands, asked for as many times: the names are normalised once and grouped by length,
 * only those near the word's length are compared, answers are kept per word, and the comparisons
 * are bounded, so a file full of unknown names stays linear. Within the bound it answers as
 * didYouMean does.
 */
export class NameSuggester {
  private readonly byLength = new Map<number, Array<{ name: string; norm: string }>>();
  private readonly answers = new Map<string, string | undefined>();
  private left: number;

  constructor(names: Iterable<string> = [], budget = SUGGESTION_BUDGET) {
    this.left = budget;
    for (const name of names) this.add(name);
  }

  /** A name defined further on in the file. */
  add(name: string): void {
    const norm = normalised(name);
    const list = this.byLength.get(norm.length);
    if (list) list.push({ name, norm });
    else this.byLength.set(norm.length, [{ name, norm }]);
    if (this.answers.size > 0) this.answers.clear();
  }

  suggest(word: string): string | undefined {
    if (this.answers.has(word)) return this.answers.get(word);
    const w = normalised(word);
    const limit = editLimit(word);
    let best: { name: string; score: number } | undefined;
    for (let length = w.length - limit; length <= w.length + limit; length++) {
      for (const c of this.byLength.get(length) ?? []) {
        if (c.name === word) continue;
        if (this.left-- <= 0) return undefined;
        const score = c.norm === w ? 0 : editDistance(w, c.norm, limit);
        if (score > limit) continue;
        if (!best || score < best.score || (score === best.score && c.name.localeCompare(best.name) < 0)) best = { name: c.name, score };
      }
    }
    this.answers.set(word, best?.name);
    return best?.name;
  }
}
