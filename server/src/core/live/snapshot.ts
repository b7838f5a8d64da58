// The live state of the clusters a client is connected to, as the engine takes it: read
// defensively (it arrives over the wire), and reduced to what drift checks depend on.
import type { ClusterState, Health, Member, MemberRole, SystemKind } from '../../../../live/src/model';

export type { ClusterState, Member, MemberRole, SystemKind };

/** What a client sends: the state of each connected cluster, and the CRDs its Kubernetes cluster serves. */
export interface LiveSnapshot {
  clusters: ClusterState[];
  /** CustomResourceDefinition objects as the API server returns them; validated like workspace CRDs. */
  servedCrds?: object[];
}

const KINDS: readonly SystemKind[] = ['patroni', 'sentinel', 'haproxy', 'postgres', 'kubernetes'];
const ROLES: readonly MemberRole[] = ['primary', 'standby-leader', 'sync-standby', 'replica', 'sentinel', 'frontend', 'backend', 'server', 'unknown'];
const HEALTH: readonly Health[] = ['ok', 'warning', 'error', 'unknown'];

/** Bounds on what one snapshot may hold: a misbehaving client must not make every check slow. */
const MAX_CLUSTERS = 500;
const MAX_MEMBERS = 2000;
const MAX_CRDS = 2000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function readMember(v: unknown): Member | undefined {
  if (!isRecord(v) || typeof v.name !== 'string') return undefined;
  const role = ROLES.includes(v.role as MemberRole) ? (v.role as MemberRole) : 'unknown';
  const m: Member = { name: v.name, role, state: str(v.state) ?? '', health: HEALTH.includes(v.health as Health) ? (v.health as Health) : 'unknown' };
  const copy = <K extends keyof Member>(key: K, value: Member[K] | undefined) => {
    if (value !== undefined) m[key] = value;
  };
  copy('address', str(v.address));
  copy('apiUrl', str(v.apiUrl));
  copy('timeline', num(v.timeline));
  copy('lagBytes', num(v.lagBytes));
  copy('lagSeconds', num(v.lagSeconds));
  copy('syncState', ['sync', 'quorum', 'potential', 'async'].includes(v.syncState as string) ? (v.syncState as Member['syncState']) : undefined);
  copy('writable', typeof v.writable === 'boolean' ? v.writable : undefined);
  copy('group', str(v.group));
  copy('lastCheck', str(v.lastCheck));
  copy('detail', str(v.detail));
  copy('failureDomain', str(v.failureDomain));
  if (isRecord(v.tags)) copy('tags', Object.fromEntries(Object.entries(v.tags).filter(([, t]) => ['string', 'number', 'boolean'].includes(typeof t))) as Member['tags']);
  return m;
}

function readCluster(v: unknown): ClusterState | undefined {
  if (!isRecord(v) || !KINDS.includes(v.kind as SystemKind) || typeof v.name !== 'string') return undefined;
  const members = (Array.isArray(v.members) ? v.members.slice(0, MAX_MEMBERS) : []).map(readMember).filter((m): m is Member => m !== undefined);
  const problems = (Array.isArray(v.problems) ? v.problems : []).flatMap((p) =>
    isRecord(p) && typeof p.code === 'string' && typeof p.message === 'string'
      ? [{ code: p.code, severity: p.severity === 'error' ? ('error' as const) : ('warning' as const), message: p.message, ...(typeof p.member === 'string' ? { member: p.member } : {}) }]
      : [],
  );
  const s: ClusterState = {
    kind: v.kind as SystemKind,
    name: v.name,
    source: str(v.source) ?? '',
    observedAt: str(v.observedAt) ?? '',
    members,
    health: HEALTH.includes(v.health as Health) ? (v.health as Health) : 'unknown',
    problems,
  };
  if (typeof v.leader === 'string') s.leader = v.leader;
  if (typeof v.paused === 'boolean') s.paused = v.paused;
  if (typeof v.error === 'string') s.error = v.error;
  return s;
}

/** A snapshot from untrusted input: what is not shaped like one is left out, never thrown on. */
export function readSnapshot(input: unknown): LiveSnapshot {
  const v = isRecord(input) ? input : {};
  const clusters = (Array.isArray(v.clusters) ? v.clusters.slice(0, MAX_CLUSTERS) : []).map(readCluster).filter((c): c is ClusterState => c !== undefined);
  const out: LiveSnapshot = { clusters };
  if (Array.isArray(v.servedCrds)) out.servedCrds = v.servedCrds.slice(0, MAX_CRDS).filter(isRecord);
  return out;
}

/**
 * The part of a snapshot drift checks read: roles, states, health, addresses, leaders, problem
 * codes. Lag and the time of reading change with every refresh and only hover shows them, so a
 * new snapshot that differs only there re-validates nothing.
 */
export function driftKey(snapshot: LiveSnapshot | undefined): string {
  if (!snapshot) return '';
  return JSON.stringify(
    snapshot.clusters.map((c) => [
      c.kind,
      c.name,
      c.leader ?? null,
      c.error === undefined,
      c.members.map((m) => [m.name, m.address ?? null, m.apiUrl ?? null, m.role, m.state, m.health, m.syncState ?? null, m.writable ?? null, m.group ?? null]),
      c.problems.map((p) => [p.code, p.severity, p.member ?? null]),
    ]),
  );
}
