// A pod as a cluster member: its role label read in our vocabulary, readiness as health, the node
// and zone it runs in. Only the fields read here are typed, so client-node's V1Pod and plain JSON both fit.
import type { Health, Member, MemberRole } from '../model';

export interface PodLike {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: unknown };
  spec?: { nodeName?: string; containers?: Array<{ name?: string; ports?: Array<{ name?: string; containerPort?: number }> }> };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: Array<{ type?: string; status?: string }>;
    containerStatuses?: Array<{ restartCount?: number }>;
  };
}

export interface NodeLike {
  metadata?: { name?: string; labels?: Record<string, string> };
}

/** Node name → zone (topology.kubernetes.io/zone, or the label it replaced). */
export type Zones = ReadonlyMap<string, string>;

export const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];

export function zonesOf(nodes: readonly NodeLike[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of nodes) {
    const name = n.metadata?.name;
    const zone = ZONE_LABELS.map((l) => n.metadata?.labels?.[l]).find(Boolean);
    if (name && zone) out.set(name, zone);
  }
  return out;
}

export const podName = (p: PodLike): string => p.metadata?.name ?? '';
export const labelsOf = (p: PodLike): Record<string, string> => p.metadata?.labels ?? {};

export function isReady(p: PodLike): boolean {
  return p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Patroni's and the operators' role words: master, primary, replica, slave (Redis). */
export function roleFromLabel(value: string | undefined): MemberRole {
  switch (value) {
    case 'primary':
    case 'master':
    case 'leader':
      return 'primary';
    case 'replica':
    case 'slave':
    case 'standby':
      return 'replica';
    case 'standby_leader':
      return 'standby-leader';
    case 'sync_standby':
      return 'sync-standby';
    default:
      return 'unknown';
  }
}

function port(p: PodLike, names: RegExp, fallback: number): number {
  const ports = (p.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  return ports.find((x) => x.name && names.test(x.name))?.containerPort ?? fallback;
}

export interface MemberExtras {
  /** Port names to look for among the containers' ports (`postgresql`, `redis-client`), then the default port. */
  portNames: RegExp;
  defaultPort: number;
  timeline?: number;
  /** A zone the operator reports for this pod, before the node's label. */
  zone?: string;
  zones: Zones;
}

/** The member a pod is, with `role` decided by the caller from the operator's labels. */
export function podMember(p: PodLike, role: MemberRole, extras: MemberExtras): Member {
  const ready = isReady(p);
  const phase = p.status?.phase ?? 'Unknown';
  const node = p.spec?.nodeName;
  let state = phase;
  let health: Health;
  if (p.metadata?.deletionTimestamp) {
    state = 'Terminating';
    health = 'warning';
  } else if (ready) health = 'ok';
  else if (phase === 'Running') {
    state = 'Running, not ready';
    health = role === 'primary' ? 'error' : 'warning';
  } else health = phase === 'Pending' ? 'warning' : 'error';
  const restarts = (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const zone = extras.zone ?? (node ? extras.zones.get(node) : undefined);
  const detail = [node ? `node ${node}` : undefined, restarts ? `${restarts} restart${restarts === 1 ? '' : 's'}` : undefined].filter(Boolean).join(', ');
  const ip = p.status?.podIP;
  return {
    name: podName(p),
    ...(ip ? { address: `${ip.includes(':') ? `[${ip}]` : ip}:${port(p, extras.portNames, extras.defaultPort)}` } : {}),
    role,
    state,
    health,
    ...(extras.timeline !== undefined ? { timeline: extras.timeline } : {}),
    ...(zone || node ? { failureDomain: zone ?? node } : {}),
    ...(detail ? { detail } : {}),
  };
}
