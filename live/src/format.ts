// Cluster states as text for a terminal: one compact table per cluster, problems underneath.
// Columns no member fills are left out, so a Patroni table shows lag and an HAProxy one checks.
import type { ClusterState, Health, Member } from './model';

export interface FormatOptions {
  /** ANSI colours (a terminal that wants them: not with NO_COLOR, --no-color or a pipe). */
  color: boolean;
}

const HEALTH_COLOR: Record<Health, string> = { ok: '32', warning: '33', error: '31', unknown: '2' };

/** `2.0 MiB`, `512 B`: binary units, one decimal from KiB on. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** `4.5 s`, `0 s`, `2 min 5 s`. */
export function formatSeconds(s: number): string {
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** A member's lag as one cell: bytes, and seconds where known; empty for a member without lag. */
export function formatLag(m: Pick<Member, 'lagBytes' | 'lagSeconds'>): string {
  const parts: string[] = [];
  if (m.lagBytes !== undefined) parts.push(formatBytes(m.lagBytes));
  if (m.lagSeconds !== undefined) parts.push(formatSeconds(m.lagSeconds));
  return parts.join(' / ');
}

function formatTags(tags: Member['tags']): string {
  if (!tags) return '';
  return Object.entries(tags)
    .filter(([, v]) => v !== false)
    .map(([k, v]) => (v === true ? k : `${k}=${v}`))
    .join(',');
}

interface Column {
  title: string;
  /** `cluster`: the name of the cluster the member belongs to (a group named like it says nothing). */
  cell(m: Member, cluster: string): string;
  /** The health column is painted; the rest are plain. */
  health?: boolean;
}

const COLUMNS: Column[] = [
  { title: 'MEMBER', cell: (m) => m.name },
  { title: 'GROUP', cell: (m, cluster) => (m.group !== undefined && m.group !== cluster ? m.group : '') },
  { title: 'ADDRESS', cell: (m) => (m.address && m.address !== m.name ? m.address : '') },
  { title: 'ROLE', cell: (m) => m.role },
  { title: 'STATE', cell: (m) => m.state },
  { title: 'TL', cell: (m) => (m.timeline === undefined ? '' : String(m.timeline)) },
  { title: 'LAG', cell: formatLag },
  { title: 'SYNC', cell: (m) => m.syncState ?? '' },
  { title: 'WRITABLE', cell: (m) => (m.writable === undefined ? '' : m.writable ? 'yes' : 'no') },
  { title: 'CHECK', cell: (m) => m.lastCheck ?? '' },
  { title: 'TAGS', cell: (m) => formatTags(m.tags) },
  { title: 'HEALTH', cell: (m) => m.health, health: true },
  { title: 'DETAIL', cell: (m) => m.detail ?? '' },
];

/** The line above a cluster's table: name, kind, source, health, leader, when. */
function heading(s: ClusterState, paint: (code: string, t: string) => string): string {
  const facts = [paint(HEALTH_COLOR[s.health], s.health)];
  if (s.leader !== undefined) facts.push(`leader ${s.leader}`);
  if (s.paused) facts.push(paint('33', 'paused'));
  facts.push(s.observedAt);
  return `${paint('1', s.name)} (${s.kind}, ${s.source}) — ${facts.join(' · ')}`;
}

function memberTable(members: Member[], cluster: string, paint: (code: string, t: string) => string): string[] {
  const used = COLUMNS.filter((c) => c.title === 'MEMBER' || c.title === 'ROLE' || c.title === 'STATE' || c.health || members.some((m) => c.cell(m, cluster) !== ''));
  const rows = members.map((m) => used.map((c) => c.cell(m, cluster)));
  const widths = used.map((c, i) => Math.max(c.title.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[], colored: boolean) =>
    cells
      .map((cell, i) => {
        const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i]);
        return colored && used[i].health ? paint(HEALTH_COLOR[cell as Health] ?? '0', cell) + padded.slice(cell.length) : padded;
      })
      .join('  ')
      .trimEnd();
  return [`  ${paint('2', line(used.map((c) => c.title), false))}`, ...rows.map((r) => `  ${line(r, true)}`)];
}

/** One cluster: heading, member table (or the error), problems. */
export function formatState(s: ClusterState, options: FormatOptions): string {
  const paint = (code: string, t: string) => (options.color ? `\x1b[${code}m${t}\x1b[0m` : t);
  const lines = [heading(s, paint)];
  if (s.error !== undefined) lines.push(`  ${paint('31', 'error')}: ${s.error}`);
  else if (s.members.length === 0) lines.push('  no members');
  else lines.push(...memberTable(s.members, s.name, paint));
  for (const p of s.problems) {
    const sev = paint(p.severity === 'error' ? (p.code === 'split-brain' ? '1;31' : '31') : '33', p.severity);
    lines.push(`  ${sev} ${p.code}: ${p.message}`);
  }
  return lines.join('\n') + '\n';
}

/** Every cluster, a blank line between them. */
export function formatStates(states: readonly ClusterState[], options: FormatOptions): string {
  if (states.length === 0) return 'no clusters\n';
  return states.map((s) => formatState(s, options)).join('\n');
}

/** One line for a status bar or a log: `demo: primary pg1 · 3/3 ok · max lag 2.0 MiB`. */
export function summaryLine(s: ClusterState): string {
  if (s.error !== undefined) return `${s.name}: ${s.error}`;
  const data = s.members.filter((m) => m.role !== 'sentinel' && m.role !== 'frontend' && m.role !== 'backend');
  const ok = data.filter((m) => m.health === 'ok').length;
  // A load balancer has no primary of its own: its servers are what counts.
  const parts = s.kind === 'haproxy' ? [] : [s.leader !== undefined ? `primary ${s.leader}` : 'no primary'];
  parts.push(`${ok}/${data.length} ok`);
  const lags = data.map((m) => m.lagBytes).filter((l): l is number => l !== undefined);
  if (lags.length) parts.push(`max lag ${formatBytes(Math.max(...lags))}`);
  const worst = s.problems.find((p) => p.severity === 'error') ?? s.problems[0];
  if (worst) parts.push(worst.code);
  return `${s.name}: ${parts.join(' · ')}`;
}
