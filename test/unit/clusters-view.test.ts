// The editor-free parts of the HA Clusters view: the hatopo.clusters setting read defensively, the
// words of rows and the status bar, masking and change detection of snapshots.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectionId, readClusterSettings, sameCluster, settingsItem, stripCredentials } from '../../client/src/live/cluster-config';
import { maskDeep, splitBrainKeys, stateKey } from '../../client/src/live/snapshot';
import { clusterDescription, errorLabel, memberDescription, statusSummary } from '../../client/src/views/describe';
import type { ClusterState, Member } from '../../live/src/model';

test('credentials typed into endpoints are dropped, whatever their form; the rest is kept as written', () => {
  const cases: Array<[string, string, boolean]> = [
    ['http://admin:s3cret@10.0.0.1:8008', 'http://10.0.0.1:8008', true],
    ['redis://:s3cret@10.0.0.2:26379', 'redis://10.0.0.2:26379', true],
    ['rediss://default@10.0.0.2:26379', 'rediss://10.0.0.2:26379', true],
    ['postgresql://app:s3cret@db1:5432/postgres?sslmode=require', 'postgresql://db1:5432/postgres?sslmode=require', true],
    ['postgresql://db1/postgres?password=s3cret&sslmode=require', 'postgresql://db1/postgres?sslmode=require', true],
    ["host=db1 port=5432 password='s3 cret' dbname=postgres", 'host=db1 port=5432 dbname=postgres', true],
    ['host=db1 user=monitor', 'host=db1 user=monitor', false],
    ['/run/haproxy/admin.sock', '/run/haproxy/admin.sock', false],
    ['http://10.0.0.1:8404/stats', 'http://10.0.0.1:8404/stats', false],
  ];
  for (const [input, endpoint, stripped] of cases) assert.deepEqual(stripCredentials(input), { endpoint, stripped }, input);
});

test('the setting: valid items kept, wrong ones skipped with a reason, credentials dropped with a warning that never quotes them', () => {
  const { clusters, warnings } = readClusterSettings([
    { name: 'billing', kind: 'patroni', endpoints: ['http://u:pw-one@10.0.0.1:8008', ' http://10.0.0.2:8008 '], tls: { ca: '/etc/ca.pem', verify: false, extra: 1 } },
    { name: 'cache', kind: 'sentinel', endpoints: ['redis://10.0.0.3:26379'], master: 'mymaster', context: 'ignored' },
    { name: 'prod', kind: 'kubernetes', context: 'prod-ctx', namespace: 'db' },
    { name: 'nokind', endpoints: ['x'] },
    { kind: 'patroni', endpoints: ['http://h:8008'] },
    { name: 'empty', kind: 'haproxy', endpoints: [] },
    { name: 'billing', kind: 'patroni', endpoints: ['http://10.0.0.9:8008'] },
    'not an object',
  ]);
  assert.deepEqual(clusters, [
    { name: 'billing', kind: 'patroni', endpoints: ['http://10.0.0.1:8008', 'http://10.0.0.2:8008'], tls: { ca: '/etc/ca.pem', verify: false } },
    { name: 'cache', kind: 'sentinel', endpoints: ['redis://10.0.0.3:26379'], master: 'mymaster' },
    { name: 'prod', kind: 'kubernetes', endpoints: [], context: 'prod-ctx', namespace: 'db' },
  ]);
  assert.equal(warnings.length, 6);
  assert.match(warnings[0], /item 1 \(billing\): an endpoint held credentials; they were ignored/);
  assert.doesNotMatch(warnings.join('\n'), /pw-one/);
  assert.deepEqual(readClusterSettings(undefined), { clusters: [], warnings: [] });
  assert.equal(readClusterSettings({ name: 'x' }).warnings.length, 1);
});

test('connections: ids, the same cluster by name or shared endpoint, and what Add to Settings writes', () => {
  const a = { name: 'billing', kind: 'patroni' as const, endpoints: ['http://10.0.0.1:8008/'] };
  assert.equal(connectionId(a), 'patroni:billing');
  assert.equal(sameCluster(a, { name: 'other', kind: 'patroni', endpoints: ['HTTP://10.0.0.1:8008'] }), true);
  assert.equal(sameCluster(a, { name: 'billing', kind: 'sentinel', endpoints: [] }), false);
  assert.equal(sameCluster(a, { name: 'other', kind: 'patroni', endpoints: ['http://10.0.0.2:8008'] }), false);
  assert.deepEqual(settingsItem({ ...a, endpoints: ['http://u:p@10.0.0.1:8008'], tls: { ca: '/ca' } }), { name: 'billing', kind: 'patroni', endpoints: ['http://10.0.0.1:8008'], tls: { ca: '/ca' } });
});

const member = (m: Partial<Member>): Member => ({ name: 'pg1', role: 'replica', state: 'streaming', health: 'ok', ...m });
const cluster = (members: Member[], extra: Partial<ClusterState> = {}): ClusterState => ({ kind: 'patroni', name: 'billing', source: 'http://10.0.0.1:8008', observedAt: '2026-01-01T00:00:00.000Z', leader: 'pg1', members, health: 'ok', problems: [], ...extra });

