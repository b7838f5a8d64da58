// Two writable primaries: asks every member's PostgreSQL itself whether it is in recovery. A Patroni
// agent that died leaves its PostgreSQL running as a primary while another member is elected, and
// after `ttl` the dead member even vanishes from /cluster: members seen in earlier reads are asked too.
import type { ClusterState, LiveProblem, Member } from './model';
import { overallHealth } from './model';
import type { ConninfoParams, SslMode } from './providers/postgres-conninfo';
import { targetsOf } from './providers/postgres-conninfo';
import type { PgSessions } from './providers/postgres-session';
import { withPg } from './providers/postgres-session';

/** How to log in to the members' PostgreSQL; what is left out comes from PGUSER, PGPASSWORD… and the password file. */
export interface PgCredentials {
  user?: string;
  password?: string;
  database?: string;
  sslmode?: SslMode;
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  passfile?: string;
}

export interface SplitBrainOptions {
  credentials: PgCredentials;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Members seen in earlier reads; those the state no longer lists are asked as well. */
  remembered?: Iterable<{ name: string; address: string }>;
  env?: NodeJS.ProcessEnv;
  /** Connections kept open between reads (a provider refreshed every few seconds). */
  sessions?: PgSessions;
  /** What the members already said this read (askMembers), by address: those are not asked again. */
  answers?: ReadonlyMap<string, MemberAnswer>;
}

/** A member's walsender as pg_stat_replication shows it. */
export interface WalSenderRow {
  application_name?: string;
  state?: string;
  sync_state?: string;
}

/** One member's PostgreSQL: whether it accepts writes and where its WAL is; or why it could not be asked. */
export interface MemberAnswer {
  writable?: boolean;
  error?: string;
  /** pg_current_wal_lsn() on a primary. */
  currentLsn?: string;
  receiveLsn?: string;
  replayLsn?: string;
  replayPaused?: boolean;
  replication?: WalSenderRow[];
}

/** `host:port` or `[v6]:port` into its parts. */
export function splitAddress(addr: string): { host: string; port: number } | undefined {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(addr) ?? /^([^:]+):(\d+)$/.exec(addr);
  return m ? { host: m[1], port: Number(m[2]) } : undefined;
}

function params(c: PgCredentials, host: string, port: number): ConninfoParams {
  const p: ConninfoParams = { host, port: String(port) };
  const set = (k: string, v: string | undefined) => {
    if (v !== undefined && v !== '') p[k] = v;
  };
  set('user', c.user);
  set('password', c.password);
  set('dbname', c.database ?? 'postgres');
  set('sslmode', c.sslmode);
  set('sslrootcert', c.sslrootcert);
  set('sslcert', c.sslcert);
  set('sslkey', c.sslkey);
  set('passfile', c.passfile);
  return p;
}

// One statement, one round trip: recovery, the WAL positions (functions a standby or a primary
// refuses sit behind CASE on the flag) and the walsenders.
const ASK = `SELECT s.r AS recovery,
  CASE WHEN NOT s.r THEN pg_current_wal_lsn()::text END AS lsn,
  CASE WHEN s.r THEN pg_last_wal_receive_lsn()::text END AS receive_lsn,
  CASE WHEN s.r THEN pg_last_wal_replay_lsn()::text END AS replay_lsn,
  CASE WHEN s.r THEN pg_is_wal_replay_paused() END AS paused,
  (SELECT coalesce(json_agg(json_build_object('application_name', application_name, 'state', state, 'sync_state', sync_state)), '[]') FROM pg_stat_replication) AS replication
  FROM (SELECT pg_is_in_recovery() AS r) s`;

