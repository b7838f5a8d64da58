// Promotion of a plain PostgreSQL standby (no Patroni to elect one): a pre-flight that judges every
// standby the way a DBA would before running pg_promote(), the call itself, and the runbook around it
// — fence the old primary, promote, repoint the clients, re-attach the old primary — each step
// checked against what the servers say now.
import { formatBytes, formatSeconds } from '../format';
import type { ClusterState, Member } from '../model';
import type { Provider } from '../provider';
import { DEFAULT_TIMEOUT_MS } from '../provider';
import type { PostgresOptions } from '../providers/postgres';
import { postgresProvider } from '../providers/postgres';
import { resolveTargets, targetAddress } from '../providers/postgres-conninfo';
import { withPg } from '../providers/postgres-session';
import type { StandbyView } from '../providers/postgres-state';
import { lsnBytes } from '../providers/postgres-observe';
import type { CandidateVerdict, Preflight } from './model';
import type { ActionSpec } from './run';
import { unreadable } from './run';

export interface PromoteOptions {
  /** The standby to promote (`host:port`, as the set names it). */
  candidate?: string;
  /** The person says the old primary can no longer take writes from clients, though it may still answer here. */
  oldPrimaryFenced?: boolean;
}

const STANDBY_ROLES: ReadonlyArray<Member['role']> = ['replica', 'sync-standby'];
const isStandby = (m: Member) => STANDBY_ROLES.includes(m.role) && m.writable !== true;
const isDown = (m: Member) => m.state === 'unreachable';
const viewsOf = (s: ClusterState): StandbyView[] => ((s.details ?? {}).standbys as StandbyView[] | undefined) ?? [];
const viewOf = (s: ClusterState, name: string) => viewsOf(s).find((v) => v.server === name);
/** The servers that accept writes now, the leader first. */
const writables = (s: ClusterState) => s.members.filter((m) => m.writable === true).sort((a, b) => Number(b.name === s.leader) - Number(a.name === s.leader));
/** How far a standby's WAL goes: what it received, else what it replayed. */
const heldBytes = (v: StandbyView | undefined) => lsnBytes(v?.receiveLsn) ?? lsnBytes(v?.replayLsn);

function notesOf(m: Member, s: ClusterState, v: StandbyView | undefined): string[] {
  const notes = [`${m.role}, ${m.state}`];
  if (m.lagBytes !== undefined) notes.push(`lag ${formatBytes(m.lagBytes)}${m.lagSeconds !== undefined ? ` / ${formatSeconds(m.lagSeconds)}` : ''}`);
  if (m.timeline !== undefined) notes.push(`timeline ${m.timeline}`);
  if (m.syncState) notes.push(`${m.syncState} standby`);
  if (v?.upstream && s.leader && v.upstream !== s.leader) notes.push(`cascading: streams from ${v.upstream}, a standby, not the primary — it has at most what ${v.upstream} has`);
  const downstream = viewsOf(s).filter((x) => x.upstream === m.name).map((x) => x.server);
  if (downstream.length) notes.push(`${downstream.join(', ')} stream${downstream.length === 1 ? 's' : ''} from it and will follow it onto the new timeline (recovery_target_timeline 'latest')`);
  if (v && !v.replayPaused && v.unappliedBytes) notes.push(`${formatBytes(v.unappliedBytes)} received, not yet replayed: the promotion replays it before taking writes`);
  return notes;
}

/** Why `m` should not be promoted while the primary still answers. */
function againstLivePrimary(m: Member, v: StandbyView | undefined, primary: Member, s: ClusterState, fenced: boolean): string[] {
  const out: string[] = [];
  if (m.timeline !== undefined && primary.timeline !== undefined && m.timeline !== primary.timeline) {
    out.push(`it is on timeline ${m.timeline}, the primary on ${primary.timeline}: it does not follow the primary's history (rewind or re-clone it)`);
  }
  if (m.state !== 'streaming' || v?.receiver !== 'streaming') {
    const why = !v?.receiver ? 'it has no WAL receiver (archive recovery, or not connected)' : v.receiver !== 'streaming' ? `its WAL receiver is ${v.receiver}` : `its walsender on ${primary.name} is in ${m.state}`;
    out.push(`it does not stream from the primary — ${why}: it lacks what the primary wrote since${m.lagBytes ? ` (${formatBytes(m.lagBytes)} behind)` : ''}`);
  }
  const lagging = s.problems.find((p) => p.code === 'lagging' && p.member === m.name);
  if (lagging) out.push(`${lagging.message.replace(`${m.name} is `, 'it is ')}: commits not on it would be lost`);
  else if (fenced && m.lagBytes && m.state === 'streaming') out.push(`it is ${formatBytes(m.lagBytes)} behind the fenced primary: wait until it has replayed everything (lag 0 B), or those commits are lost`);
  return out;
}

