// Plain PostgreSQL servers as one ClusterState: observations recorded from the live lab (PostgreSQL 15
// primary + pg_basebackup standby), and variations of them for what the lab does not show.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import type { ClusterState } from '../../live/src/model';
import type { ServerObservation } from '../../live/src/providers/postgres-observe';
import { lsnBytes } from '../../live/src/providers/postgres-observe';
import { DEFAULT_LAG_WARNING_BYTES, postgresState } from '../../live/src/providers/postgres-state';
import { validateClusterState } from '../helpers/cluster-state';

const AT = new Date('2026-01-01T00:00:00Z');
const P = '127.0.0.1:15440';
const S = '127.0.0.1:15441';

function recorded(name: string): ServerObservation[] {
  return (JSON.parse(readFileSync(resolve(__dirname, '..', 'fixtures', 'postgres-observations', `${name}.json`), 'utf8')) as { servers: ServerObservation[] }).servers;
}

function stateOf(servers: ServerObservation[], lagWarningBytes = DEFAULT_LAG_WARNING_BYTES, name?: string): ClusterState {
  const s = postgresState(servers, { source: servers.map((x) => x.address).join(','), observedAt: AT, lagWarningBytes, name });
  validateClusterState(s);
  return s;
}

const summary = (s: ClusterState) => s.members.map((m) => `${m.name} ${m.role} ${m.state} ${m.health}${m.syncState ? ` ${m.syncState}` : ''}${m.lagBytes !== undefined ? ` lag=${m.lagBytes}` : ''}`);
const codes = (s: ClusterState) => s.problems.map((p) => `${p.severity} ${p.code}${p.member ? ` ${p.member}` : ''}`);

test('LSNs to bytes, past 32 bits', () => {
  assert.equal(lsnBytes('0/3864388'), 0x3864388);
  assert.equal(lsnBytes('16/B374D848'), 0x16 * 2 ** 32 + 0xb374d848);
  assert.equal(lsnBytes(undefined), undefined);
  assert.equal(lsnBytes('junk'), undefined);
});

test('a streaming standby: matched to its walsender, named after cluster_name, slot and sender said', () => {
  const s = stateOf(recorded('streaming'));
  assert.equal(s.name, 'lab-primary');
  assert.equal(s.leader, P);
  assert.deepEqual(summary(s), [`${P} primary running ok`, `${S} replica streaming ok async lag=0`]);
  assert.equal(s.members[1].detail, `from ${P}, slot standby1`);
  assert.deepEqual(s.members.map((m) => m.writable), [true, false]);
  assert.deepEqual(s.members.map((m) => m.timeline), [1, 1]);
  assert.deepEqual(s.problems, []);
  assert.equal(s.health, 'ok');
  assert.deepEqual((s.details as { unmatchedWalsenders: unknown[] }).unmatchedWalsenders, []);
  assert.equal(stateOf(recorded('streaming'), DEFAULT_LAG_WARNING_BYTES, 'dc1').name, 'dc1');
});

test('replay paused: lag from the walsender row, seconds from replay_lag, the idle slot holding WAL', () => {
  const s = stateOf(recorded('replay-paused'), 1024 * 1024);
  const sb = s.members[1];
  assert.equal(sb.lagBytes, 8799112);
  assert.equal(sb.lagSeconds, 0.179688);
  assert.equal(sb.detail, `replay paused, from ${P}, slot standby1`);
  assert.deepEqual(codes(s), [`warning replay-paused ${S}`, `warning lagging ${S}`, `warning slot-inactive ${P}`]);
  assert.match(s.problems[1].message, /8\.4 MiB behind 127\.0\.0\.1:15440/);
  assert.match(s.problems[2].message, /idle_slot .* holds 24\.4 MiB of WAL/);
  // Under the default threshold (16 MiB) the same lag is no problem.
  assert.deepEqual(codes(stateOf(recorded('replay-paused'))), [`warning replay-paused ${S}`, `warning slot-inactive ${P}`]);
});

test('without the walsender row (not connected), lag comes from both servers’ positions', () => {
  const [p, sb] = recorded('replay-paused');
  const s = stateOf([{ ...p, replication: [] }, { ...sb, receiver: undefined }], 1024 * 1024);
  assert.equal(s.members[1].lagBytes, lsnBytes('0/3864388')! - lsnBytes('0/3000000')!);
  assert.equal(s.members[1].state, 'not streaming');
  assert.equal(s.members[1].syncState, undefined);
  assert.ok(codes(s).includes(`warning not-streaming ${S}`));
  assert.match(s.problems.find((x) => x.code === 'not-streaming')?.message ?? '', /no WAL receiver/);
});

test('the standby promoted: two writable servers are a split brain, an error naming both', () => {
  const s = stateOf(recorded('promoted'));
  assert.deepEqual(summary(s), [`${P} primary running error`, `${S} primary running error`]);
  assert.equal(s.problems[0].code, 'split-brain');
  assert.equal(s.problems[0].severity, 'error');
  assert.match(s.problems[0].message, /2 servers accept writes: 127\.0\.0\.1:15440 and 127\.0\.0\.1:15441/);
  assert.deepEqual(s.members.map((m) => m.timeline), [1, 2]);
  assert.equal(s.health, 'error');
});

test('several standbys on one host are told apart by application name; a cascade by its sender', () => {
  const [p, sb] = recorded('streaming');
  const row = p.replication[0];
  const b: ServerObservation = { ...sb, address: '127.0.0.1:15442', port: 15442, clusterName: 'b', receiver: { ...sb.receiver!, applicationName: 'b', slotName: undefined } };
  // c streams from b, not from the primary.
  const c: ServerObservation = { ...sb, address: '127.0.0.1:15443', port: 15443, clusterName: 'c', receiver: { ...sb.receiver!, applicationName: 'c', senderPort: 15442, slotName: undefined } };
  const primary = { ...p, replication: [{ ...row, applicationName: 'b', syncState: 'sync', lagBytes: 10 }, row] };
  const bWithCascade = { ...b, replication: [{ ...row, applicationName: 'c', lagBytes: 20 }] };
  const s = stateOf([primary, sb, bWithCascade, c]);
  assert.deepEqual(summary(s), [`${P} primary running ok`, `${S} replica streaming ok async lag=0`, '127.0.0.1:15442 sync-standby streaming ok sync lag=10', '127.0.0.1:15443 replica streaming ok async lag=20']);
  assert.equal(s.members[3].detail, 'from 127.0.0.1:15442');
});

test('unreachable servers, no primary among those given, two database systems', () => {
  const [p, sb] = recorded('streaming');
  const down: ServerObservation = { address: '127.0.0.1:15449', host: '127.0.0.1', port: 15449, error: 'connection refused 127.0.0.1:15449', replication: [], slots: [] };
  const s = stateOf([p, sb, down]);
  assert.deepEqual(codes(s), ['error member-unreachable 127.0.0.1:15449']);
  assert.equal(s.members[2].role, 'unknown');
  assert.equal(s.health, 'error');
  const all = stateOf([down]);
  assert.equal(all.error, 'connection refused 127.0.0.1:15449');
  assert.deepEqual(all.members, []);
  // Only the standby given: its primary is elsewhere, and it streams, so a warning.
  assert.deepEqual(codes(stateOf([sb])), ['warning no-primary']);
  assert.deepEqual(codes(stateOf([{ ...sb, receiver: undefined }])), ['error no-primary', `warning not-streaming ${S}`]);
  const other = { ...sb, address: '127.0.0.1:15442', port: 15442, systemId: '1' };
  assert.ok(codes(stateOf([p, other])).includes('warning not-one-cluster'));
});
