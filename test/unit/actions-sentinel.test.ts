// The Sentinel pre-flight on states built by the real state builder from answers recorded on Redis/
// Sentinel 7.0 (test/fixtures/live/sentinel), changed the way failures change them: every replica
// judged as Sentinel's own selection judges it, each refusal in words, the likely choice named.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatPreflight } from '../../live/src/actions/format';
import { exactPattern, sentinelAnswerWords, sentinelFailoverSpec, sentinelPreflight, sentinelResetSpec } from '../../live/src/actions/sentinel';
import type { ClusterState } from '../../live/src/model';
import { unreachable } from '../../live/src/model';
import { pairs, parseInfo, sentinelClusterState } from '../../live/src/providers/sentinel-state';
import type { Fields, NodeInfo, SentinelView } from '../../live/src/providers/sentinel-state';

const text = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'live', 'sentinel', name), 'utf8').trimEnd();
const recordsOf = (name: string): Fields[] => {
  const lines = text(name).split('\n');
  const starts = lines.flatMap((l, i) => (l === 'name' && i % 2 === 0 ? [i] : []));
  return starts.map((s, k) => pairs(lines.slice(s, starts[k + 1] ?? lines.length)));
};
const MASTER = '127.0.0.1:16379';
const R1 = '127.0.0.1:16380';
const R2 = '127.0.0.1:16381';

/** The recorded setup: R1 replica-priority 90 and in step, R2 priority 80 and 128 bytes behind. */
function state(change: { view?: (v: SentinelView) => void; nodes?: (n: Map<string, NodeInfo>) => void } = {}): ClusterState {
  const v: SentinelView = {
    sentinel: '127.0.0.1:16479',
    master: pairs(text('sentinel-master.txt').split('\n')),
    replicas: recordsOf('sentinel-replicas.txt'),
    sentinels: recordsOf('sentinel-sentinels.txt'),
    ckquorum: { ok: true, text: text('sentinel-ckquorum.txt') },
  };
  const replica = parseInfo(text('info-replica.txt'));
  const n = new Map<string, NodeInfo>([
    [MASTER, { info: parseInfo(text('info-master.txt')) }],
    [R1, { info: { ...replica } }],
    [R2, { info: { ...replica, slave_repl_offset: '300', slave_priority: '80' } }],
  ]);
  change.view?.(v);
  change.nodes?.(n);
  return sentinelClusterState(v, n, 'redis://127.0.0.1:16479', new Date('2024-05-01T10:00:00Z'));
}
const replica = (v: SentinelView, at: string) => {
  const r = v.replicas.find((x) => x.name === at);
  assert.ok(r, at);
  return r;
};
const verdict = (p: ReturnType<typeof sentinelPreflight>, member: string) => {
  const c = p.candidates.find((x) => x.member === member);
  assert.ok(c, `${member} judged`);
  return c;
};

test('healthy: the lowest replica-priority is the likely choice even a little behind; both replicas safe', () => {
  const p = sentinelPreflight(state(), 'sentinel-failover');
  assert.equal(p.ok, true, formatPreflight(p));
  assert.deepEqual([p.primary, p.target, p.blockers], [MASTER, R2, []]);
  assert.deepEqual(p.candidates.map((c) => [c.member, c.safe]), [[R1, true], [R2, true]]);
  assert.deepEqual(verdict(p, R2).notes, ['replica-priority 80', '128 B behind the master', 'last heard from the master 0 s ago', 'Sentinel would most likely choose it']);
  assert.deepEqual(verdict(p, R1).notes.slice(0, 2), ['replica-priority 90', '0 B behind the master']);
  assert.ok(p.warnings.includes(`${R2} is 128 B behind the master: writes not yet on it are lost`), p.warnings.join('\n'));
  assert.ok(p.warnings.some((w) => w.startsWith(`Sentinel does not stop writes to ${MASTER} before promoting`)));
  assert.match(formatPreflight(p), /✓ 127\.0\.0\.1:16381 \(target\): safe — replica-priority 80/);
});

