// The promotion pre-flight and runbook of plain PostgreSQL on states built by the provider's own state
// builder, from observations recorded on the live lab (PostgreSQL 15 primary + standby) and variations
// of them for what a lab run does not show at will: every refusal, every runbook status.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import type { Preflight } from '../../live/src/actions/model';
import { promotePreflight, runbook } from '../../live/src/actions/postgres';
import type { RunbookStep } from '../../live/src/actions/postgres';
import type { ClusterState } from '../../live/src/model';
import type { ServerObservation } from '../../live/src/providers/postgres-observe';
import { DEFAULT_LAG_WARNING_BYTES, postgresState } from '../../live/src/providers/postgres-state';

const AT = new Date('2026-01-01T00:00:00Z');
const P = '127.0.0.1:15440';
const S = '127.0.0.1:15441';
const T = '127.0.0.1:15442';

function recorded(name: string): ServerObservation[] {
  return (JSON.parse(readFileSync(resolve(__dirname, '..', 'fixtures', 'postgres-observations', `${name}.json`), 'utf8')) as { servers: ServerObservation[] }).servers;
}

const stateOf = (servers: ServerObservation[], lagWarningBytes = DEFAULT_LAG_WARNING_BYTES): ClusterState =>
  postgresState(servers, { source: servers.map((x) => x.address).join(','), observedAt: AT, lagWarningBytes });

const down = (o: ServerObservation): ServerObservation => ({ address: o.address, host: o.host, port: o.port, error: `connection refused (${o.address})`, replication: [], slots: [] });
/** The standby with its receiver gone (the primary stopped): positions kept, nothing streaming. */
const cutOff = (o: ServerObservation): ServerObservation => ({ ...o, receiver: undefined });
/** A second standby on port 15442, streaming from `from`, having received up to `lsn`. */
function third(sb: ServerObservation, lsn: string, from = 15440): ServerObservation {
  return { ...sb, address: T, port: 15442, clusterName: 'third', receiveLsn: lsn, replayLsn: lsn, receiver: { ...sb.receiver!, applicationName: 'third', senderPort: from, slotName: undefined } };
}

const verdict = (p: Preflight, member: string) => {
  const c = p.candidates.find((x) => x.member === member);
  assert.ok(c, `${member} is not among the candidates ${p.candidates.map((x) => x.member).join(', ')}`);
  return c;
};
const statuses = (steps: RunbookStep[]) => steps.map((s) => `${s.id} ${s.status}`);

test('a streaming standby while the old primary takes writes: refused until it is fenced, then safe', () => {
  const s = stateOf(recorded('streaming'));
  const p = promotePreflight(s, { candidate: S });
  assert.equal(p.ok, false);
  assert.equal(p.primary, P);
  assert.equal(p.target, S);
  assert.deepEqual(p.blockers, [`the old primary ${P} still accepts writes: fence it first (stop it, or make it unreachable to clients), or both will take writes — split brain`]);
  assert.deepEqual(p.candidates.map((c) => c.member), [S]);
  assert.equal(verdict(p, S).safe, true);
  assert.deepEqual(verdict(p, S).notes, ['replica, streaming', 'lag 0 B / 0 s', 'timeline 1', 'async standby']);
  const fenced = promotePreflight(s, { candidate: S, oldPrimaryFenced: true });
  assert.equal(fenced.ok, true);
  assert.deepEqual(fenced.blockers, []);
  assert.match(fenced.warnings[0], /127\.0\.0\.1:15440 is said to be fenced but still accepts writes here/);
});

test('the standby to promote must be named, be one of the set, and be a standby', () => {
  const s = stateOf(recorded('streaming'));
  const none = promotePreflight(s, { oldPrimaryFenced: true });
  assert.equal(none.ok, false);
  assert.deepEqual(none.blockers, [`name the standby to promote: plain PostgreSQL elects none (safe now: ${S})`]);
  const stranger = promotePreflight(s, { candidate: '127.0.0.1:1', oldPrimaryFenced: true });
  assert.equal(stranger.ok, false);
  assert.deepEqual(stranger.blockers, [`127.0.0.1:1 is not one of the servers given (${P}, ${S})`]);
  const primary = promotePreflight(s, { candidate: P, oldPrimaryFenced: true });
  assert.equal(primary.ok, false);
  assert.deepEqual(primary.blockers, [`${P} is not a standby: it already accepts writes`]);
});