/** Why `m` should not be promoted when no primary answers: another standby holds more, or a newer history. */
function againstOtherStandbys(m: Member, v: StandbyView | undefined, s: ClusterState): string[] {
  const out: string[] = [];
  const others = s.members.filter((o) => o.name !== m.name && isStandby(o));
  const newest = Math.max(m.timeline ?? 0, ...others.map((o) => o.timeline ?? 0));
  if (m.timeline !== undefined && m.timeline < newest) out.push(`it is on timeline ${m.timeline}, another standby on ${newest}: it has not followed the last promotion`);
  const mine = heldBytes(v);
  for (const o of others) {
    const theirs = heldBytes(viewOf(s, o.name));
    if (mine === undefined || theirs === undefined || theirs <= mine || o.timeline !== m.timeline) continue;
    out.push(`${o.name} has received ${formatBytes(theirs - mine)} more WAL: promote ${o.name}, or what only it holds is lost and it must be rewound to follow this one`);
  }
  return out;
}

function judge(m: Member, s: ClusterState, primary: Member | undefined, fenced: boolean): CandidateVerdict {
  if (isDown(m)) return { member: m.name, safe: false, reasons: [`it does not answer: ${m.detail ?? 'unreachable'}`], notes: [] };
  const v = viewOf(s, m.name);
  const reasons: string[] = [];
  if (v?.replayPaused) {
    const held = v.unappliedBytes !== undefined ? `${formatBytes(v.unappliedBytes)} of received WAL not yet applied` : 'received WAL not yet applied';
    reasons.push(
      `replay is paused with ${held}: promoting ends the pause (PostgreSQL 13 and later) and applies all of it before taking writes — whatever the pause holds back gets applied; resume replay (SELECT pg_wal_replay_resume()) and let it catch up, or leave it alone if the pause is deliberate`,
    );
  }
  reasons.push(...(primary ? againstLivePrimary(m, v, primary, s, fenced) : againstOtherStandbys(m, v, s)));
  const notes = notesOf(m, s, v);
  if (!primary && v?.receiver !== 'streaming') notes.push(`not streaming (no primary answers): it holds WAL up to ${v?.receiveLsn ?? v?.replayLsn ?? 'an unknown position'}`);
  return { member: m.name, safe: reasons.length === 0, reasons, notes };
}

/** Reasons about the whole set, and what to know before promoting anything in it. */
function clusterVerdict(s: ClusterState, primary: Member | undefined, fenced: boolean): { blockers: string[]; warnings: string[] } {
  const blockers: string[] = [];
  const warnings: string[] = [];
  const split = s.problems.find((p) => p.code === 'split-brain');
  if (split) blockers.push(`${split.message}: settle which one is the primary before promoting another`);
  const mixed = s.problems.find((p) => p.code === 'not-one-cluster');
  if (mixed) blockers.push(`${mixed.message}: name only the primary and its own standbys`);
  if (primary && !fenced) {
    blockers.push(`the old primary ${primary.name} still accepts writes: fence it first (stop it, or make it unreachable to clients), or both will take writes — split brain`);
  } else if (primary) {
    warnings.push(`${primary.name} is said to be fenced but still accepts writes here: make sure no client reaches it (pg_hba.conf, firewall, proxy) before promoting`);
  } else {
    const down = s.members.filter(isDown).map((m) => m.name);
    warnings.push(
      down.length
        ? `no primary answers (${down.join(', ')} down): that is the reason to promote; whatever it committed that no standby received is lost`
        : 'none of the servers given accepts writes: if their primary runs elsewhere, fence it before promoting',
    );
  }
  return { blockers, warnings };
}