test('member rows: role, state, lag, timeline, sync badge, a writable replica', () => {
  assert.equal(memberDescription(member({ role: 'primary', state: 'running', timeline: 3 })), 'primary · running · TL 3');
  assert.equal(memberDescription(member({ lagBytes: 0, timeline: 3 })), 'replica · streaming · lag 0 B · TL 3');
  assert.equal(memberDescription(member({ role: 'sync-standby', lagBytes: 3 * 1024 * 1024, lagSeconds: 2, syncState: 'sync' })), 'sync standby · streaming · lag 3.0 MiB / 2 s');
  assert.equal(memberDescription(member({ syncState: 'quorum' })), 'replica · streaming · quorum');
  assert.equal(memberDescription(member({ writable: true, detail: 'not in cluster' })), 'replica · streaming · WRITABLE · not in cluster');
  assert.equal(memberDescription(member({ role: 'server', state: 'UP', lastCheck: 'L7OK/200 in 1ms' })), 'server · UP · L7OK/200 in 1ms');
  const standing = { role: 'server' as const, state: 'DOWN', lastCheck: 'L7STS/503 in 2ms', detail: 'Layer7 wrong status; standing by: its check answers 503, another server takes the traffic' };
  assert.equal(memberDescription(member({ ...standing, health: 'ok' })), 'server · standing by (DOWN) · L7STS/503 in 2ms');
  assert.equal(memberDescription(member({ ...standing, health: 'error', detail: 'Layer4 connection problem' })), 'server · DOWN · L7STS/503 in 2ms · Layer4 connection problem');
});

test('cluster rows, error rows with their retry, and the status bar: split brain first, in the error colour', () => {
  const c = cluster([member({ role: 'primary', state: 'running' }), member({ name: 'pg2', lagBytes: 2048 }), member({ name: 'pg3', health: 'error', state: 'stopped' })]);
  assert.equal(clusterDescription(c), 'patroni · leader pg1 · 2/3 healthy');
  assert.equal(clusterDescription({ ...c, paused: true, leader: undefined }), 'patroni · no leader · 2/3 healthy · maintenance mode');
  assert.equal(errorLabel('connection refused 127.0.0.1:8008', { inSeconds: 4, reading: false, paused: false }), 'connection refused 127.0.0.1:8008 — retrying in 4 s');
  assert.equal(errorLabel('timeout', { reading: true, paused: false }), 'timeout — retrying now');
  assert.equal(errorLabel('timeout', { reading: false, paused: true }), 'timeout — refresh paused while the view is hidden');
  assert.deepEqual(statusSummary({ ...c, health: 'error' }).text, 'billing: pg1 · 2/3 healthy · lag 2.0 KiB');
  const split = statusSummary({ ...c, problems: [{ code: 'split-brain', severity: 'error', message: 'pg3 accepts writes', member: 'pg3' }] });
  assert.equal(split.text, 'billing: SPLIT BRAIN · pg1 · 2/3 healthy · lag 2.0 KiB');
  assert.equal(split.level, 'error');
  assert.equal(statusSummary({ ...c, members: [], error: 'connection refused' }).level, 'error');
  const lb = statusSummary({ ...c, kind: 'haproxy', leader: undefined, members: [member({ role: 'backend', name: 'pg' }), member({ role: 'server', state: 'UP' })] });
  assert.equal(lb.text, 'billing: 1/1 healthy');
});

test('snapshots: secrets masked everywhere, change detection ignores the read time, split brains keyed per cluster', () => {
  const s = cluster([member({ detail: 'auth failed for pw-two' })], { error: 'password pw-two rejected', problems: [{ code: 'split-brain', severity: 'error', message: 'pg2 accepts writes' }] });
  const masked = maskDeep([s], ['pw-two']);
  assert.doesNotMatch(JSON.stringify(masked), /pw-two/);
  assert.equal(masked[0].error, 'password *** rejected');
  assert.equal(s.error, 'password pw-two rejected', 'the original is left alone');
  assert.equal(masked[0].members[0].detail, 'auth failed for ***');
  // Nothing to mask: the very same objects (a refresh every few seconds copies nothing).
  const clean = [cluster([member({ detail: 'streaming' })])];
  assert.equal(maskDeep(clean, ['pw-two']), clean);
  // Only the path to the masked string is copied; its neighbours are shared.
  const two = cluster([member({ name: 'a' }), member({ name: 'b', detail: 'pw-two here' })]);
  const [m] = maskDeep([two], ['pw-two']);
  assert.notEqual(m, two);
  assert.equal(m.members[0], two.members[0]);
  assert.equal(m.members[1].detail, '*** here');
  assert.equal(stateKey([s]), stateKey([{ ...s, observedAt: '2030-01-01T00:00:00.000Z' }]));
  // HAProxy's uptime grows at every read: no change to show.
  assert.equal(stateKey([{ ...s, details: { version: '2.6.12', uptimeSeconds: 10 } }]), stateKey([{ ...s, details: { version: '2.6.12', uptimeSeconds: 12 } }]));
  assert.notEqual(stateKey([{ ...s, details: { version: '2.6.12' } }]), stateKey([{ ...s, details: { version: '2.8.1' } }]));
  // Nor is a health check that took 1 ms instead of 0; a check that failed is.
  const checked = (lastCheck: string) => stateKey([{ ...s, members: s.members.map((m, i) => (i === 0 ? { ...m, lastCheck } : m)) }]);
  assert.equal(checked('L4OK in 0ms'), checked('L4OK in 1ms'));
  assert.notEqual(checked('L4OK in 0ms'), checked('L4CON in 0ms'));
  assert.notEqual(stateKey([s]), stateKey([{ ...s, leader: 'pg2' }]));
  assert.deepEqual([...splitBrainKeys('patroni:billing', [s, { ...s, name: 'other', problems: [] }]).keys()], ['patroni:billing\0billing']);
});
