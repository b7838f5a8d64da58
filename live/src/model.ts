// The one shape every provider produces: what a running HA system says about itself, at one moment.
// docs/cluster-state.schema.json documents it; `hatopo status --format json` prints it.

/** The system a state was read from. */
export type SystemKind = 'patroni' | 'sentinel' | 'haproxy' | 'postgres' | 'kubernetes';

/**
 * A member's part in the cluster, in one vocabulary for every system. Patroni 3.x `master` and
 * 4.x `primary` (and Patroni's `leader`) are all `primary`; `standby-leader` is the leader of a
 * standby cluster (it replicates from elsewhere). HAProxy's proxies are `frontend`/`backend`,
 * their servers `server`; Sentinel's processes are `sentinel`.
 */
export type MemberRole =
  | 'primary'
  | 'standby-leader'
  | 'sync-standby'
  | 'replica'
  | 'sentinel'
  | 'frontend'
  | 'backend'
  | 'server'
  | 'unknown';

/** ok: working as meant; warning: working, degraded (lagging, draining, one of three down); error: not working; unknown: not observed. */
export type Health = 'ok' | 'warning' | 'error' | 'unknown';

/** How a standby's commits are acknowledged, as pg_stat_replication.sync_state says it. */
export type SyncState = 'sync' | 'quorum' | 'potential' | 'async';

export interface Member {
  /** The system's own name for it: Patroni member, pod, `host:port` for Redis, HAProxy server. */
  name: string;
  /** Where the data service listens, `host:port` (IPv6 in brackets). */
  address?: string;
  /** The member's own API, when it has one (Patroni REST), with any credentials removed. */
  apiUrl?: string;
  role: MemberRole;
  /** The system's own word for its state: running, streaming, starting, UP, DOWN 1/2, MAINT, s_down, Running. */
  state: string;
  health: Health;
  timeline?: number;
  /** Bytes of WAL (or of Redis replication offset) this member is behind its primary. */
  lagBytes?: number;
  /** Seconds behind, where the system reports it (replay lag, Redis master_last_io_seconds_ago). */
  lagSeconds?: number;
  syncState?: SyncState;
  /**
   * Whether the database of this member accepts writes, read from the database itself
   * (`pg_is_in_recovery()`, Redis `role`) rather than from the HA layer; absent when not checked.
   */
  writable?: boolean;
  /** Patroni tags (nofailover, noloadbalance, clonefrom, nosync, failover_priority…), Redis replica-priority, HAProxy weight. */
  tags?: Record<string, string | number | boolean>;
  /** Zone, rack or node the member runs in, when the system says (Kubernetes topology labels). */
  failureDomain?: string;
  /** Which part of the cluster it belongs to: an HAProxy server's backend, a Sentinel master's name. */
  group?: string;
  /** The system's last health check of it, in its words (HAProxy `L7OK/200 in 2ms`). */
  lastCheck?: string;
  /** Anything else worth a line in the tree, already worded (`pending restart`, `replay paused`). */
  detail?: string;
}

/** Something wrong with the cluster as a whole or with one member, worded for the person on call. */
export interface LiveProblem {
  /**
   * Stable id: `split-brain`, `no-primary`, `member-down`, `member-unreachable`, `lagging`,
   * `no-sync-standby`, `quorum`, `backend-down`, `paused`, `unreachable`…
   */
  code: string;
  severity: 'error' | 'warning';
  message: string;
  /** The member it is about, by name. */
  member?: string;
}

export interface ClusterState {
  kind: SystemKind;
  /** Patroni scope, Sentinel master name, HAProxy `host:port` or socket, Kubernetes `namespace/name`. */
  name: string;
  /** The endpoint it was read from, credentials removed. */
  source: string;
  /** When it was read, ISO 8601. */
  observedAt: string;
  /** The member now leading (Patroni leader, Sentinel master, PostgreSQL primary), by name. */
  leader?: string;
  /** Patroni maintenance mode; a CloudNativePG cluster with reconciliation suspended. */
  paused?: boolean;
  members: Member[];
  /** The worst of the members' health and the problems. */
  health: Health;
  problems: LiveProblem[];
  /** Why nothing could be read (connection refused, timeout, authentication); members is then empty. */
  error?: string;
  /** What only one system has: Patroni's timeline history, Sentinel's quorum, the operator's phase. */
  details?: Record<string, unknown>;
}

const RANK: Record<Health, number> = { ok: 0, unknown: 1, warning: 2, error: 3 };

/** The worse of two health values (`unknown` is worse than ok, better than warning). */
export function worse(a: Health, b: Health): Health {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The health a cluster state should carry: the worst of its members', its problems' and its error's. */
export function overallHealth(state: Pick<ClusterState, 'members' | 'problems' | 'error'>): Health {
  if (state.error) return 'error';
  let h: Health = state.members.length ? 'ok' : 'unknown';
  for (const m of state.members) h = worse(h, m.health);
  for (const p of state.problems) h = worse(h, p.severity);
  return h;
}

/** A state for an endpoint that could not be read: no members, the reason in `error`. */
export function unreachable(kind: SystemKind, name: string, source: string, error: string, now: Date): ClusterState {
  return { kind, name, source, observedAt: now.toISOString(), members: [], health: 'error', problems: [], error };
}

/** The role words Patroni uses across versions, mapped to ours. */
export function patroniRole(role: string | undefined): MemberRole {
  switch (role) {
    case 'leader':
    case 'master':
    case 'primary':
      return 'primary';
    case 'standby_leader':
      return 'standby-leader';
    case 'sync_standby':
      return 'sync-standby';
    case 'replica':
    case 'quorum_standby':
      return 'replica';
    default:
      return 'unknown';
  }
}