interface AskRow {
  recovery: boolean;
  lsn: string | null;
  receive_lsn: string | null;
  replay_lsn: string | null;
  paused: boolean | null;
  replication: WalSenderRow[] | string | null;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/** Asks one server whether it accepts writes and where its WAL is; the reason when it cannot be asked. */
async function ask(addr: string, o: SplitBrainOptions): Promise<MemberAnswer> {
  const hp = splitAddress(addr);
  if (!hp) return { error: `not a host:port address: ${addr}` };
  try {
    const [target] = targetsOf(params(o.credentials, hp.host, hp.port), o.env ?? process.env);
    const [row] = await withPg(target, { timeoutMs: o.timeoutMs, signal: o.signal, sessions: o.sessions }, (q) => q<AskRow>(ASK));
    if (!row) return { error: `no answer from ${addr}` };
    const replication = typeof row.replication === 'string' ? (JSON.parse(row.replication) as WalSenderRow[]) : (row.replication ?? []);
    return { writable: row.recovery === false, currentLsn: opt(row.lsn), receiveLsn: opt(row.receive_lsn), replayLsn: opt(row.replay_lsn), replayPaused: opt(row.paused), replication };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Every address asked in parallel (connections kept in `options.sessions`), answers by address. */
export async function askMembers(addresses: Iterable<string>, options: SplitBrainOptions): Promise<Map<string, MemberAnswer>> {
  const list = [...new Set(addresses)];
  const answers = await Promise.all(list.map((a) => ask(a, options)));
  return new Map(list.map((a, i) => [a, answers[i]]));
}

/**
 * The state with `writable` set on every member whose PostgreSQL answered, members that Patroni no
 * longer lists but whose PostgreSQL still runs added (state `not in cluster`), and an error-level
 * `split-brain` problem for each writable member besides the leader.
 */
export async function checkSplitBrain(state: ClusterState, options: SplitBrainOptions): Promise<ClusterState> {
  const listed = new Set(state.members.map((m) => m.name));
  const gone = [...(options.remembered ?? [])].filter((r) => !listed.has(r.name) && !state.members.some((m) => m.address === r.address));
  const asked = [...state.members.filter((m) => m.address), ...gone];
  const answers = await Promise.all(asked.map((m) => options.answers?.get(m.address as string) ?? ask(m.address as string, options)));
  const problems: LiveProblem[] = [];
  const members: Member[] = state.members.map((m) => ({ ...m }));
  const found = new Set<string>();
  asked.forEach((a, i) => {
    const ans = answers[i];
    const member = members.find((m) => m.name === a.name);
    if (member) {
      if (ans.writable !== undefined) member.writable = ans.writable;
      else if (member.state === 'running' || member.state === 'streaming') {
        problems.push({ code: 'split-brain-unchecked', severity: 'warning', message: `could not ask ${a.name}'s PostgreSQL whether it accepts writes: ${ans.error}`, member: a.name });
      }
    } else if (ans.writable !== undefined) {
      found.add(a.name);
      members.push({
        name: a.name,
        address: a.address,
        role: ans.writable ? 'primary' : 'replica',
        state: 'not in cluster',
        health: 'warning',
        writable: ans.writable,
        detail: `Patroni no longer lists it; its PostgreSQL still runs${ans.writable ? ' and accepts writes' : ''}`,
      });
    }
  });
  const leader = members.find((m) => m.name === state.leader);
  const writers = members.filter((m) => m.writable);
  for (const w of writers) {
    if (w === leader) continue;
    const where = `${w.name} (${w.address})`;
    if (writers.length > 1) {
      w.health = 'error';
      const others = writers.filter((o) => o !== w).map((o) => (o === leader ? `${o.name}, the leader` : o.name));
      const why = found.has(w.name) ? 'Patroni no longer lists it (its agent is gone) and its PostgreSQL is still a primary' : 'Patroni does not list it as the leader, yet its PostgreSQL is a primary';
      problems.unshift({ code: 'split-brain', severity: 'error', message: `split brain: ${where} accepts writes besides ${others.join(' and ')}. ${why}: stop it or rewind it into a replica`, member: w.name });
    } else if (!leader) {
      w.health = 'error';
      problems.push({ code: 'writable-replica', severity: 'error', message: `${where} accepts writes outside Patroni's control: no member holds the leader lock`, member: w.name });
    } else {
      problems.push({ code: 'writable-replica', severity: 'warning', message: `${where} accepts writes but is not the leader`, member: w.name });
    }
  }
  const kept = state.problems.filter((p) => !(p.code === 'member-missing' && p.member !== undefined && found.has(p.member)));
  const next: ClusterState = { ...state, members, problems: [...problems.filter((p) => p.code === 'split-brain'), ...kept, ...problems.filter((p) => p.code !== 'split-brain')] };
  next.health = overallHealth(next);
  return next;
}
