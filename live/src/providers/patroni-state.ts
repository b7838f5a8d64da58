// Patroni's REST answers (GET /cluster, each member's GET /patroni, /history, /config) turned into one
// ClusterState. Pure: the provider fetches, this decides. Patroni 3.x and 4.x vocabularies both.
import type { ClusterState, Health, LiveProblem, Member, SyncState } from '../model';
import { overallHealth, patroniRole } from '../model';
import { withoutCredentials } from '../secrets';
import { formatBytes } from '../format';

export interface PatroniMemberJson {
  name: string;
  role?: string;
  state?: string;
  api_url?: string;
  host?: string;
  port?: number;
  timeline?: number;
  /** Bytes behind the leader's last known position, or `unknown` (3.x); 4.x adds receive_lag/replay_lag. */
  lag?: number | string;
  replay_lag?: number | string;
  tags?: Record<string, unknown>;
  pending_restart?: boolean;
  scheduled_restart?: { schedule?: string };
}

export interface PatroniClusterJson {
  members: PatroniMemberJson[];
  pause?: boolean;
  scheduled_switchover?: { at?: string; from?: string; to?: string };
}

export interface PatroniReplicationJson {
  application_name?: string;
  client_addr?: string;
  state?: string;
  sync_state?: string;
}

export interface PatroniStatusJson {
  state?: string;
  role?: string;
  timeline?: number;
  xlog?: { location?: number; received_location?: number; replayed_location?: number; paused?: boolean };
  replication?: PatroniReplicationJson[];
  patroni?: { version?: string; scope?: string };
  pause?: boolean;
  pending_restart?: boolean;
}

export interface PatroniConfigJson {
  ttl?: number;
  loop_wait?: number;
  retry_timeout?: number;
  maximum_lag_on_failover?: number;
  synchronous_mode?: boolean | string;
  synchronous_mode_strict?: boolean;
}

export interface PatroniReading {
  /** The endpoint /cluster was read from, credentials removed. */
  source: string;
  observedAt: Date;
  cluster: PatroniClusterJson;
  /** Each member's own GET /patroni, or why it could not be read, by member name. */
  statuses: Record<string, PatroniStatusJson | { error: string }>;
  /** GET /history: `[timeline, switch LSN, reason, timestamp?, new leader?]` rows. */
  history?: unknown[];
  config?: PatroniConfigJson;
  /** Members earlier reads saw that /cluster no longer lists. */
  missing?: { name: string; address?: string }[];
  /** Endpoints given that did not answer (another member's API was read instead), with why. */
  unreachableEndpoints?: string[];
  /** A replica further behind is lagging; default: the cluster's maximum_lag_on_failover, else 1 MiB. */
  maxLagBytes?: number;
  /** The name to use when no member says its scope. */
  fallbackName: string;
}

/** Whether a parsed body looks like GET /cluster's. */
export function isPatroniCluster(x: unknown): x is PatroniClusterJson {
  const m = (x as PatroniClusterJson | null)?.members;
  return Array.isArray(m) && m.every((e) => typeof e === 'object' && e !== null && typeof (e as PatroniMemberJson).name === 'string');
}

const statusOf = (r: PatroniReading, name: string): PatroniStatusJson | undefined => {
  const s = r.statuses[name];
  return s && !('error' in s) ? s : undefined;
};

const RUNNING = ['running', 'streaming'];
const SYNC_STATES: readonly string[] = ['sync', 'quorum', 'potential', 'async'];

