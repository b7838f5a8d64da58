// What one PostgreSQL server says about its replication, read in one statement: recovery or not,
// its WAL position and timeline, its walsenders and slots, and on a standby its receiver and replay.
import type { Query } from './postgres-session';

export interface ReplicationRow {
  applicationName: string;
  clientAddr?: string;
  /** startup, catchup, streaming, backup, stopping. */
  state: string;
  syncState: string;
  sentLsn?: string;
  writeLsn?: string;
  flushLsn?: string;
  replayLsn?: string;
  /** The sender's current WAL position minus the standby's replayed one. */
  lagBytes?: number;
  replayLagSeconds?: number;
}

export interface SlotRow {
  name: string;
  type: string;
  active: boolean;
  /** WAL the slot holds back: the current position minus its restart_lsn. */
  retainedBytes?: number;
  walStatus?: string;
}

export interface ReceiverRow {
  /** starting, waiting, streaming, restarting, stopping, stopped. */
  status: string;
  senderHost?: string;
  senderPort?: number;
  receivedTli?: number;
  slotName?: string;
  /** The name the receiver gives itself on the sender (application_name, else cluster_name, else walreceiver). */
  applicationName: string;
}

export interface ServerObservation {
  /** The server as given (`host:port`): the member's name. */
  address: string;
  /** The host connected to, to match walsenders' client_addr. */
  host: string;
  port: number;
  error?: string;
  inRecovery?: boolean;
  version?: number;
  clusterName?: string;
  systemId?: string;
  timeline?: number;
  /** pg_current_wal_lsn() on a primary. */
  currentLsn?: string;
  receiveLsn?: string;
  replayLsn?: string;
  replayPaused?: boolean;
  receiver?: ReceiverRow;
  /** The walsenders of this server (a primary, or a standby that cascades). */
  replication: ReplicationRow[];
  slots: SlotRow[];
}

const num = (v: unknown): number | undefined => (v === null || v === undefined || v === '' ? undefined : Number(v));
const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** An LSN (`16/B374D848`) as a number of bytes; exact up to 2^53 (8 PiB of WAL). */
export function lsnBytes(lsn: string | undefined): number | undefined {
  const m = lsn ? /^([0-9A-Fa-f]+)\/([0-9A-Fa-f]+)$/.exec(lsn) : null;
  return m ? parseInt(m[1], 16) * 2 ** 32 + parseInt(m[2], 16) : undefined;
}

/** The value of `key` in a conninfo as pg_stat_wal_receiver shows it (`key=value` or `key='value'`). */
function conninfoValue(conninfo: string | undefined, key: string): string | undefined {
  const m = conninfo ? new RegExp(`(?:^|\\s)${key}=('(?:[^'\\\\]|\\\\.)*'|\\S*)`).exec(conninfo) : null;
  return m ? m[1].replace(/^'|'$/g, '').replace(/\\(.)/g, '$1') : undefined;
}

