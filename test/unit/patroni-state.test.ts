// Patroni REST answers recorded from the live lab (Patroni 3.0.2, etcd 3.4, PostgreSQL 15, sync mode)
// turned into ClusterState: roles, streaming, lag from each member's own replay position, problems.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import type { ClusterState } from '../../live/src/model';
import type { PatroniClusterJson, PatroniConfigJson, PatroniReading, PatroniStatusJson } from '../../live/src/providers/patroni-state';
import { historyOf, isPatroniCluster, patroniClusterState } from '../../live/src/providers/patroni-state';
import { restBase } from '../../live/src/providers/patroni';
import { validateClusterState } from '../helpers/cluster-state';

interface Recording {
  note: string;
  cluster: PatroniClusterJson;
  statuses: Record<string, PatroniStatusJson | { error: string }>;
  history: unknown[];
  config: PatroniConfigJson;
}

const AT = new Date('2026-01-01T00:00:00Z');

function recorded(name: string): Recording {
  return JSON.parse(readFileSync(resolve(__dirname, '..', 'fixtures', 'patroni-rest', `${name}.json`), 'utf8')) as Recording;
}

function stateOf(name: string, over: Partial<PatroniReading> = {}): ClusterState {
  const r = recorded(name);
  const s = patroniClusterState({ source: 'http://127.0.0.1:18008', observedAt: AT, cluster: r.cluster, statuses: r.statuses, history: r.history, config: r.config, fallbackName: 'x', ...over });
  validateClusterState(s);
  return s;
}

const summary = (s: ClusterState) => s.members.map((m) => `${m.name} ${m.role} ${m.state} ${m.health}${m.syncState ? ` ${m.syncState}` : ''}${m.lagBytes !== undefined ? ` lag=${m.lagBytes}` : ''}`);
const codes = (s: ClusterState) => s.problems.map((p) => `${p.severity} ${p.code}${p.member ? ` ${p.member}` : ''}`);

test('a healthy cluster in sync mode: leader, sync standby, async replica, all streaming', () => {
  const s = stateOf('healthy-sync');
  assert.equal(s.name, 'hatopo-lab');
  assert.equal(s.leader, 'pg1');
  assert.deepEqual(summary(s), ['pg1 primary running ok', 'pg2 sync-standby streaming ok sync lag=0', 'pg3 replica streaming ok async lag=0']);
  assert.deepEqual(s.problems, []);
  assert.equal(s.health, 'ok');
  assert.equal(s.members[0].address, '127.0.0.1:15433');
  assert.equal(s.members[0].apiUrl, 'http://127.0.0.1:18008/patroni');
  // Patroni leaves false tags out of /cluster.
  assert.deepEqual(s.members[2].tags, { clonefrom: true, noloadbalance: true });
  assert.equal((s.details as { version: string }).version, '3.0.2');
  assert.equal((s.details as { synchronousMode: boolean }).synchronousMode, true);
});

