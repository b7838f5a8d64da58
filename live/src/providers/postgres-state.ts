// A set of plain PostgreSQL servers (streaming replication, no Patroni) as one ClusterState: each
// standby matched to its sender's walsender row, lag in bytes and seconds, problems worded.
import type { ClusterState, LiveProblem, Member, SyncState } from '../model';
import { overallHealth, unreachable } from '../model';
import { formatBytes } from '../format';
import type { ReplicationRow, ServerObservation } from './postgres-observe';
import { lsnBytes } from './postgres-observe';

export interface PostgresStateOptions {
  name?: string;
  source: string;
  observedAt: Date;
  /** A standby further behind than this is lagging (warning). */
  lagWarningBytes: number;
}

/**
 * What a standby's own view adds to its member (`details.standbys`): where it streams from, and WAL
 * received but not yet replayed. Pre-flights of a promotion read it.
 */
export interface StandbyView {
  server: string;
  /** The server of the set it streams from (the primary, or another standby: a cascade). */
  upstream?: string;
  /** The sender its WAL receiver names (`host:port`), in the set or not. */
  sender?: string;
  /** Its WAL receiver's status; absent when it has none (archive recovery, or not connected). */
  receiver?: string;
  /** Whether its upstream's pg_stat_replication lists it. */
  listed: boolean;
  receiveLsn?: string;
  replayLsn?: string;
  /** Received and not yet replayed. */
  unappliedBytes?: number;
  replayPaused: boolean;
}

/** 16 MiB: one WAL segment. */
export const DEFAULT_LAG_WARNING_BYTES = 16 * 1024 * 1024;

const SYNC_STATES: readonly string[] = ['sync', 'quorum', 'potential', 'async'];

/** Unique pick: the one row that satisfies `test`, else undefined. */
function only(rows: ReplicationRow[], test: (r: ReplicationRow) => boolean): ReplicationRow | undefined {
  const hits = rows.filter(test);
  return hits.length === 1 ? hits[0] : undefined;
}

/**
 * The walsender row that serves `standby` on `sender`: by application name and client address, then
 * by either alone when that is unambiguous. Rows already given to another standby are skipped.
 */
function matchRow(standby: ServerObservation, rows: ReplicationRow[], taken: Set<ReplicationRow>): ReplicationRow | undefined {
  const free = rows.filter((r) => !taken.has(r));
  const app = standby.receiver?.applicationName;
  const sameApp = (r: ReplicationRow) => app !== undefined && r.applicationName === app;
  const sameAddr = (r: ReplicationRow) => r.clientAddr !== undefined && (r.clientAddr === standby.host || (standby.host === 'localhost' && r.clientAddr === '127.0.0.1'));
  return only(free, (r) => sameApp(r) && sameAddr(r)) ?? only(free, sameApp) ?? only(free, sameAddr);
}

/** The server a standby's receiver streams from, when it is one of the set. */
function upstreamOf(s: ServerObservation, servers: ServerObservation[]): ServerObservation | undefined {
  const r = s.receiver;
  if (!r?.senderHost) return undefined;
  return servers.find((o) => o !== s && o.port === r.senderPort && (o.host === r.senderHost || (o.host === 'localhost' && r.senderHost === '127.0.0.1')));
}

function standbyView(s: ServerObservation, upstream: ServerObservation | undefined, listed: boolean): StandbyView {
  const received = lsnBytes(s.receiveLsn);
  const replayed = lsnBytes(s.replayLsn);
  const r = s.receiver;
  return {
    server: s.address,
    upstream: upstream?.address,
    sender: r?.senderHost ? `${r.senderHost}:${r.senderPort ?? ''}` : undefined,
    receiver: r?.status,
    listed,
    receiveLsn: s.receiveLsn,
    replayLsn: s.replayLsn,
    unappliedBytes: received !== undefined && replayed !== undefined ? Math.max(0, received - replayed) : undefined,
    replayPaused: s.replayPaused === true,
  };
}

