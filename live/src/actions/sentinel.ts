// Redis Sentinel's own actions on one master — SENTINEL FAILOVER and SENTINEL RESET — with a
// pre-flight that judges every replica the way Sentinel's replica selection will, and says why in
// words (Sentinel's own refusal, -NOGOODSLAVE, names no replica and no reason).
import { formatBytes, formatSeconds } from '../format';
import type { ClusterState, Member } from '../model';
import { DEFAULT_TIMEOUT_MS } from '../provider';
import type { Provider } from '../provider';
import { RedisCallError, RedisConnections } from '../providers/redis-connections';
import type { SentinelOptions } from '../providers/sentinel';
import { sentinelEndpoint, sentinelProvider } from '../providers/sentinel';
import type { ActionKind, CandidateVerdict, Preflight } from './model';
import type { ActionSpec } from './run';

export type SentinelAction = Extract<ActionKind, 'sentinel-failover' | 'sentinel-reset'>;

export interface SentinelPreflightOptions {
  /** The replica (`host:port`) the failover should promote. Sentinel cannot be told: see the pre-flight. */
  candidate?: string;
}

const DOWN_FLAGS = ['s_down', 'o_down', 'disconnected'];
/** Sentinel's default replica-priority: a replica that never said otherwise. */
const DEFAULT_PRIORITY = 100;

const flagsOf = (m: Member) => m.state.split(',');
const downFlags = (m: Member) => flagsOf(m).filter((f) => DOWN_FLAGS.includes(f));
const problemOf = (s: ClusterState, code: string, member?: string) => s.problems.find((p) => p.code === code && (member === undefined || p.member === member));
const priorityOf = (m: Member): number | undefined => {
  const v = m.tags?.['replica-priority'];
  return typeof v === 'number' ? v : undefined;
};
const dataMembers = (s: ClusterState) => s.members.filter((m) => m.role !== 'sentinel');
const replicasOf = (s: ClusterState) => s.members.filter((m) => m.role === 'replica');
const masterOf = (s: ClusterState) => s.members.find((m) => m.role === 'primary' && m.name === s.leader);
const downAfterMs = (s: ClusterState): number | undefined => {
  const v = (s.details ?? {}).downAfterMs;
  return typeof v === 'number' ? v : undefined;
};

/** A replica as Sentinel sees it (`skipped`: why Sentinel itself passes it over) and as a DBA would (`concerns`). */
interface Assessed {
  member: Member;
  skipped: string[];
  concerns: string[];
  notes: string[];
}

function assess(m: Member, s: ClusterState): Assessed {
  const skipped: string[] = [];
  const concerns: string[] = [];
  const down = downFlags(m);
  if (down.length) skipped.push(`Sentinel flags it ${down.join(', ')}: it never promotes a replica it cannot reach`);
  if (priorityOf(m) === 0) skipped.push('replica-priority 0: Sentinel will never promote it');
  if (problemOf(s, 'replica-link-down', m.name)) {
    // Sentinel passes over a replica whose link has been down longer than ten down-after periods.
    const limit = downAfterMs(s);
    if (m.lagSeconds !== undefined && limit !== undefined && m.lagSeconds * 1000 > limit * 10) {
      skipped.push(`its link to the master has been down ${formatSeconds(m.lagSeconds)}, more than 10 × down-after-milliseconds: Sentinel skips it`);
    } else concerns.push('its link to the master is down (master_link_status down): what was written since is not on it');
  }
  if (m.writable === undefined) concerns.push(`its INFO replication cannot be read from here${m.detail ? ` (${m.detail.replace(/^INFO replication: /, '')})` : ''}: whether it has the data is unknown`);
  if (problemOf(s, 'split-brain', m.name) || problemOf(s, 'stale-master', m.name)) concerns.push('it already accepts writes as a master of its own (split brain): settle that first');
  if (m.detail?.startsWith('replicates from')) concerns.push(`it ${m.detail}`);
  if (m.detail === 'full synchronisation in progress') concerns.push('a full synchronisation is in progress: its data set is not complete');
  const notes: string[] = [`replica-priority ${priorityOf(m) ?? `${DEFAULT_PRIORITY} (not reported)`}`];
  if (m.lagBytes !== undefined) notes.push(`${formatBytes(m.lagBytes)} behind the master`);
  if (m.lagSeconds !== undefined && !problemOf(s, 'replica-link-down', m.name)) notes.push(`last heard from the master ${formatSeconds(m.lagSeconds)} ago`);
  if (m.state !== 'slave') notes.push(`flags ${m.state}`);
  return { member: m, skipped, concerns, notes };
}