test('paused replay: /cluster says lag 0, the replica’s own replayed position says 5.6 MiB', () => {
  const r = recorded('paused-replay-lag');
  assert.equal(r.cluster.members.find((m) => m.name === 'pg3')?.lag, 0);
  const s = stateOf('paused-replay-lag');
  const pg3 = s.members.find((m) => m.name === 'pg3');
  assert.equal(pg3?.lagBytes, 89810336 - 83886160);
  assert.equal(pg3?.health, 'warning');
  assert.equal(pg3?.detail, 'replay paused');
  assert.equal(s.paused, true);
  assert.deepEqual(codes(s), ['warning replay-paused pg3', 'warning lagging pg3', 'warning paused']);
  assert.match(s.problems[1].message, /pg3 is 5\.6 MiB behind the leader \(more than 1\.0 MiB/);
  // The sync standby, caught in the middle of replaying the same writes: behind, under the threshold.
  assert.equal(s.members.find((m) => m.name === 'pg2')?.lagBytes, 89810336 - 89789584);
  // A threshold given by the caller wins over maximum_lag_on_failover.
  assert.deepEqual(codes(stateOf('paused-replay-lag', { maxLagBytes: 16 * 1024 * 1024 })), ['warning replay-paused pg3', 'warning paused']);
});

test('a stopped replica is down (a warning: the cluster still works), its API unreachable is no extra problem', () => {
  const s = stateOf('replica-stopped');
  assert.deepEqual(summary(s), ['pg1 primary running ok', 'pg2 sync-standby streaming ok sync lag=0', 'pg3 replica stopped warning']);
  assert.deepEqual(codes(s), ['warning member-down pg3']);
  assert.equal(s.health, 'warning');
});

test('mid-switchover: the old leader stopping, the new one not yet followed', () => {
  const s = stateOf('switchover-in-flight');
  assert.equal(s.leader, 'pg2');
  assert.deepEqual(codes(s), ['warning member-down pg1', 'warning member-down pg3', 'warning no-sync-standby']);
});

test('after a switchover: new leader, old one is the sync standby on the new timeline, history recorded', () => {
  const s = stateOf('switchover-done');
  assert.equal(s.leader, 'pg2');
  assert.deepEqual(summary(s), ['pg1 sync-standby streaming ok sync lag=0', 'pg2 primary running ok', 'pg3 replica stopped warning']);
  assert.deepEqual(s.members.map((m) => m.timeline), [2, 2, undefined]);
  assert.deepEqual((s.details as { history: unknown }).history, [{ timeline: 1, switchLsn: 89810632, reason: 'no recovery target specified', at: '2026-12-03T07:24:55.323825+00:00', newLeader: 'pg2' }]);
});

test('the leader’s agent killed: the DCS still says running, its API refuses — a warning', () => {
  const s = stateOf('leader-agent-killed');
  assert.equal(s.leader, 'pg2');
  const pg2 = s.members.find((m) => m.name === 'pg2');
  assert.equal(pg2?.health, 'warning');
  assert.match(pg2?.detail ?? '', /^REST API: connection refused 127\.0\.0\.1:18009$/);
  assert.deepEqual(codes(s), ['warning member-unreachable pg2', 'warning member-down pg3']);
  // Without the leader's own status, a replica's lag falls back to what /cluster says, and whether it
  // streams cannot be told: Patroni's word stays.
  const pg1 = s.members.find((m) => m.name === 'pg1');
  assert.equal(pg1?.lagBytes, 0);
  assert.equal(pg1?.state, 'running');
  assert.equal(pg1?.role, 'sync-standby');
});

test('after the failover: members remembered but gone are reported, and so is the missing sync standby', () => {
  const s = stateOf('failover-done', { missing: [{ name: 'pg2', address: '127.0.0.1:15434' }, { name: 'pg3', address: '127.0.0.1:15435' }] });
  assert.deepEqual(summary(s), ['pg1 primary running ok']);
  assert.deepEqual(codes(s), ['warning no-sync-standby', 'warning member-missing pg2', 'warning member-missing pg3']);
  assert.match(s.problems[2].message, /^pg3 \(127\.0\.0\.1:15435\) was a member and is no longer in the cluster$/);
  const strict = stateOf('failover-done', { config: { ...recorded('failover-done').config, synchronous_mode_strict: true } });
  assert.deepEqual(codes(strict), ['error no-sync-standby']);
  assert.equal(strict.health, 'error');
});

test('no leader at all is an error; an endpoint read through another member is said', () => {
  const r = recorded('replica-stopped');
  const leaderless = { members: r.cluster.members.map((m) => ({ ...m, role: m.role === 'leader' ? 'replica' : m.role })) };
  const s = stateOf('replica-stopped', { cluster: leaderless, unreachableEndpoints: ['connection refused 127.0.0.1:18009'] });
  assert.equal(s.leader, undefined);
  assert.equal(s.problems[0].code, 'no-primary');
  assert.equal(s.problems[0].severity, 'error');
  assert.ok(codes(s).includes('warning endpoint-unreachable'));
  assert.equal(s.health, 'error');
});

test('Patroni 4.x words: /patroni role primary, replicas streaming, lag unknown, quorum standbys', () => {
  // Shaped as Patroni 4's documented answers: the same fields, the newer vocabulary.
  const s = patroniClusterState({
    source: 'https://db1:8008',
    observedAt: AT,
    fallbackName: 'x',
    cluster: {
      members: [
        { name: 'db1', role: 'leader', state: 'running', api_url: 'https://db1:8008/patroni', host: 'db1', port: 5432, timeline: 4 },
        { name: 'db2', role: 'quorum_standby', state: 'streaming', api_url: 'https://db2:8008/patroni', host: 'db2', port: 5432, timeline: 4, lag: 0, tags: { nofailover: true, failover_priority: 0 } },
        { name: 'db3', role: 'replica', state: 'starting', host: 'db3', port: 5432, lag: 'unknown' },
      ],
    },
    statuses: {
      db1: { state: 'running', role: 'primary', timeline: 4, xlog: { location: 1000 }, replication: [{ application_name: 'db2', state: 'streaming', sync_state: 'quorum' }], patroni: { version: '4.0.4', scope: 'prod' } },
      db2: { state: 'streaming', role: 'replica', timeline: 4, xlog: { received_location: 1000, replayed_location: 900, paused: false } },
    },
    config: { synchronous_mode: 'quorum' },
  });
  validateClusterState(s);
  assert.equal(s.name, 'prod');
  assert.deepEqual(summary(s), ['db1 primary running ok', 'db2 replica streaming ok quorum lag=100', 'db3 replica starting warning']);
  assert.deepEqual(s.members[1].tags, { nofailover: true, failover_priority: 0 });
  assert.deepEqual(codes(s), ['warning member-down db3']);
});

test('shapes that are not Patroni’s are told apart; URLs are reduced to the API root', () => {
  assert.equal(isPatroniCluster({ members: [{ name: 'a' }] }), true);
  assert.equal(isPatroniCluster({ members: [{}] }), false);
  assert.equal(isPatroniCluster({ status: 'ok' }), false);
  assert.equal(isPatroniCluster(null), false);
  assert.deepEqual(historyOf([[1, 5, 'r'], 'junk', [2]]), [{ timeline: 1, switchLsn: 5, reason: 'r', at: undefined, newLeader: undefined }]);
  assert.equal(restBase('http://u:p@db1:8008/patroni/'), 'http://db1:8008');
  assert.equal(restBase(' https://db1:8008/ '), 'https://db1:8008');
  assert.equal(restBase('10.0.0.5:8008'), 'http://10.0.0.5:8008');
});