function scalarTags(tags: Record<string, unknown> | undefined): Member['tags'] {
  if (!tags) return undefined;
  const out: NonNullable<Member['tags']> = {};
  for (const [k, v] of Object.entries(tags)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

export function address(host: string | undefined, port: number | undefined): string | undefined {
  if (!host) return undefined;
  const h = host.includes(':') ? `[${host}]` : host;
  return port ? `${h}:${port}` : h;
}

/** GET /history rows as objects; rows of another shape are left out. */
export function historyOf(rows: unknown[] | undefined): { timeline: number; switchLsn: number; reason: string; at?: string; newLeader?: string }[] {
  if (!Array.isArray(rows)) return [];
  return rows.flatMap((r) => {
    if (!Array.isArray(r) || typeof r[0] !== 'number' || typeof r[1] !== 'number') return [];
    return [{ timeline: r[0], switchLsn: r[1], reason: String(r[2] ?? ''), at: typeof r[3] === 'string' ? r[3] : undefined, newLeader: typeof r[4] === 'string' ? r[4] : undefined }];
  });
}

interface Context {
  r: PatroniReading;
  leader?: PatroniMemberJson;
  /** The leader's current WAL position, from its own /patroni. */
  head?: number;
  maxLag: number;
  problems: LiveProblem[];
}

/** One member of /cluster, completed with its own /patroni and the upstream's replication entry for it. */
function memberOf(m: PatroniMemberJson, c: Context): Member {
  const { r, problems } = c;
  const role = patroniRole(m.role);
  const isLeader = m === c.leader;
  const own = statusOf(r, m.name);
  const restError = (r.statuses[m.name] as { error?: string } | undefined)?.error;
  const details: string[] = [];
  let state = m.state || own?.state || 'unknown';
  let health: Health = 'ok';
  const running = RUNNING.includes(state);
  if (!running) {
    // One replica of three down leaves the cluster working: degraded, not broken.
    health = isLeader ? 'error' : 'warning';
    problems.push({ code: 'member-down', severity: isLeader ? 'error' : 'warning', message: `${m.name} is ${state}${isLeader ? ' and it is the leader' : ''}`, member: m.name });
  }
  if (restError && running) {
    health = 'warning';
    details.push(`REST API: ${restError}`);
    problems.push({ code: 'member-unreachable', severity: 'warning', message: `${m.name}'s Patroni does not answer (${restError}); the DCS still says ${state}`, member: m.name });
  }
  let lagBytes: number | undefined;
  let syncState: SyncState | undefined;
  if (!isLeader) {
    const replayed = own?.xlog?.replayed_location;
    // Each member's own replayed position against the leader's current one: /cluster's lag is as old
    // as the member's last DCS update and counts received WAL, so paused replay would not show there.
    if (typeof c.head === 'number' && typeof replayed === 'number') lagBytes = Math.max(0, c.head - replayed);
    else if (typeof m.replay_lag === 'number') lagBytes = m.replay_lag;
    else if (typeof m.lag === 'number') lagBytes = m.lag;
    else if (running) details.push('lag unknown');
    if (own?.xlog?.paused) {
      health = 'warning';
      details.push('replay paused');
      problems.push({ code: 'replay-paused', severity: 'warning', message: `${m.name}: WAL replay is paused; it receives but does not apply changes`, member: m.name });
    }
    const upstreamName = typeof m.tags?.replicatefrom === 'string' ? m.tags.replicatefrom : c.leader?.name;
    const upstream = upstreamName ? statusOf(r, upstreamName) : undefined;
    const entry = upstream?.replication?.find((e) => e.application_name === m.name);
    if (entry?.sync_state && SYNC_STATES.includes(entry.sync_state)) syncState = entry.sync_state as SyncState;
    else if (role === 'sync-standby') syncState = 'sync';
    // Patroni 3.0.2 says `running` for every replica; the upstream's walsender tells a streaming one.
    if (running && upstream) {
      if (entry?.state === 'streaming') state = 'streaming';
      else {
        health = 'warning';
        const why = entry ? `its WAL stream from ${upstreamName} is in ${entry.state}` : `it is not connected to ${upstreamName}`;
        problems.push({ code: 'not-streaming', severity: 'warning', message: `${m.name} is not streaming: ${why}`, member: m.name });
      }
    }
    if (lagBytes !== undefined && lagBytes > c.maxLag) {
      health = 'warning';
      problems.push({ code: 'lagging', severity: 'warning', message: `${m.name} is ${formatBytes(lagBytes)} behind the leader (more than ${formatBytes(c.maxLag)}: not a failover candidate)`, member: m.name });
    }
  }
  if (m.pending_restart || own?.pending_restart) details.push('pending restart');
  if (m.scheduled_restart) details.push(`restart scheduled${m.scheduled_restart.schedule ? ` at ${m.scheduled_restart.schedule}` : ''}`);
  return {
    name: m.name,
    address: address(m.host, m.port),
    apiUrl: m.api_url ? withoutCredentials(m.api_url) : undefined,
    role,
    state,
    health,
    timeline: typeof m.timeline === 'number' ? m.timeline : own?.timeline,
    lagBytes,
    syncState,
    tags: scalarTags(m.tags),
    detail: details.length ? details.join(', ') : undefined,
  };
}

export function patroniClusterState(r: PatroniReading): ClusterState {
  const problems: LiveProblem[] = [];
  const leaderJson = r.cluster.members.find((m) => ['leader', 'master', 'primary', 'standby_leader'].includes(m.role ?? ''));
  const head = leaderJson ? statusOf(r, leaderJson.name)?.xlog?.location : undefined;
  const context: Context = { r, leader: leaderJson, head, maxLag: r.maxLagBytes ?? r.config?.maximum_lag_on_failover ?? 1024 * 1024, problems };
  const members = r.cluster.members.map((m) => memberOf(m, context));
  if (!leaderJson) problems.unshift({ code: 'no-primary', severity: 'error', message: 'no leader: no member holds the leader lock' });
  const syncMode = r.config?.synchronous_mode;
  if (leaderJson && (syncMode === true || syncMode === 'on' || syncMode === 'quorum') && !members.some((m) => m.role === 'sync-standby' || m.syncState === 'sync' || m.syncState === 'quorum')) {
    const strict = r.config?.synchronous_mode_strict === true;
    problems.push({
      code: 'no-sync-standby',
      severity: strict ? 'error' : 'warning',
      message: strict ? 'synchronous_mode_strict is on and no member is a synchronous standby: writes wait' : 'synchronous_mode is on but no member is a synchronous standby: commits are acknowledged by the leader alone',
    });
  }
  if (r.cluster.pause) problems.push({ code: 'paused', severity: 'warning', message: 'maintenance mode: Patroni will not fail over or restart members' });
  for (const gone of r.missing ?? []) {
    problems.push({ code: 'member-missing', severity: 'warning', message: `${gone.name}${gone.address ? ` (${gone.address})` : ''} was a member and is no longer in the cluster`, member: gone.name });
  }
  for (const e of r.unreachableEndpoints ?? []) problems.push({ code: 'endpoint-unreachable', severity: 'warning', message: `the endpoint given does not answer (${e}); read from ${r.source} instead` });
  const anyStatus = Object.keys(r.statuses).map((n) => statusOf(r, n)).find((s) => s?.patroni);
  const state: ClusterState = {
    kind: 'patroni',
    name: anyStatus?.patroni?.scope ?? r.fallbackName,
    source: r.source,
    observedAt: r.observedAt.toISOString(),
    leader: leaderJson?.name,
    paused: r.cluster.pause === true,
    members,
    health: 'unknown',
    problems,
    details: {
      version: anyStatus?.patroni?.version,
      history: historyOf(r.history),
      scheduledSwitchover: r.cluster.scheduled_switchover,
      synchronousMode: syncMode,
      maximumLagOnFailover: r.config?.maximum_lag_on_failover,
      ttl: r.config?.ttl,
      loopWait: r.config?.loop_wait,
    },
  };
  state.health = overallHealth(state);
  return state;
}