test('the state builder keeps each standby’s own view for the pre-flight: upstream, receiver, unapplied WAL', () => {
  const s = stateOf(recorded('replay-paused'));
  assert.deepEqual((s.details as { standbys: unknown[] }).standbys, [
    { server: S, upstream: P, sender: P, receiver: 'streaming', listed: true, receiveLsn: '0/3864388', replayLsn: '0/3000000', unappliedBytes: 0x864388, replayPaused: true },
  ]);
});

test('replay paused: refused, saying what is held back and that promoting applies it (PostgreSQL 13+)', () => {
  const p = promotePreflight(stateOf(recorded('replay-paused')), { candidate: S, oldPrimaryFenced: true });
  assert.equal(p.ok, false);
  const reasons = verdict(p, S).reasons;
  assert.match(reasons[0], /^replay is paused with 8\.4 MiB of received WAL not yet applied: promoting ends the pause \(PostgreSQL 13 and later\) and applies all of it/);
  assert.match(reasons[0], /pg_wal_replay_resume\(\)/);
  // Lag under the 16 MiB threshold, but the primary is fenced: every byte behind is a lost commit.
  assert.match(reasons[1], /^it is 8\.4 MiB behind the fenced primary: wait until it has replayed everything/);
});

test('lag beyond the threshold is refused in the provider’s words', () => {
  const [pr, sb] = recorded('replay-paused');
  const p = promotePreflight(stateOf([pr, { ...sb, replayPaused: false }], 1024 * 1024), { candidate: S, oldPrimaryFenced: true });
  assert.deepEqual(verdict(p, S).reasons, ['it is 8.4 MiB behind 127.0.0.1:15440: commits not on it would be lost']);
  assert.ok(verdict(p, S).notes.includes('8.4 MiB received, not yet replayed: the promotion replays it before taking writes'));
});

test('a standby that does not stream from a live primary is refused, whatever the reason', () => {
  const [pr, sb] = recorded('streaming');
  const noReceiver = promotePreflight(stateOf([{ ...pr, replication: [] }, cutOff(sb)]), { candidate: S, oldPrimaryFenced: true });
  assert.deepEqual(verdict(noReceiver, S).reasons, ['it does not stream from the primary — it has no WAL receiver (archive recovery, or not connected): it lacks what the primary wrote since']);
  const waiting = promotePreflight(stateOf([{ ...pr, replication: [] }, { ...sb, receiver: { ...sb.receiver!, status: 'waiting' } }]), { candidate: S, oldPrimaryFenced: true });
  assert.match(verdict(waiting, S).reasons[0], /its WAL receiver is waiting/);
  const catchup = promotePreflight(stateOf([{ ...pr, replication: [{ ...pr.replication[0], state: 'catchup' }] }, sb]), { candidate: S, oldPrimaryFenced: true });
  assert.match(verdict(catchup, S).reasons[0], /its walsender on 127\.0\.0\.1:15440 is in catchup/);
});

test('a standby on another timeline than the primary is refused', () => {
  const [pr, sb] = recorded('streaming');
  const p = promotePreflight(stateOf([{ ...pr, timeline: 2 }, sb]), { candidate: S, oldPrimaryFenced: true });
  assert.deepEqual(verdict(p, S).reasons, ["it is on timeline 1, the primary on 2: it does not follow the primary's history (rewind or re-clone it)"]);
});

