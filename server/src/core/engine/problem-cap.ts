// At most MAX_PER_CHECK problems of one check are listed for a file; the rest become one summary.
// Editors show about that many problems of a file anyway, and thousands of diagnostics make every
// edit slow to send and to draw.
import type { Problem } from '../types';

export const MAX_PER_CHECK = 1000;

/**
 * The problems of a file (sorted by place) with those of each check past its first MAX_PER_CHECK
 * replaced by one problem, where the first of them was, that says how many were left out.
 */
export function capPerCheck(problems: readonly Problem[], max = MAX_PER_CHECK): Problem[] {
  const counts = new Map<string, number>();
  for (const p of problems) counts.set(p.code, (counts.get(p.code) ?? 0) + 1);
  if ([...counts.values()].every((n) => n <= max)) return [...problems];
  const seen = new Map<string, number>();
  const out: Problem[] = [];
  for (const p of problems) {
    const n = (seen.get(p.code) ?? 0) + 1;
    seen.set(p.code, n);
    if (n <= max) {
      out.push(p);
    } else if (n === max + 1) {
      const more = counts.get(p.code)! - max;
      out.push({
        start: p.start,
        end: p.end,
        code: p.code,
        severity: p.severity,
        message: `${more.toLocaleString('en-US')} more ${p.code} problem${more === 1 ? '' : 's'} from here on are not listed: hatopo lists at most ${max.toLocaleString('en-US')} problems of one check in a file. Fix those above, or turn the check off, to see the rest.`,
      });
    }
  }
  return out;
}
