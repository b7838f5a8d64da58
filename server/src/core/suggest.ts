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
 * The candidates closest to `word`, best first: same name ignoring case, `-` and `_`,
 * then small edit distances (about a third of the word's length, at most 3). The one
 * "did you mean" of every format.
 */
export function closest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
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