/** Sentinel's order of preference: lowest replica-priority, then most replicated data (least lag). */
function compare(a: Assessed, b: Assessed): number {
  const pa = priorityOf(a.member) ?? DEFAULT_PRIORITY;
  const pb = priorityOf(b.member) ?? DEFAULT_PRIORITY;
  if (pa !== pb) return pa - pb;
  const la = a.member.lagBytes ?? Number.MAX_SAFE_INTEGER;
  const lb = b.member.lagBytes ?? Number.MAX_SAFE_INTEGER;
  return la - lb;
}

/** Whether Sentinel could prefer either of the two: same priority, and the same lag or a lag unknown. */
const tiedWith = (a: Assessed, b: Assessed) =>
  (priorityOf(a.member) ?? DEFAULT_PRIORITY) === (priorityOf(b.member) ?? DEFAULT_PRIORITY) &&
  (a.member.lagBytes === b.member.lagBytes || a.member.lagBytes === undefined || b.member.lagBytes === undefined);

/**
 * The replica Sentinel would most likely promote among those it does not skip; `tied` when several
 * could rank first (Sentinel then takes the lowest run id, which this state does not carry).
 */
function likelyPick(eligible: Assessed[]): { pick?: Assessed; tied: Assessed[] } {
  if (!eligible.length) return { tied: [] };
  const first = [...eligible].sort(compare)[0];
  const tied = eligible.filter((a) => a === first || tiedWith(a, first));
  return tied.length === 1 ? { pick: first, tied } : { tied };
}

const why = (a: Assessed) => `replica-priority ${priorityOf(a.member) ?? DEFAULT_PRIORITY}${a.member.lagBytes !== undefined ? `, ${formatBytes(a.member.lagBytes)} behind` : ''}`;

function base(s: ClusterState, action: SentinelAction): Preflight {
  return { action, kind: 'sentinel', cluster: s.name, primary: s.leader, ok: false, blockers: [], warnings: [], candidates: [] };
}

/** Reasons about the master and the Sentinels that refuse a failover, and facts worth a warning. */
function clusterChecks(s: ClusterState, p: Preflight): void {
  const master = masterOf(s);
  if (!master) {
    p.blockers.push(`Sentinel knows no master for ${s.name}`);
    return;
  }
  for (const code of ['quorum', 'too-few-sentinels']) {
    const q = problemOf(s, code);
    if (q) p.blockers.push(`${q.message}: bring the Sentinels back first, or no failover could be authorised if the new master failed in turn`);
  }
  if (flagsOf(master).some((f) => f.startsWith('failover'))) p.blockers.push(`a failover of ${s.name} is already in progress (flags ${master.state}): Sentinel would answer -INPROG; wait for it to end`);
  if (downFlags(master).length || master.writable === undefined) {
    p.warnings.push(`the master ${master.name} does not answer (${master.writable === undefined && master.detail ? master.detail : master.state}): that is what a failover is for, but what it had not yet replicated is lost`);
  } else {
    p.warnings.push(`Sentinel does not stop writes to ${master.name} before promoting: what clients write there until Sentinel turns it into a replica (a few seconds) is lost`);
  }
}

function chooseTarget(p: Preflight, s: ClusterState, assessed: Assessed[], asked: string | undefined): void {
  const eligible = assessed.filter((a) => !a.skipped.length);
  const { pick, tied } = likelyPick(eligible);
  const verdictOf = (name: string) => p.candidates.find((c) => c.member === name);
  if (pick) verdictOf(pick.member.name)?.notes.push('Sentinel would most likely choose it');
  if (!assessed.length) p.blockers.push(`${s.name} has no replica: there is nothing to fail over to`);
  else if (!eligible.length) p.blockers.push('no replica can be promoted, each one is refused below: Sentinel would answer -NOGOODSLAVE');
  if (asked !== undefined) {
    p.target = asked;
    const wanted = assessed.find((a) => a.member.name === asked);
    if (!wanted) {
      const known = assessed.map((a) => a.member.name).join(', ') || 'none';
      p.blockers.push(asked === s.leader ? `${asked} is the master already` : `${asked} is not a replica of ${s.name} (replicas: ${known})`);
    } else if (pick && pick !== wanted && !wanted.skipped.length) {
      const others = eligible.filter((a) => a !== wanted).map((a) => a.member.name);
      p.blockers.push(
        `SENTINEL FAILOVER cannot be told which replica to promote: Sentinel picks itself, and would most likely choose ${pick.member.name} (${why(pick)}), not ${asked} (${why(wanted)}). ` +
          `To have it choose ${asked}, first give it the lowest replica-priority (CONFIG SET replica-priority 1 on ${asked}) or set replica-priority 0 on ${others.join(', ')}, and wait until Sentinel has seen it (it reads INFO every 10 s)`,
      );
    } else if (!pick && tied.includes(wanted)) {
      p.blockers.push(`Sentinel would choose between ${tied.map((a) => a.member.name).join(' and ')} (same replica-priority, same offset) by run id: it cannot be told to take ${asked}; give ${asked} a lower replica-priority first`);
    }
  } else if (pick) {
    p.target = pick.member.name;
    if (!verdictOf(pick.member.name)?.safe) p.blockers.push(`Sentinel would most likely promote ${pick.member.name}, which is refused below`);
  } else if (tied.length) {
    p.warnings.push(`Sentinel will choose between ${tied.map((a) => a.member.name).join(', ')} (same replica-priority and offset, or offsets unknown) by run id`);
    const unsafe = tied.filter((a) => !verdictOf(a.member.name)?.safe).map((a) => a.member.name);
    if (unsafe.length) p.blockers.push(`Sentinel may promote ${unsafe.join(' or ')}, refused below`);
  }
  const target = assessed.find((a) => a.member.name === p.target);
  if (target?.member.lagBytes) p.warnings.push(`${target.member.name} is ${formatBytes(target.member.lagBytes)} behind the master: writes not yet on it are lost`);
}