test('a candidate: the likely choice passes; another is refused, with how to make Sentinel prefer it; strangers named', () => {
  const s = state();
  assert.equal(sentinelPreflight(s, 'sentinel-failover', { candidate: R2 }).ok, true);
  const other = sentinelPreflight(s, 'sentinel-failover', { candidate: R1 });
  assert.equal(other.ok, false);
  assert.equal(other.target, R1);
  assert.equal(other.blockers.length, 1);
  assert.match(other.blockers[0], /^SENTINEL FAILOVER cannot be told which replica to promote: Sentinel picks itself, and would most likely choose 127\.0\.0\.1:16381 \(replica-priority 80, 128 B behind\), not 127\.0\.0\.1:16380/);
  assert.match(other.blockers[0], /CONFIG SET replica-priority 1 on 127\.0\.0\.1:16380\) or set replica-priority 0 on 127\.0\.0\.1:16381/);
  assert.deepEqual(sentinelPreflight(s, 'sentinel-failover', { candidate: '10.0.0.9:6379' }).blockers, [`10.0.0.9:6379 is not a replica of labmaster (replicas: ${R1}, ${R2})`]);
  assert.deepEqual(sentinelPreflight(s, 'sentinel-failover', { candidate: MASTER }).blockers, [`${MASTER} is the master already`]);
});

test('same priority: the least lag wins; same priority and offset: a tie Sentinel breaks by run id, a candidate refused', () => {
  const samePriority = (v: SentinelView) => (replica(v, R2)['slave-priority'] = '90');
  const byLag = sentinelPreflight(state({ view: samePriority }), 'sentinel-failover');
  assert.equal(byLag.target, R1);
  const tied = state({ view: samePriority, nodes: (n) => n.set(R2, { info: { ...parseInfo(text('info-replica.txt')) } }) });
  const any = sentinelPreflight(tied, 'sentinel-failover');
  assert.equal(any.ok, true);
  assert.equal(any.target, undefined);
  assert.ok(any.warnings.some((w) => w.startsWith(`Sentinel will choose between ${R1}, ${R2}`)), any.warnings.join('\n'));
  const asked = sentinelPreflight(tied, 'sentinel-failover', { candidate: R1 });
  assert.equal(asked.ok, false);
  assert.match(asked.blockers.join(), /would choose between 127\.0\.0\.1:16380 and 127\.0\.0\.1:16381 \(same replica-priority, same offset\) by run id/);
});

test('replica-priority 0 on every replica: refused, each replica says why, and -NOGOODSLAVE is named', () => {
  const p = sentinelPreflight(state({ view: (v) => v.replicas.forEach((r) => (r['slave-priority'] = '0')) }), 'sentinel-failover');
  assert.equal(p.ok, false);
  assert.deepEqual(p.blockers, ['no replica can be promoted, each one is refused below: Sentinel would answer -NOGOODSLAVE']);
  for (const c of p.candidates) assert.deepEqual(c.reasons, ['replica-priority 0: Sentinel will never promote it']);
  assert.match(formatPreflight(p), /pre-flight: REFUSED/);
  // One left with priority 0: the other is the only choice, whatever its priority.
  const one = sentinelPreflight(state({ view: (v) => (replica(v, R2)['slave-priority'] = '0') }), 'sentinel-failover');
  assert.deepEqual([one.ok, one.target], [true, R1]);
  assert.equal(sentinelPreflight(state({ view: (v) => (replica(v, R2)['slave-priority'] = '0') }), 'sentinel-failover', { candidate: R2 }).ok, false);
});

