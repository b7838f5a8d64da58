// The Patroni pre-flight on states built from REST answers recorded on the live lab (Patroni 3.0.2,
// synchronous_mode on): every candidate judged, each refusal in words, force only where Patroni has it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { patroniPreflight } from '../../live/src/actions/patroni';
import { formatPreflight } from '../../live/src/actions/format';
import type { ClusterState } from '../../live/src/model';
import { patroniClusterState } from '../../live/src/providers/patroni-state';
import type { PatroniReading } from '../../live/src/providers/patroni-state';

function stateOf(name: string, over: Partial<PatroniReading> = {}): ClusterState {
  const r = JSON.parse(readFileSync(resolve(__dirname, '..', 'fixtures', 'patroni-rest', `${name}.json`), 'utf8')) as PatroniReading;
  return patroniClusterState({ source: 'http://127.0.0.1:18008', observedAt: new Date('2026-01-01T00:00:00Z'), cluster: r.cluster, statuses: r.statuses, history: r.history, config: r.config, fallbackName: 'x', ...over });
}

const verdict = (p: ReturnType<typeof patroniPreflight>, member: string) => {
  const v = p.candidates.find((c) => c.member === member);
  assert.ok(v, `${member} judged`);
  return v;
};

test('healthy, synchronous mode: the sync standby is safe, the async replica refused, the leader and strangers named', () => {
  const s = stateOf('healthy-sync');
  const any = patroniPreflight(s, 'switchover');
  assert.equal(any.ok, true);
  assert.equal(any.primary, 'pg1');
  assert.deepEqual(any.candidates.map((c) => [c.member, c.safe]), [['pg2', true], ['pg3', false]]);
  assert.deepEqual(verdict(any, 'pg3').reasons, ['synchronous_mode is on and it is not a synchronous standby: Patroni promotes only a synchronous standby, the one sure to have every commit']);
  assert.ok(verdict(any, 'pg2').notes.includes('lag 0 B'));
  assert.match(any.warnings.join(), /Patroni chooses among pg2/);
  assert.equal(patroniPreflight(s, 'switchover', { member: 'pg2' }).ok, true);
  const async = patroniPreflight(s, 'switchover', { member: 'pg3' });
  assert.equal(async.ok, false);
  assert.equal(async.target, 'pg3');
  const stranger = patroniPreflight(s, 'switchover', { member: 'pg9' });
  assert.deepEqual(stranger.blockers, ['pg9 is not a member of hatopo-lab (members: pg1, pg2, pg3)']);
  assert.deepEqual(patroniPreflight(s, 'switchover', { member: 'pg1' }).blockers, ['pg1 is already the leader']);
  // Without synchronous mode the async replica may take over.
  const free = { ...s, details: { ...s.details, synchronousMode: false } };
  assert.equal(patroniPreflight(free, 'switchover', { member: 'pg3' }).ok, true);
  const text = formatPreflight(async);
  assert.match(text, /pre-flight: REFUSED/);
  assert.match(text, /✗ pg3 \(target\): refused/);
});

test('a nofailover tag, a stopped member, a lagging one on an old timeline: each refused for its own reason', () => {
  const s = stateOf('healthy-sync');
  const tagged: ClusterState = { ...s, members: s.members.map((m) => (m.name === 'pg2' ? { ...m, tags: { ...m.tags, nofailover: true } } : m)) };
  assert.deepEqual(verdict(patroniPreflight(tagged, 'switchover', { member: 'pg2' }), 'pg2').reasons, ['it is tagged nofailover: Patroni never promotes it']);
  const stopped = patroniPreflight(stateOf('replica-stopped'), 'switchover', { member: 'pg3' });
  assert.ok(verdict(stopped, 'pg3').reasons.includes('it is stopped, not running'));
  const behind: ClusterState = { ...s, members: s.members.map((m) => (m.name === 'pg2' ? { ...m, lagBytes: 5 * 1024 * 1024, timeline: 0 } : m.name === 'pg1' ? { ...m, timeline: 1 } : m)) };
  const reasons = verdict(patroniPreflight(behind, 'switchover', { member: 'pg2' }), 'pg2').reasons;
  assert.ok(reasons.includes('it is 5.0 MiB behind, more than maximum_lag_on_failover (1.0 MiB): commits not yet on it would be lost'), reasons.join('\n'));
  assert.ok(reasons.some((r) => /on timeline 0, the leader on 1/.test(r)), reasons.join('\n'));
});

test('maintenance mode with replay paused: the switchover is refused, and the candidate is named as lagging and paused', () => {
  const s = stateOf('paused-replay-lag');
  const p = patroniPreflight(s, 'switchover', { member: 'pg3' });
  assert.equal(p.ok, false);
  assert.ok(p.blockers.some((b) => /paused \(maintenance mode\)/.test(b)));
  assert.ok(verdict(p, 'pg3').reasons.includes('WAL replay is paused on it: what it received is not applied yet'));
  assert.equal(patroniPreflight(s, 'pause').ok, false, 'already paused');
  assert.equal(patroniPreflight(s, 'resume').ok, true);
  assert.equal(patroniPreflight(stateOf('healthy-sync'), 'resume').ok, false, 'not paused');
  assert.match(patroniPreflight(stateOf('healthy-sync'), 'pause').warnings.join(), /a dead leader stays dead/);
});

