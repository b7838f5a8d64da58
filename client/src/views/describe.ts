// Words of the HA Clusters view and the status bar item, from the states. No `vscode` import:
// unit-tested from plain Node.
import { formatBytes, formatLag, formatSeconds } from '../../../live/src/format';
import type { ClusterState, Health, LiveProblem, Member, MemberRole } from '../../../live/src/model';

const ROLE_WORDS: Record<MemberRole, string> = {
  primary: 'primary',
  'standby-leader': 'standby leader',
  'sync-standby': 'sync standby',
  replica: 'replica',
  sentinel: 'sentinel',
  frontend: 'frontend',
  backend: 'backend',
  server: 'server',
  unknown: 'role unknown',
};

export const roleWord = (role: MemberRole): string => ROLE_WORDS[role];

/** The codicon of a member's role. */
export function roleIcon(role: MemberRole): string {
  switch (role) {
    case 'primary':
      return 'star-full';
    case 'standby-leader':
      return 'star-half';
    case 'sync-standby':
      return 'sync';
    case 'replica':
      return 'mirror';
    case 'sentinel':
      return 'eye';
    case 'frontend':
      return 'arrow-right';
    case 'backend':
      return 'server-process';
    case 'server':
      return 'server';
    default:
      return 'question';
  }
}

/** The theme colour of a health, or undefined for the default foreground. */
export function healthColor(health: Health): string | undefined {
  switch (health) {
    case 'error':
      return 'errorForeground';
    case 'warning':
      return 'editorWarning.foreground';
    case 'ok':
      return 'testing.iconPassed';
    default:
      return undefined;
  }
}

/** What follows a member's name: role, state, lag, timeline, sync badge, a writable replica. */
export function memberDescription(m: Member): string {
  const parts = [roleWord(m.role)];
  // A server whose check answers "not me" while another takes the traffic (a replica behind /primary)
  // is healthy though HAProxy says DOWN: say so first, the reason is in the hover.
  const standingBy = m.role === 'server' && m.health === 'ok' && /^DOWN\b/.test(m.state);
  if (m.state && m.state !== m.role) parts.push(standingBy ? `standing by (${m.state})` : m.state);
  const lag = formatLag(m);
  if (lag && m.role !== 'primary') parts.push(`lag ${lag}`);
  if (m.timeline !== undefined) parts.push(`TL ${m.timeline}`);
  if (m.syncState && m.syncState !== 'async' && m.role !== 'sync-standby') parts.push(m.syncState);
  if (m.writable === true && m.role !== 'primary') parts.push('WRITABLE');
  if (m.lastCheck) parts.push(m.lastCheck);
  if (m.detail && !standingBy) parts.push(m.detail);
  return parts.join(' · ');
}

/** The hover of a member: one fact a line. */
export function memberTooltip(m: Member, cluster: ClusterState): string {
  const lines = [`${m.name} — ${roleWord(m.role)} of ${cluster.name} (${cluster.kind})`];
  const add = (label: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') lines.push(`${label}: ${value}`);
  };
  add('Address', m.address);
  add('API', m.apiUrl);
  add('State', m.state);
  add('Health', m.health);
  add('Timeline', m.timeline);
  if (m.lagBytes !== undefined) add('Lag', `${formatBytes(m.lagBytes)} (${m.lagBytes} bytes)`);
  if (m.lagSeconds !== undefined) add('Lag in time', formatSeconds(m.lagSeconds));
  add('Sync state', m.syncState);
  if (m.writable !== undefined) add('Accepts writes', m.writable ? 'yes (read from the database)' : 'no');
  add('Group', m.group);
  add('Failure domain', m.failureDomain);
  add('Last check', m.lastCheck);
  if (m.tags && Object.keys(m.tags).length) add('Tags', Object.entries(m.tags).map(([k, v]) => `${k}=${String(v)}`).join(', '));
  add('Detail', m.detail);
  add('Observed', cluster.observedAt);
  return lines.join('\n');
}

/** Members that hold data (not Sentinels or HAProxy proxies). */
export const dataMembers = (s: ClusterState): Member[] => s.members.filter((m) => m.role !== 'sentinel' && m.role !== 'frontend' && m.role !== 'backend');

/** What follows a cluster's name: kind, leader, healthy count, maintenance mode. */
export function clusterDescription(s: ClusterState): string {
  if (s.error !== undefined) return `${s.kind} · ${s.source}`;
  const data = dataMembers(s);
  const parts: string[] = [s.kind];
  if (s.kind !== 'haproxy') parts.push(s.leader !== undefined ? `leader ${s.leader}` : 'no leader');
  parts.push(`${data.filter((m) => m.health === 'ok').length}/${data.length} healthy`);
  if (s.paused) parts.push('maintenance mode');
  return parts.join(' · ');
}

export function clusterTooltip(s: ClusterState): string {
  const lines = [`${s.name} (${s.kind})`, `Read from ${s.source}`, `Observed ${s.observedAt}`, `Health: ${s.health}`];
  if (s.leader !== undefined) lines.push(`Leader: ${s.leader}`);
  if (s.paused) lines.push('Maintenance mode (paused): no automatic failover');
  if (s.error !== undefined) lines.push(`Error: ${s.error}`);
  for (const p of s.problems) lines.push(`${p.severity}: ${p.message}`);
  return lines.join('\n');
}

/** The line of a cluster that could not be read: the reason and when it is tried again. */
export function errorLabel(error: string, retry: { inSeconds?: number; reading: boolean; paused: boolean }): string {
  if (retry.reading) return `${error} — retrying now`;
  if (retry.inSeconds !== undefined) return `${error} — retrying in ${retry.inSeconds} s`;
  if (retry.paused) return `${error} — refresh paused while the view is hidden`;
  return error;
}

export const problemIcon = (p: LiveProblem): string => (p.severity === 'error' ? 'error' : 'warning');

export interface StatusSummary {
  text: string;
  tooltip: string;
  /** error on a split brain or a cluster that cannot be read, warning when degraded. */
  level: Health;
}

/** The status bar item for one cluster: primary, healthy count, the largest lag; split brain first. */
export function statusSummary(s: ClusterState): StatusSummary {
  if (s.error !== undefined) return { text: `${s.name}: unreachable`, tooltip: clusterTooltip(s), level: 'error' };
  const split = s.problems.find((p) => p.code === 'split-brain');
  const data = dataMembers(s);
  const parts: string[] = [];
  if (split) parts.push('SPLIT BRAIN');
  if (s.kind !== 'haproxy') parts.push(s.leader !== undefined ? s.leader : 'no primary');
  parts.push(`${data.filter((m) => m.health === 'ok').length}/${data.length} healthy`);
  const lags = data.map((m) => m.lagBytes).filter((l): l is number => l !== undefined);
  if (lags.length) parts.push(`lag ${formatBytes(Math.max(...lags))}`);
  return { text: `${s.name}: ${parts.join(' · ')}`, tooltip: clusterTooltip(s), level: split ? 'error' : s.health };
}