test('a replica flagged s_down, one whose link is down, one unreadable: each refused for its own reason', () => {
  const down = sentinelPreflight(state({ view: (v) => (replica(v, R2).flags = 'slave,s_down') }), 'sentinel-failover');
  assert.deepEqual(verdict(down, R2).reasons, ['Sentinel flags it s_down: it never promotes a replica it cannot reach']);
  assert.deepEqual([down.target, down.ok], [R1, true], 'Sentinel skips it and takes the other');
  const link = state({ nodes: (n) => n.set(R2, { info: { ...parseInfo(text('info-replica.txt')), slave_priority: '80', master_link_status: 'down', master_link_down_since_seconds: '3' } }) });
  const linkDown = sentinelPreflight(link, 'sentinel-failover');
  assert.deepEqual(verdict(linkDown, R2).reasons, ['its link to the master is down (master_link_status down): what was written since is not on it']);
  // Sentinel would still pick it (down 3 s, under 10 × 2 s): the failover is refused, not silently sent elsewhere.
  assert.equal(linkDown.ok, false);
  assert.ok(linkDown.blockers.includes(`Sentinel would most likely promote ${R2}, which is refused below`), linkDown.blockers.join('\n'));
  const longDown = state({ nodes: (n) => n.set(R2, { info: { ...parseInfo(text('info-replica.txt')), master_link_status: 'down', master_link_down_since_seconds: '25' } }) });
  assert.match(verdict(sentinelPreflight(longDown, 'sentinel-failover'), R2).reasons[0], /down 25 s, more than 10 × down-after-milliseconds: Sentinel skips it/);
  const unread = sentinelPreflight(state({ nodes: (n) => n.set(R1, { error: `connection refused ${R1}` }) }), 'sentinel-failover', { candidate: R1 });
  assert.deepEqual(verdict(unread, R1).reasons, [`its INFO replication cannot be read from here (connection refused ${R1}): whether it has the data is unknown`]);
  assert.equal(unread.ok, false);
});

test("CKQUORUM failing and too few Sentinels refuse the failover, in Sentinel's words", () => {
  const noQuorum = 'NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master';
  const s = state({
    view: (v) => {
      v.ckquorum = { ok: false, text: noQuorum };
      v.sentinels.forEach((x) => (x.flags = 'sentinel,s_down'));
    },
  });
  const p = sentinelPreflight(s, 'sentinel-failover');
  assert.equal(p.ok, false);
  assert.equal(p.blockers.length, 2, p.blockers.join('\n'));
  assert.ok(p.blockers[0].startsWith(`Sentinel 127.0.0.1:16479: ${noQuorum}: bring the Sentinels back first`), p.blockers[0]);
  assert.match(p.blockers[1], /^only 1 of 3 Sentinels are reachable, fewer than the quorum of 2/);
  assert.ok(p.candidates.every((c) => c.safe), 'the replicas themselves are fine');
});

test('the master unreachable is a warning, not a blocker; a failover under way is -INPROG', () => {
  const dead = state({ view: (v) => (v.master.flags = 'master,s_down,o_down'), nodes: (n) => n.set(MASTER, { error: `connection refused ${MASTER}` }) });
  const p = sentinelPreflight(dead, 'sentinel-failover');
  assert.equal(p.ok, true, formatPreflight(p));
  assert.ok(p.warnings.some((w) => w.startsWith(`the master ${MASTER} does not answer (INFO replication: connection refused ${MASTER}): that is what a failover is for`)), p.warnings.join('\n'));
  const busy = sentinelPreflight(state({ view: (v) => (v.master.flags = 'master,failover_in_progress') }), 'sentinel-failover');
  assert.equal(busy.ok, false);
  assert.match(busy.blockers.join(), /already in progress \(flags master,failover_in_progress\): Sentinel would answer -INPROG/);
});

test('reset: allowed, with what it forgets and what stays forgotten; unreadable states refuse everything without a crash', () => {
  const p = sentinelPreflight(state({ view: (v) => (replica(v, R1).flags = 'slave,s_down') }), 'sentinel-reset');
  assert.equal(p.ok, true);
  assert.deepEqual(p.blockers, []);
  assert.match(p.warnings[0], /^Sentinel 127\.0\.0\.1:16479 forgets the 2 replica\(s\) and 2 other Sentinel\(s\) of labmaster and finds them again/);
  assert.ok(p.warnings.includes(`${R1} is flagged slave,s_down: it stays forgotten until it is back and replicating from the master`), p.warnings.join('\n'));
  assert.ok(p.warnings.some((w) => /only Sentinel 127\.0\.0\.1:16479 is reset/.test(w)));
  const gone = unreachable('sentinel', 'labmaster', 'redis://127.0.0.1:16479', 'connection refused 127.0.0.1:16479', new Date());
  for (const action of ['sentinel-failover', 'sentinel-reset'] as const) {
    const r = sentinelPreflight(gone, action, { candidate: R1 });
    assert.deepEqual([r.ok, r.blockers], [false, ['the cluster could not be read: connection refused 127.0.0.1:16479']]);
  }
  const noMaster: ClusterState = { ...state(), leader: undefined };
  assert.deepEqual(sentinelPreflight(noMaster, 'sentinel-failover').blockers, ['Sentinel knows no master for labmaster']);
});

