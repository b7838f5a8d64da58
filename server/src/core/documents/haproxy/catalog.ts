import data from '../../../../../schemas/haproxy/keywords.json';

/** Value types the catalog knows for single-argument keywords and options. */
/** `positive`: read like C atoi() and required to be above 0 (server fall/rise). */
export type ValueType = 'time' | 'size' | 'integer' | 'positive';

export interface KeywordSpec {
  since: string;
  /** Minimum and maximum argument counts, present only where HAProxy enforces them. */
  min?: number;
  max?: number;
  type?: ValueType;
  /** The only argument counts HAProxy accepts, where they are not a range (option pgsql-check: none or "user <name>"). */
  counts?: number[];
  /** Proxy sections where the keyword applies (proxy keywords only). */
  in?: string[];
  /** Proxy sections where HAProxy rejects the keyword instead of ignoring it. */
  rejectIn?: string[];
  /** May be prefixed by `no` (proxy options marked so in the manual). */
  noable?: boolean;
  deprecated?: boolean;
  enum?: string[];
  syntax?: string[];
  desc: string;
}

export interface OptionSpec {
  since: string;
  /** Number of values the option takes; `variadic` means the rest of the line cannot be checked. */
  args?: number;
  variadic?: boolean;
  type?: ValueType;
  enum?: string[];
  syntax?: string[];
  desc: string;
}

export interface RemovedSpec {
  removedIn: string;
  replacement: string;
  sections: 'proxy' | 'global';
}

export interface SectionHeaderSpec {
  since: string;
  name: 'none' | 'optional' | 'required';
  desc: string;
}

interface CatalogData {
  versions: string[];
  proxySections: string[];
  sections: Record<string, Record<string, KeywordSpec>>;
  proxy: Record<string, KeywordSpec>;
  server: Record<string, OptionSpec>;
  bind: Record<string, OptionSpec>;
  removed: Record<string, RemovedSpec>;
  sectionHeaders: Record<string, SectionHeaderSpec>;
}

export const CATALOG = data as unknown as CatalogData;

export const PROXY_SECTIONS: readonly string[] = CATALOG.proxySections;

export function isProxySection(type: string): boolean {
  return PROXY_SECTIONS.includes(type);
}

/** Compares dotted versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The keyword table of a section type. */
export function keywordTable(sectionType: string): Record<string, KeywordSpec> {
  return isProxySection(sectionType) ? CATALOG.proxy : (CATALOG.sections[sectionType] ?? {});
}

function has<T>(table: Record<string, T>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(table, key);
}

export function lookupKeyword(sectionType: string, name: string): KeywordSpec | undefined {
  const table = keywordTable(sectionType);
  return has(table, name) ? table[name] : undefined;
}

export function lookupOption(kind: 'server' | 'bind', name: string): OptionSpec | undefined {
  const table = CATALOG[kind];
  return has(table, name) ? table[name] : undefined;
}

/** A removed directive as it would be read in a section of this type. */
export function lookupRemoved(name: string, sectionType?: string): RemovedSpec | undefined {
  const r = has(CATALOG.removed, name) ? CATALOG.removed[name] : undefined;
  if (!r || sectionType === undefined) return r;
  return (r.sections === 'proxy') === isProxySection(sectionType) && (r.sections === 'proxy' || sectionType === 'global') ? r : undefined;
}

export function lookupSection(name: string): SectionHeaderSpec | undefined {
  return has(CATALOG.sectionHeaders, name) ? CATALOG.sectionHeaders[name] : undefined;
}

/** Levenshtein distance, bounded: returns limit + 1 as soon as it is certain to exceed it. */
export function editDistance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** The closest candidate within a distance that grows with the word's length, if any. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestD = limit + 1;
  for (const c of candidates) {
    const d = editDistance(word, c, limit);
    if (d < bestD || (d === bestD && best !== undefined && c < best)) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= limit ? best : undefined;
}