/** The pre-flight of promoting a standby of a plain PostgreSQL set, on the state read just before. Pure. */
export function promotePreflight(s: ClusterState, o: PromoteOptions = {}): Preflight {
  if (s.error) return unreadable('promote', s);
  const primary = writables(s)[0];
  const fenced = o.oldPrimaryFenced === true;
  const { blockers, warnings } = clusterVerdict(s, primary, fenced);
  const named = o.candidate !== undefined ? s.members.find((m) => m.name === o.candidate) : undefined;
  const judged = s.members.filter((m) => isStandby(m) || (m === named && isDown(m)));
  const candidates = judged.map((m) => judge(m, s, primary, fenced));
  if (o.candidate === undefined) {
    const safe = candidates.filter((c) => c.safe).map((c) => c.member);
    blockers.push(`name the standby to promote: plain PostgreSQL elects none${safe.length ? ` (safe now: ${safe.join(', ')})` : ''}`);
  } else if (!named) {
    blockers.push(`${o.candidate} is not one of the servers given (${s.members.map((m) => m.name).join(', ') || 'none'})`);
  } else if (named.writable === true) {
    blockers.push(`${o.candidate} is not a standby: it already accepts writes`);
  }
  const target = candidates.find((c) => c.member === o.candidate);
  return { action: 'promote', kind: 'postgres', cluster: s.name, primary: primary?.name, target: o.candidate, ok: blockers.length === 0 && target?.safe === true, blockers, warnings, candidates };
}

/** One step of the promotion runbook, with its status judged from what the servers say now. */
export interface RunbookStep {
  id: 'fence' | 'promote' | 'repoint' | 'reattach';
  title: string;
  /** `manual`: nothing PostgreSQL shows can confirm it; the detail says what to do. */
  status: 'done' | 'pending' | 'failed' | 'manual';
  detail: string;
}

/** `host:port` (IPv6 in brackets) as conninfo keywords. */
function conninfoOf(address: string): string {
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(address);
  return m ? `host=${m[1]} port=${m[2]}` : `host=${address}`;
}

function fenceStep(now: ClusterState, target: string, old: string | undefined, promoted: boolean): RunbookStep {
  const title = 'Fence the old primary';
  const others = writables(now).filter((m) => m.name !== target).map((m) => m.name);
  if (others.length && promoted) return { id: 'fence', title, status: 'failed', detail: `${others.join(', ')} accepts writes as well as ${target}: split brain — stop ${others.join(', ')} now` };
  if (others.length) return { id: 'fence', title, status: 'pending', detail: `${others.join(', ')} still accepts writes: stop it (pg_ctl stop -m fast) or cut clients off it before promoting` };
  const m = old ? now.members.find((x) => x.name === old) : undefined;
  const how = !old ? `no server besides ${target} accepts writes` : !m || isDown(m) ? `${old} is down (it does not answer)` : `${old} is in recovery: it takes no writes`;
  return { id: 'fence', title, status: 'done', detail: how };
}

function promoteStep(before: ClusterState, now: ClusterState, target: string): RunbookStep {
  const title = `Promote ${target}`;
  const m = now.members.find((x) => x.name === target);
  const was = before.members.find((x) => x.name === target)?.timeline;
  if (!m || isDown(m)) return { id: 'promote', title, status: 'pending', detail: `${target} does not answer${m?.detail ? ` (${m.detail})` : ''}: whether it was promoted cannot be seen` };
  if (m.writable !== true) return { id: 'promote', title, status: 'pending', detail: `${target} is still in recovery: SELECT pg_promote() on it` };
  if (m.timeline === undefined || was === undefined || m.timeline <= was) return { id: 'promote', title, status: 'pending', detail: `${target} accepts writes but is still on timeline ${m.timeline ?? '?'}` };
  return { id: 'promote', title, status: 'done', detail: `${target} accepts writes on timeline ${m.timeline} (was ${was})` };
}

function repointStep(target: string, old: string | undefined): RunbookStep {
  const from = old ? ` that point at ${old}` : ' that point at the old primary';
  return {
    id: 'repoint',
    title: 'Point the clients at the new primary',
    status: 'manual',
    detail: `PostgreSQL cannot show where clients connect: HAProxy backends, pgbouncer [databases] entries, DNS names and application connection strings${from} must point at ${target} (a multi-host connection string with target_session_attrs=read-write finds the new primary by itself)`,
  };
}