test('no primary answers: a warning, not a blocker; the standby that holds the most WAL is the one to promote', () => {
  const [pr, sb] = recorded('streaming');
  const one = promotePreflight(stateOf([down(pr), cutOff(sb)]), { candidate: S });
  assert.equal(one.ok, true, JSON.stringify(one));
  assert.equal(one.primary, undefined);
  assert.deepEqual(one.blockers, []);
  assert.deepEqual(one.warnings, [`no primary answers (${P} down): that is the reason to promote; whatever it committed that no standby received is lost`]);
  assert.ok(verdict(one, S).notes.includes('not streaming (no primary answers): it holds WAL up to 0/3000000'));
  // A second standby received 4 KiB more before the primary died: promoting S would lose it.
  const two = stateOf([down(pr), cutOff(sb), cutOff(third(sb, '0/3001000'))]);
  const behind = promotePreflight(two, { candidate: S });
  assert.equal(behind.ok, false);
  assert.deepEqual(verdict(behind, S).reasons, [`${T} has received 4.0 KiB more WAL: promote ${T}, or what only it holds is lost and it must be rewound to follow this one`]);
  assert.equal(verdict(behind, T).safe, true);
  assert.equal(promotePreflight(two, { candidate: T }).ok, true);
  // One that stayed on the old timeline when another already follows a newer one.
  const older = promotePreflight(stateOf([down(pr), cutOff(sb), { ...cutOff(third(sb, '0/3000000')), timeline: 2 }]), { candidate: S });
  assert.deepEqual(verdict(older, S).reasons, ['it is on timeline 1, another standby on 2: it has not followed the last promotion']);
});

test('a named server that does not answer is refused; only standbys given warn that the primary may live elsewhere', () => {
  const [pr, sb] = recorded('streaming');
  const p = promotePreflight(stateOf([pr, down(sb)]), { candidate: S, oldPrimaryFenced: true });
  assert.deepEqual(verdict(p, S).reasons, [`it does not answer: connection refused (${S})`]);
  assert.equal(p.ok, false);
  const alone = promotePreflight(stateOf([sb]), { candidate: S });
  assert.deepEqual(alone.warnings, ['none of the servers given accepts writes: if their primary runs elsewhere, fence it before promoting']);
  assert.equal(alone.ok, true);
});

test('cascading standbys: noted on the cascade and on the standby it streams from', () => {
  const [pr, sb] = recorded('streaming');
  const cascade = third(sb, '0/3000000', 15441);
  const sbWithSender = { ...sb, replication: [{ ...pr.replication[0], applicationName: 'third' }] };
  const p = promotePreflight(stateOf([pr, sbWithSender, cascade]), { candidate: T, oldPrimaryFenced: true });
  assert.ok(verdict(p, T).notes.includes(`cascading: streams from ${S}, a standby, not the primary — it has at most what ${S} has`), JSON.stringify(verdict(p, T)));
  assert.ok(verdict(p, S).notes.includes(`${T} streams from it and will follow it onto the new timeline (recovery_target_timeline 'latest')`));
});

test('a split brain and servers of different systems block; an unreadable set is refused, never a crash', () => {
  const split = promotePreflight(stateOf(recorded('promoted')), { candidate: S, oldPrimaryFenced: true });
  assert.equal(split.ok, false);
  assert.match(split.blockers[0], /^2 servers accept writes: 127\.0\.0\.1:15440 and 127\.0\.0\.1:15441; only one may be the primary: settle which one is the primary/);
  const [pr, sb] = recorded('streaming');
  const mixed = promotePreflight(stateOf([pr, { ...sb, systemId: '1' }]), { candidate: S, oldPrimaryFenced: true });
  assert.ok(mixed.blockers.some((b) => /different database systems .*: name only the primary and its own standbys/.test(b)), mixed.blockers.join('\n'));
  const gone = stateOf([down(pr), down(sb)]);
  assert.ok(gone.error);
  const refused = promotePreflight(gone, { candidate: S });
  assert.equal(refused.ok, false);
  assert.deepEqual(refused.candidates, []);
  assert.match(refused.blockers[0], /^the cluster could not be read: connection refused/);
});