function resetChecks(s: ClusterState, p: Preflight): void {
  const replicas = replicasOf(s);
  const answering = String((s.details ?? {}).sentinel ?? s.source);
  const sentinels = s.members.filter((m) => m.role === 'sentinel' && m.name !== answering);
  p.warnings.push(
    `Sentinel ${answering} forgets the ${replicas.length} replica(s) and ${sentinels.length} other Sentinel(s) of ${s.name} and finds them again: ` +
      'the replicas from the master’s INFO, the Sentinels from their hello messages (every 2 s); until then it could not fail over',
  );
  for (const m of [...replicas, ...sentinels]) {
    if (downFlags(m).length) p.warnings.push(`${m.name} is flagged ${m.state}: it stays forgotten until it is back${m.role === 'replica' ? ' and replicating from the master' : ''}`);
  }
  p.warnings.push(`only Sentinel ${answering} is reset; to forget a node everywhere, reset each Sentinel in turn`);
  const master = masterOf(s);
  if (master && flagsOf(master).some((f) => f.startsWith('failover'))) p.warnings.push(`a failover is in progress (flags ${master.state}): the reset abandons it`);
}

/** The pre-flight of a Sentinel action on the state of one master read just before it. Pure. */
export function sentinelPreflight(s: ClusterState, action: SentinelAction, o: SentinelPreflightOptions = {}): Preflight {
  const p = base(s, action);
  if (s.error) {
    p.blockers.push(`the cluster could not be read: ${s.error}`);
    return p;
  }
  if (action === 'sentinel-reset') {
    resetChecks(s, p);
    p.ok = true;
    return p;
  }
  clusterChecks(s, p);
  const assessed = replicasOf(s).map((m) => assess(m, s));
  p.candidates = assessed.map((a): CandidateVerdict => {
    const reasons = [...a.skipped, ...a.concerns];
    return { member: a.member.name, safe: reasons.length === 0, reasons, notes: a.notes };
  });
  if (masterOf(s)) chooseTarget(p, s, assessed, o.candidate);
  const target = p.candidates.find((c) => c.member === p.target);
  p.ok = p.blockers.length === 0 && (target ? target.safe : p.candidates.some((c) => c.safe));
  return p;
}

/** Sentinel's refusals (-NOGOODSLAVE, -INPROG…) in plain words. */
export function sentinelAnswerWords(reply: string, master: string, where: string): string {
  if (/^NOGOODSLAVE/i.test(reply)) {
    return `Sentinel ${where} found no replica of ${master} it may promote (-NOGOODSLAVE): each one is down, disconnected, has replica-priority 0 or lost its link to the master too long ago`;
  }
  if (/^INPROG/i.test(reply)) return `a failover of ${master} is already in progress (-INPROG): wait for it to end (failover-timeout) and read the cluster again`;
  if (/no such master/i.test(reply)) return `Sentinel ${where} monitors no master named '${master}'`;
  return `Sentinel ${where} answered: ${reply}`;
}

/** The glob SENTINEL RESET takes, matching `name` alone (a name may hold `*`, `?` or `[`). */
export function exactPattern(name: string): string {
  return name.replace(/[\\*?[\]]/g, (c) => `\\${c}`);
}

