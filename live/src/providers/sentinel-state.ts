// What one Sentinel says about one master, plus what each data node says about itself (INFO
// replication), turned into a ClusterState. Pure: the provider gathers, this decides.
import type { ClusterState, Health, LiveProblem, Member } from '../model';
import { overallHealth, worse } from '../model';
import { hostPort } from './redis-connections';

export type Fields = Record<string, string>;

/** What the answering Sentinel said about one master. */
export interface SentinelView {
  /** The Sentinel that answered, `host:port`. */
  sentinel: string;
  /** `SENTINEL MASTER name`. */
  master: Fields;
  /** `SENTINEL REPLICAS name`. */
  replicas: Fields[];
  /** `SENTINEL SENTINELS name`: the other Sentinels, as this one knows them. */
  sentinels: Fields[];
  /** `SENTINEL CKQUORUM name`: whether it answered OK, and its words either way. */
  ckquorum: { ok: boolean; text: string };
}

/** A data node's `INFO replication`, or why it could not be read. */
export type NodeInfo = { info: Fields } | { error: string };

/** A flat `[key, value, key, value…]` reply as an object (how Sentinel answers in RESP2). */
export function pairs(reply: unknown): Fields {
  const out: Fields = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  return out;
}

/** `INFO` text as key → value (section headers and blank lines skipped). */
export function parseInfo(text: string): Fields {
  const out: Fields = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

const num = (v: string | undefined): number | undefined => {
  if (v === undefined || v === '' || v === '?') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

export const addressOf = (f: Fields): string => hostPort(f.ip ?? '?', f.port ?? '?');

/** Health from Sentinel's flags: down or disconnected is an error, a failover in progress a warning. */
export function flagsHealth(flags: string): Health {
  const list = flags.split(',');
  if (list.some((f) => f === 's_down' || f === 'o_down' || f === 'disconnected')) return 'error';
  if (list.some((f) => f.startsWith('failover') || f === 'promoted' || f.startsWith('reconf'))) return 'warning';
  return 'ok';
}

const isDown = (flags: string | undefined) => (flags ?? '').split(',').some((f) => f === 's_down' || f === 'o_down' || f === 'disconnected');

interface Built {
  member: Member;
  problems: LiveProblem[];
}

/**
 * How long a replica may say it is a master while Sentinel can reach it before that is a split
 * brain. Sentinel itself turns such a node back into a replica (+convert-to-slave) at the first
 * INFO (every 10 s) after it has reported master for 8 s (4 × the 2-s publish period): within
 * about 20 s. That happens to the old master at the end of every failover, and to a replica
 * promoted by hand behind Sentinel's back.
 */
export const STALE_MASTER_GRACE_MS = 30_000;

/** What the caller knows beyond one read: since when (ms since epoch) each replica has been seen claiming to be a master. */
export interface ClaimHistory {
  masterClaims?: ReadonlyMap<string, number>;
}

interface Context extends ClaimHistory {
  group: string;
  masterAddr: string;
  masterInfo?: Fields;
  /** The master's flags say a failover is under way. */
  failingOver: boolean;
  now: number;
}

/**
 * A replica (for Sentinel) that says it is a master: the replica Sentinel is promoting, a node
 * Sentinel is about to turn back into a replica, or — when that lasts, or Sentinel cannot reach it
 * — a split brain.
 */
function claimsMaster(f: Fields, name: string, ctx: Context, who: string): LiveProblem {
  const flags = (f.flags ?? '').split(',');
  if (ctx.failingOver || flags.includes('promoted')) {
    return { code: 'promoting', severity: 'warning', message: `${who} ${name} is a master already: Sentinel is promoting it (failover of ${ctx.group} in progress)`, member: name };
  }
  // Down for Sentinel (not merely `disconnected`: a node just listed as a replica, the old master
  // at the end of a failover, is so until Sentinel's link to it is up), Sentinel cannot end it.
  if (flags.includes('s_down') || flags.includes('o_down')) return splitBrain(name, ctx.group, who);
  // Since when it has said so: as this reader saw it, or as Sentinel saw it, whichever is longer.
  const ours = ctx.masterClaims?.get(name);
  const sentinels = f['role-reported'] === 'master' ? num(f['role-reported-time']) : undefined;
  const age = Math.max(ours === undefined ? 0 : ctx.now - ours, sentinels ?? 0);
  if (age >= STALE_MASTER_GRACE_MS) return splitBrain(name, ctx.group, who);
  return {
    code: 'stale-master',
    severity: 'warning',
    message: `${who} ${name} is a writable master, but Sentinel counts it as a replica of ${ctx.group}: Sentinel turns it back into a replica within about 20 s, and what is written to it meanwhile is lost`,
    member: name,
  };
}

/** The replicas (for Sentinel) that say they are masters, by INFO or, without INFO, by Sentinel's report. */
export function masterClaimants(view: SentinelView, nodes: Map<string, NodeInfo>): string[] {
  return view.replicas
    .filter((r) => {
      const node = nodes.get(addressOf(r));
      return node && 'info' in node ? node.info.role === 'master' : r['role-reported'] === 'master';
    })
    .map(addressOf);
}

function dataMember(f: Fields, role: 'primary' | 'replica', node: NodeInfo | undefined, ctx: Context): Built {
  const { group, masterInfo, masterAddr } = ctx;
  const name = addressOf(f);
  const flags = f.flags ?? 'unknown';
  const member: Member = { name, address: name, role, state: flags, health: flagsHealth(flags), group };
  const problems: LiveProblem[] = [];
  const priority = num(f['slave-priority'] ?? f['replica-priority']);
  if (role === 'replica' && priority !== undefined) member.tags = { 'replica-priority': priority };
  if (isDown(flags)) {
    if (role === 'primary' && flags.includes('o_down')) problems.push({ code: 'master-down', severity: 'error', message: `the Sentinels agree that master ${name} is down (${flags})`, member: name });
    else problems.push({ code: 'member-down', severity: 'warning', message: `Sentinel sees ${role === 'primary' ? 'master' : 'replica'} ${name} as down (${flags})`, member: name });
  }
  if (!node || 'error' in node) {
    const why = node ? node.error : 'not read';
    member.detail = `INFO replication: ${why}`;
    if (!isDown(flags)) problems.push({ code: 'member-unreachable', severity: 'warning', message: `cannot read INFO replication of ${name}: ${why}`, member: name });
    // Sentinel's own report of the role is what is left to tell a split brain by.
    if (role === 'replica' && f['role-reported'] === 'master') {
      const p = claimsMaster(f, name, ctx, 'Sentinel reports');
      problems.push(p);
      member.health = worse(member.health, p.severity === 'error' ? 'error' : 'warning');
    }
    return { member, problems };
  }
  const info = node.info;
  const reported = info.role;
  member.writable = reported === 'master' || info.slave_read_only === '0';
  if (role === 'primary' && reported !== 'master') {
    const upstream = info.master_host ? hostPort(info.master_host, info.master_port ?? '?') : 'another node';
    problems.push({ code: 'role-mismatch', severity: 'warning', message: `Sentinel calls ${name} the master of ${group}, but it reports itself a replica of ${upstream}`, member: name });
    member.health = worse(member.health, 'warning');
  }
  if (role === 'replica') {
    if (reported === 'master') {
      const p = claimsMaster(f, name, ctx, 'INFO reports');
      problems.push(p);
      member.health = p.severity === 'error' ? 'error' : worse(member.health, 'warning');
      return { member, problems };
    }
    const upstream = info.master_host ? hostPort(info.master_host, info.master_port ?? '?') : undefined;
    const linkUp = info.master_link_status === 'up';
    if (upstream && upstream !== masterAddr) member.detail = `replicates from ${upstream}, not from the master ${masterAddr}`;
    if (info.master_sync_in_progress === '1') member.detail = 'full synchronisation in progress';
    if (!linkUp) {
      member.health = worse(member.health, 'warning');
      problems.push({ code: 'replica-link-down', severity: 'warning', message: `replica ${name} has lost its link to ${upstream ?? 'its master'} (master_link_status ${info.master_link_status ?? 'unknown'})`, member: name });
    }
    const masterOffset = num(masterInfo?.master_repl_offset);
    const offset = num(info.slave_repl_offset);
    if (masterOffset !== undefined && offset !== undefined && upstream === masterAddr) member.lagBytes = Math.max(0, masterOffset - offset);
    // Link up: the master's own figure for it (`lag` of its slaveN line, seconds since the replica's
    // last acknowledgement, sent every second), as redis-cli and Sentinel read it; the replica's
    // master_last_io_seconds_ago counts up to the ping period on an idle master. Link down: since when.
    const seconds = linkUp ? (ackLagOf(masterInfo, name) ?? num(info.master_last_io_seconds_ago)) : num(info.master_link_down_since_seconds);
    if (seconds !== undefined && seconds >= 0) member.lagSeconds = seconds;
  }
  return { member, problems };
}

/** `lag` of the master's INFO line for the replica at `address` (`slave0:ip=…,port=…,state=online,offset=…,lag=0`). */
function ackLagOf(masterInfo: Fields | undefined, address: string): number | undefined {
  if (!masterInfo) return undefined;
  for (const [key, value] of Object.entries(masterInfo)) {
    if (!/^slave\d+$/.test(key)) continue;
    const f = Object.fromEntries(value.split(',').map((kv) => kv.split('=') as [string, string]));
    if (f.ip !== undefined && f.port !== undefined && hostPort(f.ip, f.port) === address) return num(f.lag);
  }
  return undefined;
}

function splitBrain(name: string, group: string, who: string): LiveProblem {
  return { code: 'split-brain', severity: 'error', message: `${who} ${name} is a writable master, but Sentinel counts it as a replica of ${group}: two masters`, member: name };
}

/**
 * The ClusterState of one master, from one Sentinel's view and the data nodes' INFO keyed by
 * `host:port`; `history` says since when replicas have been claiming to be masters (none: since now).
 */
export function sentinelClusterState(view: SentinelView, nodes: Map<string, NodeInfo>, source: string, now: Date, history: ClaimHistory = {}): ClusterState {
  const group = view.master.name ?? '?';
  const masterAddr = addressOf(view.master);
  const masterNode = nodes.get(masterAddr);
  const masterInfo = masterNode && 'info' in masterNode ? masterNode.info : undefined;
  const ctx: Context = { ...history, group, masterAddr, failingOver: (view.master.flags ?? '').split(',').includes('failover_in_progress'), now: now.getTime() };
  const built = [dataMember(view.master, 'primary', masterNode, ctx), ...view.replicas.map((r) => dataMember(r, 'replica', nodes.get(addressOf(r)), { ...ctx, masterInfo }))];
  const problems = built.flatMap((b) => b.problems);
  const sentinels: Member[] = [{ name: view.sentinel, address: view.sentinel, role: 'sentinel', state: 'sentinel', health: 'ok', group, detail: 'answered this read' }];
  for (const s of view.sentinels) {
    const name = addressOf(s);
    const flags = s.flags ?? 'unknown';
    sentinels.push({ name, address: name, role: 'sentinel', state: flags, health: flagsHealth(flags), group });
    if (isDown(flags)) problems.push({ code: 'member-down', severity: 'warning', message: `Sentinel ${name} is down as seen from ${view.sentinel} (${flags})`, member: name });
  }
  const quorum = num(view.master.quorum);
  const usable = sentinels.filter((s) => !isDown(s.state)).length;
  if (!view.ckquorum.ok) problems.push({ code: 'quorum', severity: 'error', message: `Sentinel ${view.sentinel}: ${view.ckquorum.text}` });
  if (quorum !== undefined && usable < quorum) {
    problems.push({ code: 'too-few-sentinels', severity: 'error', message: `only ${usable} of ${sentinels.length} Sentinels are reachable, fewer than the quorum of ${quorum}: no failover can start` });
  }
  const members = [...built.map((b) => b.member), ...sentinels];
  const state: ClusterState = {
    kind: 'sentinel',
    name: group,
    source,
    observedAt: now.toISOString(),
    leader: masterAddr,
    members,
    health: 'unknown',
    problems,
    details: {
      sentinel: view.sentinel,
      quorum,
      ckquorum: view.ckquorum.text,
      configEpoch: num(view.master['config-epoch']),
      downAfterMs: num(view.master['down-after-milliseconds']),
      failoverTimeoutMs: num(view.master['failover-timeout']),
    },
  };
  state.health = overallHealth(state);
  return state;
}
