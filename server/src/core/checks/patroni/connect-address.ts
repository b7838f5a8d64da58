import type { PatroniModel } from '../../documents/yaml/patroni';
import { valueAt, valueRange } from '../../documents/yaml/patroni';
import type { PathSegment } from '../../documents/yaml/yaml-document';

/** Settings other members use to reach this one. */
export const ADDRESS_SETTINGS: readonly PathSegment[][] = [
  ['restapi', 'connect_address'],
  ['postgresql', 'connect_address'],
  ['postgresql', 'proxy_address'],
  ['raft', 'self_addr'],
];

/** The host of `host:port` (brackets of an IPv6 literal removed), as Patroni splits it: at the last colon. */
export function hostOf(address: string): string {
  const a = address.trim();
  const bracket = /^\[([^\]]*)\](?::\d*)?$/.exec(a);
  if (bracket) return bracket[1];
  const colon = a.lastIndexOf(':');
  return colon >= 0 ? a.slice(0, colon) : a;
}

export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '*' || host === '::' || host === '[::]';
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Each address setting with its host and value range. */
export function addresses(model: PatroniModel): { path: PathSegment[]; host: string; start: number; end: number }[] {
  const out: { path: PathSegment[]; host: string; start: number; end: number }[] = [];
  for (const path of ADDRESS_SETTINGS) {
    const v = valueAt(model, path);
    if (typeof v !== 'string') continue;
    const r = valueRange(model, path);
    if (r) out.push({ path, host: hostOf(v), ...r });
  }
  return out;
}
