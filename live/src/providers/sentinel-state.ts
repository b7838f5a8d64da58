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

function dataMember(f: Fields, role: 'primary' | 'replica', group: string, node: NodeInfo | undefined, masterInfo: Fields | undefined, masterAddr: string): Built {
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
    if (role === 'replica' && f['role-reported'] === 'master') problems.push(splitBrain(name, group, 'Sentinel reports'));
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
      problems.push(splitBrain(name, group, 'INFO reports'));
      member.health = 'error';
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
    const seconds = linkUp ? num(info.master_last_io_seconds_ago) : num(info.master_link_down_since_seconds);
    if (seconds !== undefined && seconds >= 0) member.lagSeconds = seconds;
  }
  return { member, problems };
}

function splitBrain(name: string, group: string, who: string): LiveProblem {
  return { code: 'split-brain', severity: 'error', message: `${who} ${name} is a writable master, but Sentinel counts it as a replica of ${group}: two masters`, member: name };
}

/** The ClusterState of one master, from one Sentinel's view and the data nodes' INFO keyed by `host:port`. */
export function sentinelClusterState(view: SentinelView, nodes: Map<string, NodeInfo>, source: string, now: Date): ClusterState {
  const group = view.master.name ?? '?';
  const masterAddr = addressOf(view.master);
  const masterNode = nodes.get(masterAddr);
  const masterInfo = masterNode && 'info' in masterNode ? masterNode.info : undefined;
  const built = [
    dataMember(view.master, 'primary', group, masterNode, undefined, masterAddr),
    ...view.replicas.map((r) => dataMember(r, 'replica', group, nodes.get(addressOf(r)), masterInfo, masterAddr)),
  ];
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
