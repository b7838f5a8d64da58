// Where the workspace configures a live cluster or member ("Open config" in the clusters view).
import type { Range } from '../line-index';
import type { LiveTargetFact, WorkspaceView } from '../types';
import { memberAddresses, readClusters, sameAddress } from './match';
import type { Member, SystemKind } from './snapshot';

export interface MemberQuery {
  kind: SystemKind;
  /** The cluster's name as its state carries it (Patroni scope, Sentinel master, HAProxy endpoint). */
  cluster: string;
  /** A member's name; absent for the cluster itself. */
  member?: string;
}

export interface MemberLocation {
  uri: string;
  range: Range;
}

const atAddresses = (t: LiveTargetFact, addresses: string[]) => t.addresses.some((a) => addresses.some((b) => sameAddress(a, b)));

/** How well a target describes what is asked: 0 not at all; higher first. */
function score(t: LiveTargetFact, q: MemberQuery, member: Member | undefined, siblings: readonly Member[]): number {
  const addresses = member ? memberAddresses(member) : [];
  switch (q.kind) {
    case 'patroni':
      // A file of another scope is another cluster, whatever its addresses.
      if (t.kind !== 'patroni' || (t.cluster !== undefined && t.cluster !== q.cluster)) return 0;
      if (q.member === undefined) return t.cluster === q.cluster ? 3 : siblings.some((m) => atAddresses(t, memberAddresses(m))) ? 2 : 0;
      if (t.name === q.member) return 4;
      break;
    case 'sentinel':
      if (t.role === 'master' && t.cluster === q.cluster) return q.member === undefined ? 3 : 1;
      if (q.member !== undefined && t.role === 'node' && atAddresses(t, addresses)) return 4;
      return 0;
    case 'haproxy':
      if (t.kind !== 'haproxy') return 0;
      if (member) return t.cluster === member.group && t.name === member.name ? 4 : 0;
      return siblings.some((m) => m.role === 'server' && m.group === t.cluster && m.name === t.name) ? 1 : 0;
    default:
      break;
  }
  // PostgreSQL and Kubernetes members, and Patroni members known only by address.
  return t.kind !== 'haproxy' && addresses.length > 0 && atAddresses(t, addresses) ? 2 : 0;
}

/** The files and ranges that define the cluster or member, the best match first; empty when none does. */
export function memberLocations(workspace: WorkspaceView, q: MemberQuery): MemberLocation[] {
  const state = readClusters(workspace.live?.(), q.kind).find((c) => c.name === q.cluster);
  const siblings = state?.members ?? [];
  const member = q.member === undefined ? undefined : siblings.find((m) => m.name === q.member);
  const found = (workspace.liveTargets?.() ?? [])
    .map((t) => ({ t, s: score(t, q, member, siblings) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || (a.t.uri < b.t.uri ? -1 : a.t.uri > b.t.uri ? 1 : 0) || a.t.range.start.line - b.t.range.start.line);
  const seen = new Set<string>();
  const out: MemberLocation[] = [];
  for (const { t } of found) {
    const key = `${t.uri}#${t.range.start.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ uri: t.uri, range: t.range });
  }
  return out;
}
