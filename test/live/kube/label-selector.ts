// Kubernetes label selectors as the API server reads them (`a`, `!a`, `a=b`, `a==b`, `a!=b`,
// `a in (x,y)`, `a notin (x,y)`, joined by commas), for the replay server's lists and watches.

type Term = (labels: Record<string, string>) => boolean;

function parseTerm(raw: string): Term {
  const t = raw.trim();
  let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(t);
  if (m) {
    const [, key, op, list] = m;
    const values = list.split(',').map((v) => v.trim());
    return op === 'in' ? (l) => key in l && values.includes(l[key]) : (l) => !(key in l) || !values.includes(l[key]);
  }
  m = /^([^\s!=]+)\s*(!=|==|=)\s*(\S*)$/.exec(t);
  if (m) {
    const [, key, op, value] = m;
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  if (t.startsWith('!')) {
    const key = t.slice(1).trim();
    return (l) => !(key in l);
  }
  if (/^[^\s!=(),]+$/.test(t)) return (l) => t in l;
  throw new Error(`unparsable label selector term '${raw}'`);
}

/** Splits on the commas between terms, not those inside `in (…)`. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

/** Whether `labels` satisfy `selector`; an absent or empty selector selects everything. */
export function matches(selector: string | undefined, labels: Record<string, string>): boolean {
  if (!selector?.trim()) return true;
  return terms(selector).every((t) => parseTerm(t)(labels));
}