function reattachStep(now: ClusterState, target: string, old: string | undefined, promoted: boolean): RunbookStep {
  const title = 'Re-attach the old primary as a standby';
  const how =
    `stop it cleanly, then pg_rewind --target-pgdata=<its data directory> --source-server='${conninfoOf(target)} user=<a superuser>' -R ` +
    `(it needs wal_log_hints=on or data checksums, the old primary's WAL back to the last checkpoint both share — wal_keep_size, or --restore-target-wal with an archive — and a CHECKPOINT on ${target} first; it copies ${target}'s configuration files, so restore the old primary's port and settings), ` +
    `or a fresh pg_basebackup -R -h <${target}> into its emptied data directory; then start it: standby.signal and primary_conninfo make it stream from ${target}`;
  if (!old) return { id: 'reattach', title, status: 'manual', detail: `the old primary was not among the servers read: re-attach it yourself — ${how}` };
  const m = now.members.find((x) => x.name === old);
  const v = viewOf(now, old);
  if (m && isStandby(m) && v?.upstream === target && v.listed && m.state === 'streaming') {
    return { id: 'reattach', title, status: 'done', detail: `${old} streams from ${target}${m.timeline !== undefined ? ` on timeline ${m.timeline}` : ''}; pg_stat_replication on ${target} lists it` };
  }
  const state = !m || isDown(m) ? 'down' : m.writable ? 'still a primary' : `in recovery but ${v?.upstream === target ? m.state : `not streaming from ${target} (${v?.sender ? `its receiver names ${v.sender}` : v?.receiver ?? 'no WAL receiver'})`}`;
  return { id: 'reattach', title, status: 'pending', detail: `${old} is ${state}${promoted ? '' : `; once ${target} is promoted`}: ${how}` };
}

/**
 * The promotion runbook for `target`, judged on `now` against the state `before` it started (the
 * old primary is the server that accepted writes then). Pure.
 */
export function runbook(before: ClusterState, now: ClusterState, target: string): RunbookStep[] {
  const old = writables(before).find((m) => m.name !== target)?.name;
  const promote = promoteStep(before, now, target);
  const promoted = promote.status === 'done';
  return [fenceStep(now, target, old, promoted), promote, repointStep(target, old), reattachStep(now, target, old, promoted)];
}

export interface PromoteSpecOptions extends PostgresOptions {
  candidate: string;
  oldPrimaryFenced?: boolean;
  /** What pg_promote waits for the promotion to finish (its own default: 60 s). */
  waitSeconds?: number;
  /** Deadline of each read. */
  timeoutMs?: number;
}

/** Promoting `candidate` with pg_promote(), ready for runAction. Close `provider` when done (it keeps sessions). */
export function promoteSpec(o: PromoteSpecOptions): ActionSpec & { provider: Provider } {
  const provider = postgresProvider(o);
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const waitSeconds = Math.max(1, Math.round(o.waitSeconds ?? 60));
  const options: Record<string, string | number | boolean> = { candidate: o.candidate, waitSeconds };
  if (o.oldPrimaryFenced) options.oldPrimaryFenced = true;
  return {
    provider,
    action: 'promote',
    kind: 'postgres',
    source: provider.source,
    options,
    read: async (signal) => (await provider.read({ timeoutMs, signal }))[0],
    preflight: (s) => promotePreflight(s, o),
    async perform(_s, _p, signal) {
      const env = o.env ?? process.env;
      const target = o.connections.flatMap((c) => resolveTargets(c, env)).find((t) => targetAddress(t) === o.candidate);
      if (!target) throw new Error(`${o.candidate} is not one of the servers given`);
      // pg_promote waits server-side; the session's deadline must outlast that wait.
      const ms = Math.max(timeoutMs, (waitSeconds + 5) * 1000);
      const rows = await withPg(target, { timeoutMs: ms, signal }, (q) => q<{ promoted: boolean }>(`SELECT pg_promote(true, ${waitSeconds}) AS promoted`)).catch((e: Error) => {
        const hint = /permission denied/i.test(e.message) ? ': pg_promote needs a superuser, or EXECUTE on it granted to this login' : '';
        throw new Error(`pg_promote on ${o.candidate} failed: ${e.message}${hint}`);
      });
      if (rows[0]?.promoted !== true) throw new Error(`${o.candidate} did not finish promoting within ${waitSeconds} s (pg_promote returned false); it may still finish — look at pg_is_in_recovery() and its log`);
      return `${o.candidate} promoted (pg_promote returned true)`;
    },
    verify(before, after) {
      const m = after.members.find((x) => x.name === o.candidate);
      if (!m || isDown(m)) return `${o.candidate} does not answer`;
      if (m.writable !== true) return `${o.candidate} is still in recovery`;
      const was = before.members.find((x) => x.name === o.candidate)?.timeline;
      if (m.timeline === undefined || was === undefined || m.timeline <= was) return `${o.candidate} is out of recovery but still on timeline ${m.timeline ?? '?'}`;
      return true;
    },
  };
}