/** The failover is seen when another master answers as one and the old one follows it or is down. */
function failoverVerdict(before: ClusterState, after: ClusterState, candidate: string | undefined): true | string {
  const old = before.leader;
  if (!after.leader || after.leader === old) return `Sentinel still reports ${old ?? 'no master'} as the master`;
  if (candidate !== undefined && after.leader !== candidate) return `Sentinel promoted ${after.leader}, not ${candidate}`;
  const now = masterOf(after);
  if (!now || now.writable === undefined) return `${after.leader} is the master for Sentinel, but its INFO cannot be read yet`;
  if (now.writable !== true || problemOf(after, 'role-mismatch', now.name)) return `${after.leader} is the master for Sentinel, but its INFO does not say role:master yet`;
  const was = dataMembers(after).find((m) => m.name === old);
  if (!was) return `${old}, the old master, is not listed as a replica yet`;
  // A dead old master cannot follow: the failover is done once the new master is confirmed. Its own
  // INFO decides, not Sentinel's flags: Sentinel shows it `disconnected` while it reconfigures it.
  if (was.writable === undefined) return true;
  if (problemOf(after, 'split-brain', was.name) || problemOf(after, 'stale-master', was.name)) return `${old}, the old master, still says it is a master: Sentinel turns it into a replica of ${after.leader} within about 20 s`;
  if (was.detail?.startsWith('replicates from')) return `${old}, the old master, ${was.detail}`;
  return true;
}

/** The reset is seen when the Sentinel knows again every replica and Sentinel that was up before. */
function resetVerdict(before: ClusterState, after: ClusterState): true | string {
  const up = (s: ClusterState, role: Member['role']) => s.members.filter((m) => m.role === role && !downFlags(m).length).length;
  const count = (s: ClusterState, role: Member['role']) => s.members.filter((m) => m.role === role).length;
  const awaited: string[] = [];
  if (count(after, 'replica') < up(before, 'replica')) awaited.push(`${count(after, 'replica')} of ${up(before, 'replica')} replicas found again`);
  if (count(after, 'sentinel') < up(before, 'sentinel')) awaited.push(`${count(after, 'sentinel')} of ${up(before, 'sentinel')} Sentinels found again`);
  return awaited.length ? awaited.join(', ') : true;
}

export interface SentinelActionOptions extends SentinelOptions {
  /** The master acted on, by its Sentinel name. */
  master: string;
  /** For a failover: the replica wanted (`host:port`); refused unless it is the one Sentinel would pick. */
  candidate?: string;
  /** Deadline of each call (reads and the command itself). */
  timeoutMs?: number;
}

/** A Sentinel action ready for runAction; `close()` ends its connections. */
export type SentinelActionSpec = ActionSpec & { provider: Provider; close(): Promise<void> };

function sentinelActionSpec(action: SentinelAction, o: SentinelActionOptions): SentinelActionSpec {
  const provider = sentinelProvider({ ...o, master: o.master });
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const endpoints = o.sentinels.map((u, i) => sentinelEndpoint(u, i, o.tls));
  const connections = new RedisConnections([o.dataPassword, ...endpoints.map((e) => e.target.password)]);
  const options: Record<string, string> = { master: o.master };
  if (o.candidate !== undefined) options.candidate = o.candidate;
  return {
    provider,
    action,
    kind: 'sentinel',
    source: provider.source,
    options,
    async read(signal) {
      const states = await provider.read({ timeoutMs, signal });
      return states.find((s) => s.name === o.master) ?? states[0];
    },
    preflight: (s) => sentinelPreflight(s, action, { candidate: o.candidate }),
    async perform(s, _p, signal) {
      // The Sentinel that answered the read is the one asked: its view is the one judged.
      const sentinel = endpoints.find((e) => e.url === s.source) ?? endpoints[0];
      const where = String((s.details ?? {}).sentinel ?? s.source);
      const command: [string, ...string[]] = action === 'sentinel-failover' ? ['SENTINEL', 'FAILOVER', o.master] : ['SENTINEL', 'RESET', exactPattern(o.master)];
      let reply: unknown;
      try {
        reply = await connections.call(sentinel.target, Date.now() + timeoutMs, signal, command);
      } catch (e) {
        if (e instanceof RedisCallError && e.code === 'EREPLY') throw new Error(sentinelAnswerWords(e.reply ?? e.message, o.master, where));
        throw e;
      }
      if (action === 'sentinel-failover') return `Sentinel ${where} started the failover of ${o.master}`;
      if (Number(reply) < 1) throw new Error(`Sentinel ${where} reset no master: it monitors none named '${o.master}'`);
      return `Sentinel ${where} reset ${o.master}`;
    },
    verify: (before, after) => (action === 'sentinel-failover' ? failoverVerdict(before, after, o.candidate) : resetVerdict(before, after)),
    async close() {
      connections.close();
      await provider.close?.();
    },
  };
}

/** SENTINEL FAILOVER of `master`: Sentinel promotes the replica it prefers, the pre-flight says which and why. */
export function sentinelFailoverSpec(o: SentinelActionOptions): SentinelActionSpec {
  return sentinelActionSpec('sentinel-failover', o);
}

/** SENTINEL RESET of `master` on the Sentinel that answers: it forgets its replicas and peers and finds them again. */
export function sentinelResetSpec(o: Omit<SentinelActionOptions, 'candidate'>): SentinelActionSpec {
  return sentinelActionSpec('sentinel-reset', o);
}