test('a split brain refuses every change of leader', () => {
  const s = stateOf('healthy-sync');
  const split: ClusterState = { ...s, problems: [{ code: 'split-brain', severity: 'error', message: 'split brain: pg3 (127.0.0.1:15435) accepts writes besides pg1, the leader', member: 'pg3' }] };
  const p = patroniPreflight(split, 'switchover', { member: 'pg2' });
  assert.equal(p.ok, false);
  assert.match(p.blockers[0], /^split brain: pg3/);
});

test('failover: a candidate is required; without a leader a lagging candidate is refused unless forced, and force offers itself', () => {
  const s = stateOf('healthy-sync');
  assert.deepEqual(patroniPreflight(s, 'failover').blockers, ['a failover needs a candidate: Patroni does not choose one for it']);
  const led = patroniPreflight(s, 'failover', { member: 'pg2' });
  assert.equal(led.ok, true);
  assert.match(led.warnings.join(), /prefer switchover/);
  assert.deepEqual(patroniPreflight(s, 'failover', { member: 'pg2', force: true }).blockers, ['force is only for a cluster without a leader, and pg1 leads']);
  const leaderless: ClusterState = { ...s, leader: undefined, members: s.members.filter((m) => m.name !== 'pg1').map((m) => (m.name === 'pg3' ? { ...m, lagBytes: 8 * 1024 * 1024 } : m)) };
  assert.deepEqual(patroniPreflight(leaderless, 'switchover').blockers.slice(0, 1), ['no member holds the leader lock: a switchover needs a leader to hand over from; use failover']);
  const lagging = patroniPreflight(leaderless, 'failover', { member: 'pg3' });
  assert.equal(lagging.ok, false);
  assert.match(lagging.force ?? '', /^force the failover to pg3 despite: it is 8\.0 MiB behind/);
  const forced = patroniPreflight(leaderless, 'failover', { member: 'pg3', force: true });
  assert.equal(forced.ok, true);
  assert.ok(verdict(forced, 'pg3').notes.some((n) => n.startsWith('forced past: it is 8.0 MiB behind')));
  // Force never passes what Patroni itself refuses.
  const tagged: ClusterState = { ...leaderless, members: leaderless.members.map((m) => (m.name === 'pg3' ? { ...m, tags: { nofailover: true } } : m)) };
  assert.equal(patroniPreflight(tagged, 'failover', { member: 'pg3', force: true }).ok, false);
});

test('scheduled switchovers: a time with a zone, one at a time, and a cancellation only of what is scheduled', () => {
  const s = stateOf('healthy-sync');
  assert.equal(patroniPreflight(s, 'switchover', { scheduledAt: '2026-12-05T02:00:00+00:00' }).ok, true);
  assert.match(patroniPreflight(s, 'switchover', { scheduledAt: 'tomorrow' }).blockers.join(), /not a time with a zone/);
  assert.match(patroniPreflight(s, 'switchover', { scheduledAt: '2026-12-05T02:00:00' }).blockers.join(), /not a time with a zone/);
  const scheduled: ClusterState = { ...s, details: { ...s.details, scheduledSwitchover: { at: '2026-12-05T02:00:00+00:00', from: 'pg1' } } };
  assert.match(patroniPreflight(scheduled, 'switchover', { scheduledAt: '2026-12-06T02:00:00+00:00' }).blockers.join(), /already scheduled at 2026-12-05T02:00:00\+00:00: cancel it first/);
  assert.equal(patroniPreflight(scheduled, 'cancel-switchover').ok, true);
  assert.deepEqual(patroniPreflight(s, 'cancel-switchover').blockers, ['no switchover is scheduled']);
});

test('restart and reinit: a member named, the leader never reinitialised, pending restarts found', () => {
  const s = stateOf('healthy-sync');
  assert.match(patroniPreflight(s, 'restart').blockers.join(), /name the member to restart, or restart only those with a pending restart/);
  const leader = patroniPreflight(s, 'restart', { member: 'pg1' });
  assert.equal(leader.ok, true);
  assert.match(leader.warnings.join(), /restarting pg1, the leader: writes stop/);
  assert.match(verdict(patroniPreflight(s, 'reinit', { member: 'pg1' }), 'pg1').reasons.join(), /it is the leader/);
  assert.equal(patroniPreflight(s, 'reinit', { member: 'pg3' }).ok, true);
  assert.deepEqual(patroniPreflight(s, 'restart', { pendingOnly: true }).blockers, ['no member has a pending restart']);
  const pending: ClusterState = { ...s, members: s.members.map((m) => (m.name === 'pg3' ? { ...m, detail: 'pending restart' } : m)) };
  const p = patroniPreflight(pending, 'restart', { pendingOnly: true });
  assert.equal(p.ok, true);
  assert.deepEqual(p.candidates.map((c) => c.member), ['pg3']);
  assert.equal(patroniPreflight(s, 'restart', { member: 'pg7' }).ok, false);
});

test('an unreadable cluster refuses every action', () => {
  const s: ClusterState = { kind: 'patroni', name: 'x', source: 'http://h:8008', observedAt: '2026-01-01T00:00:00Z', members: [], health: 'error', problems: [], error: 'connection refused h:8008' };
  for (const a of ['switchover', 'failover', 'pause', 'resume', 'restart', 'reinit', 'cancel-switchover'] as const) {
    const p = patroniPreflight(s, a, { member: 'pg1' });
    assert.equal(p.ok, false);
    assert.deepEqual(p.blockers, ['the cluster could not be read: connection refused h:8008']);
  }
});
