/** Deterministic mutations of HAProxy configs for the differential test against the real haproxy. */

export type MutationClass = 'delete-token' | 'misspell-keyword' | 'change-number' | 'duplicate-line';

export interface Mutant {
  base: string;
  cls: MutationClass;
  /** 0-based line that was changed (for duplicate-line: the inserted copy). */
  line: number;
  text: string;
  what: string;
}


const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** Words of a line with their columns; quoting is ignored on purpose (mutations may break it). */
function words(line: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) {
    if (m[0].startsWith('#')) break;
    out.push({ text: m[0], at: m.index });
  }
  return out;
}

function misspell(r: () => number, w: string): string {
  if (w.length < 3) return `${w}x`;
  const i = 1 + Math.floor(r() * (w.length - 2));
  switch (Math.floor(r() * 3)) {
    case 0:
      return w.slice(0, i) + w.slice(i + 1); // drop a letter
    case 1:
      return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2); // swap two letters
    default:
      return w.slice(0, i) + w[i] + w.slice(i); // double a letter
  }
}

const NUMBER = /^(\d+)([a-z]*)$/;

function changeNumber(r: () => number, w: string): string {
  const m = NUMBER.exec(w)!;
  switch (Math.floor(r() * 4)) {
    case 0:
      return `${m[1]}${pick(r, ['sec', 'x', 'mn', 'S'])}`;
    case 1:
      return String(Number(m[1]) + 1 + Math.floor(r() * 100)) + m[2];
    case 2:
      return `${m[1]}.5${m[2]}`;
    default:
      return `-${m[1]}${m[2]}`;
  }
}

/** Up to `count` mutants of one file, spread over its non-comment lines. */
export function mutate(base: string, text: string, count: number, r: () => number): Mutant[] {
  const lines = text.split('\n');
  const candidates = lines.map((l, i) => ({ l, i, w: words(l) })).filter((x) => x.w.length > 0 && !x.w[0].text.startsWith('.'));
  const out: Mutant[] = [];
  for (let tries = 0; out.length < count && tries < count * 5 && candidates.length > 0; tries++) {
    const c = pick(r, candidates);
    const cls = pick(r, ['delete-token', 'misspell-keyword', 'change-number', 'duplicate-line'] as const);
    const copy = lines.slice();
    let what = '';
    let line = c.i;
    if (cls === 'delete-token') {
      if (c.w.length < 2) continue;
      const w = c.w[1 + Math.floor(r() * (c.w.length - 1))];
      copy[c.i] = c.l.slice(0, w.at) + c.l.slice(w.at + w.text.length);
      what = `deleted "${w.text}"`;
    } else if (cls === 'misspell-keyword') {
      const w = c.w[0];
      const bad = misspell(r, w.text);
      if (bad === w.text) continue;
      copy[c.i] = c.l.slice(0, w.at) + bad + c.l.slice(w.at + w.text.length);
      what = `"${w.text}" → "${bad}"`;
    } else if (cls === 'change-number') {
      const nums = c.w.filter((w) => NUMBER.test(w.text));
      if (nums.length === 0) continue;
      const w = pick(r, nums);
      const bad = changeNumber(r, w.text);
      copy[c.i] = c.l.slice(0, w.at) + bad + c.l.slice(w.at + w.text.length);
      what = `"${w.text}" → "${bad}"`;
    } else {
      copy.splice(c.i + 1, 0, c.l);
      line = c.i + 1;
      what = 'duplicated';
    }
    const mutated = copy.join('\n');
    if (out.some((m) => m.text === mutated)) continue;
    out.push({ base, cls, line, text: mutated, what });
  }
  return out;
}