// Everything in one statement, one round trip: a refresh every few seconds pays for each query sent
// on loopback. Functions a standby refuses (pg_current_wal_lsn…) or a primary refuses
// (pg_is_wal_replay_paused…) sit behind CASE on the recovery flag; volatile, they are never folded
// ahead of it. The WAL file name carries the timeline being written, current right after a
// promotion (the checkpoint's timeline catches up only at the next checkpoint). The walsenders'
// lag and the slots' retained WAL count from the server's own position: the current one on a
// primary, the received (else replayed) one on a cascading standby.
const OBSERVE = `WITH s AS (SELECT pg_is_in_recovery() AS r),
p AS (SELECT r, CASE WHEN r THEN coalesce(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) ELSE pg_current_wal_lsn() END AS pos FROM s)
SELECT p.r AS recovery,
  current_setting('server_version_num')::int AS version,
  current_setting('cluster_name') AS cluster_name,
  (pg_control_system()).system_identifier::text AS system_id,
  (pg_control_checkpoint()).timeline_id AS checkpoint_tli,
  CASE WHEN NOT p.r THEN p.pos::text END AS lsn,
  CASE WHEN NOT p.r THEN ('x' || substr(pg_walfile_name(p.pos), 1, 8))::bit(32)::int END AS tli,
  CASE WHEN p.r THEN pg_last_wal_receive_lsn()::text END AS receive_lsn,
  CASE WHEN p.r THEN pg_last_wal_replay_lsn()::text END AS replay_lsn,
  CASE WHEN p.r THEN pg_is_wal_replay_paused() END AS paused,
  (SELECT row_to_json(w) FROM (SELECT status, sender_host, sender_port, received_tli, slot_name, conninfo FROM pg_stat_wal_receiver) w LIMIT 1) AS receiver,
  (SELECT coalesce(json_agg(x ORDER BY x.application_name), '[]') FROM (SELECT application_name, host(client_addr) AS client_addr, state, sync_state,
    sent_lsn::text AS sent_lsn, write_lsn::text AS write_lsn, flush_lsn::text AS flush_lsn, replay_lsn::text AS replay_lsn,
    pg_wal_lsn_diff(p.pos, replay_lsn)::float8 AS lag_bytes, extract(epoch FROM replay_lag)::float8 AS replay_lag
    FROM pg_stat_replication) x) AS walsenders,
  (SELECT coalesce(json_agg(y ORDER BY y.slot_name), '[]') FROM (SELECT slot_name, slot_type, active, wal_status,
    pg_wal_lsn_diff(p.pos, restart_lsn)::float8 AS retained_bytes FROM pg_replication_slots) y) AS slots
FROM p`;

type Row = Record<string, unknown>;
const rows = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : typeof v === 'string' ? (JSON.parse(v) as Row[]) : []);

/** Reads one server's replication state through an open session. */
export async function observeServer(query: Query, base: Pick<ServerObservation, 'address' | 'host' | 'port'>): Promise<ServerObservation> {
  const [b] = await query(OBSERVE);
  const recovery = b.recovery === true;
  const out: ServerObservation = {
    ...base,
    inRecovery: recovery,
    version: num(b.version),
    clusterName: str(b.cluster_name) || undefined,
    systemId: str(b.system_id),
    timeline: num(b.checkpoint_tli),
    replication: [],
    slots: [],
  };
  if (recovery) {
    out.receiveLsn = str(b.receive_lsn);
    out.replayLsn = str(b.replay_lsn);
    out.replayPaused = b.paused === true;
    const r = (typeof b.receiver === 'string' ? JSON.parse(b.receiver) : b.receiver) as Row | null;
    if (r) {
      const conninfo = str(r.conninfo);
      out.receiver = {
        status: String(r.status),
        senderHost: str(r.sender_host),
        senderPort: num(r.sender_port),
        receivedTli: num(r.received_tli),
        slotName: str(r.slot_name),
        applicationName: conninfoValue(conninfo, 'application_name') ?? conninfoValue(conninfo, 'fallback_application_name') ?? out.clusterName ?? 'walreceiver',
      };
      if (out.receiver.receivedTli !== undefined) out.timeline = Math.max(out.timeline ?? 0, out.receiver.receivedTli);
    }
  } else {
    out.currentLsn = str(b.lsn);
    out.timeline = num(b.tli) ?? out.timeline;
  }
  out.replication = rows(b.walsenders).map((r) => ({
    applicationName: String(r.application_name ?? ''),
    clientAddr: str(r.client_addr),
    state: String(r.state ?? ''),
    syncState: String(r.sync_state ?? ''),
    sentLsn: str(r.sent_lsn),
    writeLsn: str(r.write_lsn),
    flushLsn: str(r.flush_lsn),
    replayLsn: str(r.replay_lsn),
    lagBytes: num(r.lag_bytes),
    replayLagSeconds: num(r.replay_lag),
  }));
  out.slots = rows(b.slots).map((r) => ({
    name: String(r.slot_name),
    type: String(r.slot_type),
    active: r.active === true,
    retainedBytes: num(r.retained_bytes),
    walStatus: str(r.wal_status),
  }));
  return out;
}
