// Cluster states shaped like the providers' (a fresh copy per call, so a test may change it).
import type { ClusterState, Member } from '../../live/src/model';

export const OBSERVED_AT = '2024-05-01T10:00:00.000Z';

/** Patroni cluster `demo`: pg1 leads on timeline 3, pg2 is the sync standby, pg3 lags 2 MiB (warning). */
export function patroniState(over: Partial<ClusterState> = {}): ClusterState {
  const members: Member[] = [
    { name: 'pg1', address: '127.0.0.1:5433', apiUrl: 'http://127.0.0.1:8008/patroni', role: 'primary', state: 'running', health: 'ok', timeline: 3 },
    { name: 'pg2', address: '127.0.0.1:5434', apiUrl: 'http://127.0.0.1:8009/patroni', role: 'sync-standby', state: 'streaming', health: 'ok', timeline: 3, lagBytes: 0, syncState: 'sync' },
    {
      name: 'pg3',
      address: '127.0.0.1:5435',
      apiUrl: 'http://127.0.0.1:8010/patroni',
      role: 'replica',
      state: 'streaming',
      health: 'warning',
      timeline: 3,
      lagBytes: 2 * 1024 * 1024,
      lagSeconds: 4.5,
      syncState: 'async',
      tags: { nofailover: true },
    },
  ];
  return {
    kind: 'patroni',
    name: 'demo',
    source: 'http://127.0.0.1:8008',
    observedAt: OBSERVED_AT,
    leader: 'pg1',
    members,
    health: 'warning',
    problems: [{ code: 'lagging', severity: 'warning', message: 'pg3 is 2.0 MiB behind the leader', member: 'pg3' }],
    details: { history: [[1, 25165824, 'no recovery target specified', '2024-05-01T09:00:00+00:00', 'pg2']] },
    ...over,
  };
}

/** Sentinel master `mymaster` at 127.0.0.1:6379 with two replicas and three sentinels, all well. */
export function sentinelState(over: Partial<ClusterState> = {}): ClusterState {
  const node = (port: number, role: Member['role'], extra: Partial<Member> = {}): Member => ({
    name: `127.0.0.1:${port}`,
    address: `127.0.0.1:${port}`,
    role,
    state: role === 'sentinel' ? 'sentinel' : role === 'primary' ? 'master' : 'slave',
    health: 'ok',
    group: 'mymaster',
    ...extra,
  });
  return {
    kind: 'sentinel',
    name: 'mymaster',
    source: 'redis://127.0.0.1:26379',
    observedAt: OBSERVED_AT,
    leader: '127.0.0.1:6379',
    members: [
      node(6379, 'primary', { writable: true }),
      node(6380, 'replica', { lagBytes: 0, writable: false, tags: { 'replica-priority': 100 } }),
      node(6381, 'replica', { lagBytes: 14, lagSeconds: 1, writable: false, tags: { 'replica-priority': 100 } }),
      node(26379, 'sentinel'),
      node(26380, 'sentinel'),
      node(26381, 'sentinel'),
    ],
    health: 'ok',
    problems: [],
    details: { quorum: 2, ckquorum: 'OK 3 usable Sentinels. Quorum and failover authorization can be reached' },
    ...over,
  };
}

/** HAProxy in front of the Patroni sample: pg_write checks /primary, pg1 UP there, the others DOWN. */
export function haproxyState(over: Partial<ClusterState> = {}): ClusterState {
  const server = (name: string, port: number, state: string, backend: string): Member => ({
    name,
    address: `127.0.0.1:${port}`,
    role: 'server',
    state,
    health: state === 'UP' ? 'ok' : state === 'MAINT' ? 'warning' : 'error',
    group: backend,
    lastCheck: state === 'UP' ? 'L7OK/200 in 1ms' : 'L7STS/503 in 1ms',
  });
  return {
    kind: 'haproxy',
    name: '/run/haproxy/admin.sock',
    source: '/run/haproxy/admin.sock',
    observedAt: OBSERVED_AT,
    members: [
      { name: 'pg_write', role: 'frontend', state: 'OPEN', health: 'ok' },
      { name: 'pg_write', role: 'backend', state: 'UP', health: 'ok' },
      server('pg1', 5433, 'UP', 'pg_write'),
      server('pg2', 5434, 'DOWN', 'pg_write'),
      server('pg3', 5435, 'DOWN', 'pg_write'),
    ],
    health: 'error',
    problems: [{ code: 'server-down', severity: 'warning', message: 'pg_write/pg2 is DOWN (L7STS/503)', member: 'pg2' }],
    ...over,
  };
}