export function postgresState(servers: ServerObservation[], opts: PostgresStateOptions): ClusterState {
  const reachable = servers.filter((s) => !s.error);
  const primaries = reachable.filter((s) => s.inRecovery === false);
  const fallbackName = opts.name ?? servers[0]?.address ?? opts.source;
  if (!reachable.length) return unreachable('postgres', fallbackName, opts.source, servers.map((s) => s.error).join('; '), opts.observedAt);
  // In a split brain the leader is the primary the standbys follow.
  const followers = (p: ServerObservation) => p.replication.filter((r) => r.state === 'streaming').length;
  const leader = [...primaries].sort((a, b) => followers(b) - followers(a))[0];
  const problems: LiveProblem[] = [];
  const taken = new Set<ReplicationRow>();
  const standbys: StandbyView[] = [];
  const members: Member[] = servers.map((s): Member => {
    if (s.error) {
      problems.push({ code: 'member-unreachable', severity: 'error', message: s.error, member: s.address });
      return { name: s.address, address: s.address, role: 'unknown', state: 'unreachable', health: 'error', detail: s.error };
    }
    if (!s.inRecovery) return { name: s.address, address: s.address, role: 'primary', state: 'running', health: 'ok', timeline: s.timeline, writable: true };
    const upstream = upstreamOf(s, servers) ?? leader;
    const row = upstream ? matchRow(s, upstream.replication, taken) : undefined;
    if (row) taken.add(row);
    standbys.push(standbyView(s, upstreamOf(s, servers), row !== undefined));
    const head = lsnBytes(leader?.currentLsn);
    const replayed = lsnBytes(s.replayLsn);
    // The sender's own view is exact; otherwise both positions come from this read, a few ms apart.
    const lagBytes = row?.lagBytes ?? (head !== undefined && replayed !== undefined ? Math.max(0, head - replayed) : undefined);
    const syncState = row && SYNC_STATES.includes(row.syncState) ? (row.syncState as SyncState) : undefined;
    const streaming = s.receiver?.status === 'streaming';
    const details: string[] = [];
    let health: Member['health'] = 'ok';
    if (s.replayPaused) {
      health = 'warning';
      details.push('replay paused');
      problems.push({ code: 'replay-paused', severity: 'warning', message: `${s.address}: WAL replay is paused; it receives but does not apply changes`, member: s.address });
    }
    if (!streaming) {
      health = 'warning';
      const why = s.receiver ? `its WAL receiver is ${s.receiver.status}` : 'it has no WAL receiver (archive recovery or not connected)';
      problems.push({ code: 'not-streaming', severity: 'warning', message: `${s.address} is not streaming: ${why}`, member: s.address });
    }
    if (lagBytes !== undefined && lagBytes > opts.lagWarningBytes) {
      health = 'warning';
      problems.push({ code: 'lagging', severity: 'warning', message: `${s.address} is ${formatBytes(lagBytes)} behind ${upstream?.address ?? 'its primary'}`, member: s.address });
    }
    if (s.receiver?.senderHost) details.push(`from ${s.receiver.senderHost}:${s.receiver.senderPort ?? ''}`);
    if (s.receiver?.slotName) details.push(`slot ${s.receiver.slotName}`);
    return {
      name: s.address,
      address: s.address,
      role: syncState === 'sync' || syncState === 'quorum' ? 'sync-standby' : 'replica',
      state: row?.state || s.receiver?.status || 'not streaming',
      health,
      timeline: s.timeline,
      lagBytes,
      lagSeconds: row?.replayLagSeconds ?? (lagBytes === 0 ? 0 : undefined),
      syncState,
      writable: false,
      detail: details.length ? details.join(', ') : undefined,
    };
  });
  if (primaries.length > 1) {
    const names = primaries.map((p) => p.address);
    for (const m of members) if (names.includes(m.name)) m.health = 'error';
    problems.unshift({ code: 'split-brain', severity: 'error', message: `${primaries.length} servers accept writes: ${names.join(' and ')}; only one may be the primary`, member: names.find((n) => n !== leader?.address) });
  } else if (!primaries.length) {
    const streamingElsewhere = reachable.every((s) => s.receiver?.status === 'streaming');
    problems.unshift({
      code: 'no-primary',
      severity: streamingElsewhere ? 'warning' : 'error',
      message: streamingElsewhere ? 'none of the servers given accepts writes; their primary is not among them' : 'none of the servers accepts writes and not every standby streams: no primary',
    });
  }
  const ids = new Set(reachable.map((s) => s.systemId).filter((x) => x));
  if (ids.size > 1) problems.push({ code: 'not-one-cluster', severity: 'warning', message: `the servers belong to ${ids.size} different database systems (system identifiers differ)` });
  for (const p of primaries) {
    for (const slot of p.slots) {
      if (slot.active || slot.type !== 'physical' || !slot.retainedBytes) continue;
      problems.push({ code: 'slot-inactive', severity: 'warning', message: `replication slot ${slot.name} on ${p.address} is not in use and holds ${formatBytes(slot.retainedBytes)} of WAL`, member: p.address });
    }
  }
  const state: ClusterState = {
    kind: 'postgres',
    name: opts.name ?? leader?.clusterName ?? fallbackName,
    source: opts.source,
    observedAt: opts.observedAt.toISOString(),
    leader: leader?.address,
    members,
    health: 'unknown',
    problems,
    details: {
      systemIdentifier: [...ids].join(', ') || undefined,
      slots: primaries.flatMap((p) => p.slots.map((s) => ({ server: p.address, ...s }))),
      standbys,
      unmatchedWalsenders: reachable.flatMap((s) => s.replication.filter((r) => !taken.has(r)).map((r) => ({ server: s.address, ...r }))),
    },
  };
  state.health = overallHealth(state);
  return state;
}