test("Sentinel's refusals in words; RESET's glob matches the one master", () => {
  assert.match(sentinelAnswerWords('NOGOODSLAVE No suitable replica to promote', 'm', '127.0.0.1:26379'), /^Sentinel 127\.0\.0\.1:26379 found no replica of m it may promote \(-NOGOODSLAVE\): each one is down, disconnected, has replica-priority 0/);
  assert.match(sentinelAnswerWords('INPROG Failover already in progress', 'm', 'x'), /^a failover of m is already in progress \(-INPROG\)/);
  assert.equal(sentinelAnswerWords('ERR No such master with that name', 'm', 'x'), "Sentinel x monitors no master named 'm'");
  assert.equal(sentinelAnswerWords('ERR something else', 'm', 'x'), 'Sentinel x answered: ERR something else');
  assert.equal(exactPattern('cache-1'), 'cache-1');
  assert.equal(exactPattern('a*b?[c]\\'), 'a\\*b\\?\\[c\\]\\\\');
});

/** After a failover to R2: Sentinel names R2 the master; `old` is what the old master's INFO says, or why it is unreadable. */
function promoted(old: Fields | string): ClusterState {
  return state({
    view: (v) => {
      const r2 = replica(v, R2);
      v.master = { ...v.master, name: 'labmaster', ip: '127.0.0.1', port: '16381' };
      v.replicas = [replica(v, R1), { ...r2, name: MASTER, port: '16379', 'slave-priority': '100' }];
    },
    nodes: (n) => {
      const info = parseInfo(text('info-replica.txt'));
      n.set(R2, { info: parseInfo(text('info-master.txt')) });
      n.set(R1, { info: { ...info, master_port: '16381' } });
      n.set(MASTER, typeof old === 'string' ? { error: old } : { info: old });
    },
  });
}

test('failover verify: a new master by Sentinel and by its INFO, and the old one following it or dead', () => {
  const spec = sentinelFailoverSpec({ sentinels: ['redis://127.0.0.1:1'], master: 'labmaster' });
  const before = state();
  const p = sentinelPreflight(before, 'sentinel-failover');
  assert.equal(spec.verify(before, before, p), `Sentinel still reports ${MASTER} as the master`);
  const follower = { ...parseInfo(text('info-replica.txt')), master_port: '16381' };
  assert.equal(spec.verify(before, promoted(follower), p), true);
  assert.equal(spec.verify(before, promoted(parseInfo(text('info-master.txt'))), p), `${MASTER}, the old master, still says it is a master: Sentinel turns it into a replica of ${R2} within about 20 s`);
  assert.equal(spec.verify(before, promoted(`connection refused ${MASTER}`), p), true, 'a dead old master cannot follow');
  assert.equal(spec.verify(before, promoted({ ...follower, master_port: '16380' }), p), `${MASTER}, the old master, replicates from ${R1}, not from the master ${R2}`);
  const notYet: ClusterState = { ...promoted(follower), problems: [{ code: 'role-mismatch', severity: 'warning', message: 'x', member: R2 }] };
  assert.match(String(spec.verify(before, notYet, p)), /its INFO does not say role:master yet/);
  const wanted = sentinelFailoverSpec({ sentinels: ['redis://127.0.0.1:1'], master: 'labmaster', candidate: R1 });
  assert.equal(wanted.verify(before, promoted(follower), p), `Sentinel promoted ${R2}, not ${R1}`);
});

test('reset verify: done once every replica and Sentinel that was up is known again', () => {
  const spec = sentinelResetSpec({ sentinels: ['redis://127.0.0.1:1'], master: 'labmaster' });
  const before = state({ view: (v) => (replica(v, R1).flags = 'slave,s_down') });
  const p = sentinelPreflight(before, 'sentinel-reset');
  const forgotten = state({ view: (v) => ((v.replicas = []), (v.sentinels = v.sentinels.slice(1))) });
  assert.equal(spec.verify(before, forgotten, p), '0 of 1 replicas found again, 2 of 3 Sentinels found again');
  assert.equal(spec.verify(before, state({ view: (v) => (v.replicas = [replica(v, R2)]) }), p), true, 'the replica that was down need not come back');
});
