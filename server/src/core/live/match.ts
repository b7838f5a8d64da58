// Which live cluster and member a config file describes: by Patroni scope and member name, Sentinel
// master name, HAProxy backend and server, and otherwise by the addresses both name.
import type { LiveTargetFact } from '../types';
import type { ClusterState, LiveSnapshot, Member } from './snapshot';

/** Roles of members that hold data (not Sentinels, not HAProxy's proxies and servers). */
export const DATA_ROLES: ReadonlySet<Member['role']> = new Set(['primary', 'standby-leader', 'sync-standby', 'replica', 'unknown']);

export const isReplicaRole = (role: Member['role']): boolean => role === 'replica' || role === 'sync-standby' || role === 'standby-leader';

/** `host:port` in one spelling: no scheme or path, host lower-cased, IPv6 without brackets, localhost as 127.0.0.1. */
export function normalizeAddress(address: string): string | undefined {
  let a = address.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  a = a.replace(/^[^@/]*@/, '').replace(/\/.*$/, '');
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(a) ?? /^([^:]+):(\d+)$/.exec(a);
  if (!m) return undefined;
  const host = m[1].toLowerCase();
  return `${host === 'localhost' ? '127.0.0.1' : host}:${Number(m[2])}`;
}

/** Whether two addresses name the same listener; a `*` host (a server bound to every address) matches any host. */
export function sameAddress(a: string, b: string): boolean {
  const x = normalizeAddress(a);
  const y = normalizeAddress(b);
  if (!x || !y) return false;
  if (x === y) return true;
  const [hx, px] = [x.slice(0, x.lastIndexOf(':')), x.slice(x.lastIndexOf(':') + 1)];
  const [hy, py] = [y.slice(0, y.lastIndexOf(':')), y.slice(y.lastIndexOf(':') + 1)];
  return px === py && (hx === '*' || hy === '*');
}

/** Every address a live member is reachable at: its data address and its API's. */
export function memberAddresses(m: Member): string[] {
  return [m.address, m.apiUrl].filter((a): a is string => a !== undefined);
}

export function targetAtMember(t: LiveTargetFact, m: Member): boolean {
  return t.addresses.some((a) => memberAddresses(m).some((b) => sameAddress(a, b)));
}

/** The clusters a snapshot could read (states with an error say nothing about members). */
export function readClusters(snapshot: LiveSnapshot | undefined, kind?: ClusterState['kind']): ClusterState[] {
  return (snapshot?.clusters ?? []).filter((c) => c.error === undefined && (kind === undefined || c.kind === kind));
}

export interface PatroniMatch {
  state: ClusterState;
  /** The live member the file configures, when the cluster has it now. */
  member?: Member;
}

/**
 * The live Patroni cluster a patroni.yml belongs to: the one named by its scope (of several, the
 * one that also has its member), else one that has a member at its addresses.
 */
export function matchPatroni(snapshot: LiveSnapshot | undefined, t: LiveTargetFact): PatroniMatch | undefined {
  const clusters = readClusters(snapshot, 'patroni');
  const memberOf = (c: ClusterState) => (t.name !== undefined ? c.members.find((m) => m.name === t.name) : undefined) ?? c.members.find((m) => targetAtMember(t, m));
  const byScope = t.cluster !== undefined ? clusters.filter((c) => c.name === t.cluster) : [];
  const state = byScope.find((c) => memberOf(c) !== undefined) ?? byScope[0] ?? clusters.find((c) => c.members.some((m) => targetAtMember(t, m)));
  if (!state) return undefined;
  const member = memberOf(state);
  return member ? { state, member } : { state };
}

/** The live data member (any system but HAProxy) listening at `address`, with its cluster. */
export function memberAt(snapshot: LiveSnapshot | undefined, addresses: readonly string[]): { state: ClusterState; member: Member } | undefined {
  for (const state of readClusters(snapshot)) {
    if (state.kind === 'haproxy') continue;
    for (const member of state.members) {
      if (DATA_ROLES.has(member.role) && addresses.some((a) => memberAddresses(member).some((b) => sameAddress(a, b)))) return { state, member };
    }
  }
  return undefined;
}

/** HAProxy's own live view of a server line: the server of that backend and name, from any HAProxy read. */
export function haproxyServer(snapshot: LiveSnapshot | undefined, backend: string | undefined, server: string | undefined): { state: ClusterState; member: Member } | undefined {
  if (backend === undefined || server === undefined) return undefined;
  for (const state of readClusters(snapshot, 'haproxy')) {
    const member = state.members.find((m) => m.role === 'server' && m.group === backend && m.name === server);
    if (member) return { state, member };
  }
  return undefined;
}

/** The members a live cluster says accept writes outside its leader: the orphans of a split brain. */
export function orphansOf(state: ClusterState): Set<string> {
  const out = new Set<string>();
  for (const p of state.problems) if (p.code === 'split-brain' && p.member !== undefined) out.add(p.member);
  const writable = state.members.filter((m) => m.writable === true);
  if (writable.length > 1) for (const m of writable) if (m.name !== state.leader) out.add(m.name);
  return out;
}
