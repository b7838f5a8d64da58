// Hover on the lines of a config file that describe a running member or cluster: what the live
// snapshot says of it now (role, state, timeline, lag, sync), above the usual documentation.
import { formatLag } from '../../../../live/src/format';
import { proxies } from '../checks/haproxy/proxies';
import type { HaproxyModel } from '../documents/haproxy';
import type { RedisModel } from '../documents/redis';
import type { PatroniModel } from '../documents/yaml/patroni';
import { haproxyServer, matchPatroni, memberAt, readClusters } from '../live/match';
import type { ClusterState, Member } from '../live/snapshot';
import { haproxyTargets, pairSpan, patroniTargets, redisTargets } from '../live/targets';
import type { FileKind, HoverInfo, WorkspaceView } from '../types';

const cell = (s: string | number | undefined) => (s === undefined || s === '' ? '—' : String(s).replace(/\|/g, '\\|'));

function table(members: readonly Member[]): string {
  const rows = members.map((m) => `| ${cell(m.name)} | ${cell(m.role)} | ${cell(m.state)} | ${cell(m.timeline)} | ${cell(formatLag(m))} | ${cell(m.syncState)} | ${cell(m.health)} |`);
  return ['| member | role | state | timeline | lag | sync | health |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

function source(state: ClusterState): string {
  return `_${state.kind} ${state.name}, read from ${state.source || 'a connected endpoint'} at ${state.observedAt}_`;
}

function problems(state: ClusterState, member?: string): string[] {
  return state.problems.filter((p) => member === undefined || p.member === member).map((p) => `- **${p.severity}** \`${p.code}\`: ${p.message}`);
}

export function memberHover(state: ClusterState, member: Member): string {
  return [`**Live: ${member.name}** is ${member.role}, ${member.state || 'state unknown'}${member.writable === true && member.name !== state.leader ? ' and **writable**' : ''}`, table([member]), ...problems(state, member.name), source(state)].join('\n\n');
}

export function clusterHover(state: ClusterState): string {
  const lead = state.leader !== undefined ? `led by ${state.leader}` : 'without a leader';
  return [`**Live: ${state.kind} ${state.name}**, ${lead}${state.paused ? ', paused' : ''} (${state.health})`, table(state.members), ...problems(state), source(state)].join('\n\n');
}

const within = (span: { start: number; end: number } | undefined, offset: number) => span !== undefined && offset >= span.start && offset <= span.end;

function patroni(model: PatroniModel, offset: number, ws: WorkspaceView): HoverInfo | undefined {
  const target = patroniTargets(model)[0];
  const match = target && matchPatroni(ws.live?.(), target);
  if (!match) return undefined;
  const scope = pairSpan(model, ['scope']);
  if (within(scope, offset)) return { contents: clusterHover(match.state), ...scope! };
  for (const path of [['name'], ['postgresql', 'connect_address'], ['restapi', 'connect_address']]) {
    const span = pairSpan(model, path);
    if (!within(span, offset)) continue;
    const contents = match.member ? memberHover(match.state, match.member) : `**Live:** ${target.name ?? 'this member'} is not a member of ${match.state.kind} ${match.state.name} now.\n\n${source(match.state)}`;
    return { contents, ...span! };
  }
  return undefined;
}

function redis(model: RedisModel, offset: number, ws: WorkspaceView, kind: FileKind): HoverInfo | undefined {
  const d = model.directives.find((x) => offset >= x.start && offset <= x.end);
  if (!d) return undefined;
  const snapshot = ws.live?.();
  if (kind === 'sentinel' && d.sub === 'monitor' && d.args[0]) {
    const state = readClusters(snapshot, 'sentinel').find((c) => c.name === d.args[0].value);
    return state ? { contents: clusterHover(state), start: d.start, end: d.end } : undefined;
  }
  const addresses = kind === 'redis' && d.name === 'port' ? redisTargets(model)[0].addresses : (d.name === 'replicaof' || d.name === 'slaveof') && d.args.length === 2 ? [`${d.args[0].value}:${d.args[1].value}`] : [];
  const at = addresses.length ? memberAt(snapshot, addresses) : undefined;
  return at ? { contents: memberHover(at.state, at.member), start: d.start, end: d.end } : undefined;
}

function haproxy(model: HaproxyModel, offset: number, ws: WorkspaceView): HoverInfo | undefined {
  const snapshot = ws.live?.();
  for (const info of proxies(model)) {
    if (offset < info.section.start || offset > info.section.end) continue;
    const server = info.servers.find((s) => offset >= s.line.start && offset <= s.line.end);
    if (!server) return undefined;
    const target = haproxyTargets(model).find((t) => t.range.start.line === server.line.line);
    if (!target) return undefined;
    const at = memberAt(snapshot, target.addresses);
    const seen = haproxyServer(snapshot, target.cluster, target.name);
    const parts: string[] = [];
    if (at) parts.push(memberHover(at.state, at.member));
    if (seen) parts.push(`**HAProxy:** ${seen.member.name} is ${seen.member.state} in ${target.cluster}${seen.member.lastCheck ? ` (last check ${seen.member.lastCheck})` : ''}\n\n${source(seen.state)}`);
    return parts.length ? { contents: parts.join('\n\n---\n\n'), start: server.line.start, end: server.line.end } : undefined;
  }
  return undefined;
}

/** The live part of a hover at `offset`, when the workspace has a snapshot that knows what the line describes. */
export function liveHover(kind: FileKind, model: unknown, offset: number, ws: WorkspaceView): HoverInfo | undefined {
  if (!ws.live?.()) return undefined;
  switch (kind) {
    case 'patroni':
      return patroni(model as PatroniModel, offset, ws);
    case 'sentinel':
    case 'redis':
      return redis(model as RedisModel, offset, ws, kind);
    case 'haproxy':
      return haproxy(model as HaproxyModel, offset, ws);
    default:
      return undefined;
  }
}