test('runbook: each step from fencing to re-attaching, as the servers show it', () => {
  const [pr, sb] = recorded('streaming');
  const before = stateOf([pr, sb]);
  assert.deepEqual(statuses(runbook(before, before, S)), ['fence pending', 'promote pending', 'repoint manual', 'reattach pending']);
  assert.match(runbook(before, before, S)[0].detail, /127\.0\.0\.1:15440 still accepts writes: stop it/);

  const fenced = stateOf([down(pr), cutOff(sb)]);
  const afterFence = runbook(before, fenced, S);
  assert.deepEqual(statuses(afterFence), ['fence done', 'promote pending', 'repoint manual', 'reattach pending']);
  assert.equal(afterFence[0].detail, `${P} is down (it does not answer)`);
  assert.match(afterFence[1].detail, /still in recovery: SELECT pg_promote\(\)/);
  assert.match(afterFence[2].detail, /HAProxy backends, pgbouncer \[databases\] entries, DNS names and application connection strings that point at 127\.0\.0\.1:15440 must point at 127\.0\.0\.1:15441/);

  const newPrimary: ServerObservation = { ...sb, inRecovery: false, timeline: 2, currentLsn: '0/3000100', receiver: undefined, receiveLsn: undefined, replayLsn: undefined, replayPaused: undefined };
  const promoted = runbook(before, stateOf([down(pr), newPrimary]), S);
  assert.deepEqual(statuses(promoted), ['fence done', 'promote done', 'repoint manual', 'reattach pending']);
  assert.equal(promoted[1].detail, `${S} accepts writes on timeline 2 (was 1)`);
  assert.match(promoted[3].detail, /^127\.0\.0\.1:15440 is down: stop it cleanly, then pg_rewind --target-pgdata=<its data directory> --source-server='host=127\.0\.0\.1 port=15441 user=<a superuser>' -R/);
  assert.match(promoted[3].detail, /wal_log_hints=on or data checksums/);
  assert.match(promoted[3].detail, /pg_basebackup -R/);

  // The old primary restarted as a primary: two servers take writes.
  const split = runbook(before, stateOf([pr, newPrimary]), S);
  assert.deepEqual(statuses(split), ['fence failed', 'promote done', 'repoint manual', 'reattach pending']);
  assert.match(split[0].detail, /accepts writes as well as 127\.0\.0\.1:15441: split brain/);

  // Rewound and started as a standby of the new primary, which lists it in pg_stat_replication.
  const rejoined: ServerObservation = { ...pr, inRecovery: true, timeline: 2, currentLsn: undefined, replication: [], slots: [], receiveLsn: '0/3000100', replayLsn: '0/3000100', replayPaused: false, receiver: { status: 'streaming', senderHost: '127.0.0.1', senderPort: 15441, receivedTli: 2, applicationName: 'lab-primary' } };
  const listing: ServerObservation = { ...newPrimary, replication: [{ applicationName: 'lab-primary', clientAddr: '127.0.0.1', state: 'streaming', syncState: 'async', lagBytes: 0 }] };
  const done = runbook(before, stateOf([rejoined, listing]), S);
  assert.deepEqual(statuses(done), ['fence done', 'promote done', 'repoint manual', 'reattach done']);
  assert.equal(done[0].detail, `${P} is in recovery: it takes no writes`);
  assert.equal(done[3].detail, `${P} streams from ${S} on timeline 2; pg_stat_replication on ${S} lists it`);
  // In recovery, but its receiver is not connected to the new primary (diverged, never rewound).
  const astray = runbook(before, stateOf([{ ...rejoined, receiver: undefined }, newPrimary]), S);
  assert.equal(astray[3].status, 'pending');
  assert.match(astray[3].detail, /is in recovery but not streaming from 127\.0\.0\.1:15441 \(no WAL receiver\)/);
});

test('runbook without a known old primary: fence done, re-attach left to the person', () => {
  const [, sb] = recorded('streaming');
  const steps = runbook(stateOf([sb]), stateOf([{ ...sb, inRecovery: false, timeline: 2, currentLsn: '0/3000100', receiver: undefined }]), S);
  assert.deepEqual(statuses(steps), ['fence done', 'promote done', 'repoint manual', 'reattach manual']);
  assert.equal(steps[0].detail, `no server besides ${S} accepts writes`);
});
