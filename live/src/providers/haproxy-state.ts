// One HAProxy's frontends, backends and servers as a ClusterState, from its `show stat` rows and,
// when read over the socket, `show servers state` and `show info`. Pure.
import type { ClusterState, Health, LiveProblem, Member } from '../model';
import { overallHealth } from '../model';
import type { ServerStateRow, StatRow } from './haproxy-stats';
import { adminStateWords, lastCheckOf } from './haproxy-stats';

export interface HaproxyReadings {
  stat: StatRow[];
  serversState?: ServerStateRow[];
  info?: Record<string, string>;
}

const num = (v: string | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number.isFinite(Number(v)) ? Number(v) : undefined);

/** Whether a server status takes new traffic: UP (even while failing checks, `UP 1/3`) or not checked. */
export function serverTakesTraffic(status: string): boolean {
  return status === 'no check' || status === 'UP' || status.startsWith('UP ');
}

/** A server's health from its status; DOWN is an error only when no other server of its backend is up. */
export function serverHealth(status: string, checkStatus: string, othersUp: boolean): Health {
  if (status === 'UP' || status === 'no check') return 'ok';
  if (standingBy(status, checkStatus, othersUp)) return 'ok';
  if (status.startsWith('UP ')) return checkStatus.replace(/^\* /, '') === 'INI' ? 'unknown' : 'warning';
  if (status === 'DOWN' || status.startsWith('DOWN')) return othersUp ? 'warning' : 'error';
  if (status.startsWith('MAINT') || status.startsWith('DRAIN') || status.startsWith('NOLB')) return 'warning';
  return 'unknown';
}

/**
 * A role check at work, not a failure: the server answers its HTTP check with a status the check
 * does not expect (Patroni's REST API says 503 to `/primary` on a replica) while another server
 * of the backend takes the traffic. A backend that routes to the primary keeps every replica so.
 */
export function standingBy(status: string, checkStatus: string, othersUp: boolean): boolean {
  return status === 'DOWN' && checkStatus.replace(/^\* /, '') === 'L7STS' && othersUp;
}

function frontendHealth(status: string): Health {
  if (status === 'OPEN') return 'ok';
  if (status === 'FULL') return 'warning';
  if (status === 'STOP' || status === 'PAUSED') return 'error';
  return 'unknown';
}

function tags(row: StatRow, extra: Record<string, number | undefined>): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries({ sessions: num(row.scur), ...extra })) if (v !== undefined) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/** The ClusterState of one HAProxy. `name` and `source` name the endpoint, credentials removed. */
export function haproxyClusterState(readings: HaproxyReadings, name: string, source: string, now: Date): ClusterState {
  const members: Member[] = [];
  const problems: LiveProblem[] = [];
  const stateOf = new Map((readings.serversState ?? []).map((s) => [`${s.backend}/${s.server}`, s]));
  const servers = readings.stat.filter((r) => r.type === '2');
  const byBackend = new Map<string, StatRow[]>();
  for (const s of servers) byBackend.set(s.pxname, [...(byBackend.get(s.pxname) ?? []), s]);

  for (const row of readings.stat) {
    const status = row.status ?? '';
    if (row.type === '0') {
      members.push({ name: row.pxname, role: 'frontend', state: status, health: frontendHealth(status), tags: tags(row, { 'session-limit': num(row.slim) }) });
    } else if (row.type === '1') {
      const own = byBackend.get(row.pxname) ?? [];
      const up = own.filter((s) => serverTakesTraffic(s.status ?? ''));
      const idle = own.filter((s) => standingBy(s.status ?? '', s.check_status ?? '', up.length > 0));
      const health: Health = status === 'UP' ? (up.length + idle.length < own.length ? 'warning' : 'ok') : status === 'DOWN' ? 'error' : 'unknown';
      members.push({ name: row.pxname, role: 'backend', state: status, health, tags: tags(row, { 'servers-up': up.length, servers: own.length }) });
      if (own.length && !up.length) {
        const list = own.map((s) => `${s.svname} ${s.status}`).join(', ');
        problems.push({ code: 'backend-down', severity: 'error', message: `backend ${row.pxname} has no server UP (${list})`, member: row.pxname });
      }
    } else if (row.type === '2') {
      const backend = row.pxname;
      const othersUp = (byBackend.get(backend) ?? []).some((s) => s !== row && serverTakesTraffic(s.status ?? ''));
      const known = stateOf.get(`${backend}/${row.svname}`);
      const check = lastCheckOf(row);
      const member: Member = {
        name: row.svname,
        address: row.addr || known?.address || undefined,
        role: 'server',
        state: status,
        health: serverHealth(status, row.check_status ?? '', othersUp),
        group: backend,
        tags: tags(row, { weight: num(row.weight), backup: row.bck === '1' ? 1 : undefined }),
      };
      if (check) member.lastCheck = check;
      const detail = [...adminStateWords(known?.adminState ?? 0)];
      // Why a check fails is worth a line; that a passing check passed is not.
      if ((status.startsWith('DOWN') || status.startsWith('UP ')) && row.check_desc) detail.push(row.last_chk ? `${row.check_desc}: ${row.last_chk}` : row.check_desc);
      if (detail.length) member.detail = detail.join('; ');
      members.push(member);
      if (standingBy(status, row.check_status ?? '', othersUp)) {
        member.detail = [member.detail, `standing by: its check answers ${row.check_code || 'another status'}, another server takes the traffic`].filter(Boolean).join('; ');
      } else if (status.startsWith('DOWN')) {
        problems.push({ code: 'server-down', severity: 'warning', message: `${backend}/${row.svname} is ${status}${check ? ` (${check})` : ''}`, member: row.svname });
      }
    }
  }
  const details: Record<string, unknown> = {};
  if (readings.info) {
    const i = readings.info;
    if (i.Version) details.version = i.Version;
    if (i.node) details.node = i.node;
    if (i.Pid) details.pid = Number(i.Pid);
    if (i.Uptime_sec) details.uptimeSeconds = Number(i.Uptime_sec);
  }
  const state: ClusterState = { kind: 'haproxy', name, source, observedAt: now.toISOString(), members, health: 'unknown', problems };
  if (Object.keys(details).length) state.details = details;
  state.health = overallHealth(state);
  return state;
}
