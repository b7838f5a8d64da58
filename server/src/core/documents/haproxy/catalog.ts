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

export function isProxySection(type: string): boolean {
  return type === 'defaults' || type === 'frontend' || type === 'backend' || type === 'listen';
}

const versionKeys = new Map<string, number[]>();

function versionKey(v: string): number[] {
  let k = versionKeys.get(v);
  if (!k) {
    k = v.split('.').map((n) => parseInt(n, 10) || 0);
    versionKeys.set(v, k);
  }
  return k;
}

/** Compares dotted versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const pa = versionKey(a);
  const pb = versionKey(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * True when something that appeared in `since` is missing from `version`. The oldest catalog
 * version is a baseline ("2.6 or earlier"), so it never counts as newer.
 */
export function newer(since: string, version: string): boolean {
  return since !== CATALOG.versions[0] && compareVersions(since, version) > 0;
}

/** "Since HAProxy 3.0.", or for the oldest catalog version a wording that does not claim it is new there. */
export function sinceText(since: string): string {
  return since === CATALOG.versions[0] ? `Available in HAProxy ${since} and later.` : `Since HAProxy ${since}.`;
}

/** The keyword table of a section type. */
export function keywordTable(sectionType: string): Record<string, KeywordSpec> {
  return isProxySection(sectionType) ? CATALOG.proxy : (CATALOG.sections[sectionType] ?? {});
}

// Maps built once: lookups run for every word of every line.
const toMap = <T>(o: Record<string, T>): Map<string, T> => new Map(Object.entries(o));
const PROXY_MAP = toMap(CATALOG.proxy);
const SECTION_MAPS = new Map(Object.entries(CATALOG.sections).map(([k, v]) => [k, toMap(v)]));
const OPTION_MAPS = { server: toMap(CATALOG.server), bind: toMap(CATALOG.bind) };
const REMOVED_MAP = toMap(CATALOG.removed);
const HEADER_MAP = toMap(CATALOG.sectionHeaders);

export function lookupKeyword(sectionType: string, name: string): KeywordSpec | undefined {
  return (isProxySection(sectionType) ? PROXY_MAP : SECTION_MAPS.get(sectionType))?.get(name);
}

export function lookupOption(kind: 'server' | 'bind', name: string): OptionSpec | undefined {
  return OPTION_MAPS[kind].get(name);
}

/** A removed directive as it would be read in a section of this type. */
export function lookupRemoved(name: string, sectionType?: string): RemovedSpec | undefined {
  const r = REMOVED_MAP.get(name);
  if (!r || sectionType === undefined) return r;
  return (r.sections === 'proxy') === isProxySection(sectionType) && (r.sections === 'proxy' || sectionType === 'global') ? r : undefined;
}

export function lookupSection(name: string): SectionHeaderSpec | undefined {
  return HEADER_MAP.get(name);
}
