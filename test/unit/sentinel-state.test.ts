// The Sentinel state builder on answers recorded from Redis/Sentinel 7.0 (test/fixtures/live/sentinel,
// written by test/live/lab/capture-sentinel.ts), and on copies changed the way failures change them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ClusterState, Member } from '../../live/src/model';
import { describeRedisError, hostPort } from '../../live/src/providers/redis-connections';
import { flagsHealth, pairs, parseInfo, sentinelClusterState } from '../../live/src/providers/sentinel-state';
import type { Fields, NodeInfo, SentinelView } from '../../live/src/providers/sentinel-state';
import { validateClusterState } from '../helpers/cluster-state';

const text = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'live', 'sentinel', name), 'utf8').trimEnd();
/** redis-cli's lines of a list of flat records, split where each record's `name` starts. */
const recordsOf = (name: string): Fields[] => {
  const lines = text(name).split('\n');
  const starts = lines.flatMap((l, i) => (l === 'name' && i % 2 === 0 ? [i] : []));
  return starts.map((s, k) => pairs(lines.slice(s, starts[k + 1] ?? lines.length)));
};
const NOW = new Date('2024-05-01T10:00:00Z');
const SOURCE = 'redis://127.0.0.1:16479';

function view(change: (v: SentinelView) => void = () => undefined): SentinelView {
  const v: SentinelView = {
    sentinel: '127.0.0.1:16479',
    master: pairs(text('sentinel-master.txt').split('\n')),
    replicas: recordsOf('sentinel-replicas.txt'),
    sentinels: recordsOf('sentinel-sentinels.txt'),
    ckquorum: { ok: true, text: text('sentinel-ckquorum.txt') },
  };
  change(v);
  return v;
}
function nodes(change: (n: Map<string, NodeInfo>) => void = () => undefined): Map<string, NodeInfo> {
  const replica = parseInfo(text('info-replica.txt'));
  const n = new Map<string, NodeInfo>([
    ['127.0.0.1:16379', { info: parseInfo(text('info-master.txt')) }],
    ['127.0.0.1:16380', { info: { ...replica } }],
    ['127.0.0.1:16381', { info: { ...replica, slave_repl_offset: '300', slave_priority: '80' } }],
  ]);
  change(n);
  return n;
}
const build = (v = view(), n = nodes()): ClusterState => {
  const s = sentinelClusterState(v, n, SOURCE, NOW);
  validateClusterState(s);
  return s;
};
const member = (s: ClusterState, name: string): Member => {
  const m = s.members.find((x) => x.name === name);
  assert.ok(m, name);
  return m;
};
const codes = (s: ClusterState) => s.problems.map((p) => `${p.code}:${p.severity}:${p.member ?? ''}`);
const setInfo = (n: Map<string, NodeInfo>, at: string, fields: Fields) => {
  const cur = n.get(at);
  assert.ok(cur && 'info' in cur);
  n.set(at, { info: { ...cur.info, ...fields } });
};

test('a healthy master: roles, writability, lag from offsets, priorities, quorum', () => {
  const s = build();
  assert.deepEqual([s.kind, s.name, s.leader, s.health, s.source], ['sentinel', 'labmaster', '127.0.0.1:16379', 'ok', SOURCE]);
  assert.deepEqual(s.problems, []);
  assert.deepEqual(
    s.members.map((m) => `${m.role} ${m.name} ${m.state}`),
    ['primary 127.0.0.1:16379 master', 'replica 127.0.0.1:16380 slave', 'replica 127.0.0.1:16381 slave', 'sentinel 127.0.0.1:16479 sentinel', 'sentinel 127.0.0.1:16480 sentinel', 'sentinel 127.0.0.1:16481 sentinel'],
  );
  assert.equal(member(s, '127.0.0.1:16379').writable, true);
  const r1 = member(s, '127.0.0.1:16380');
  assert.deepEqual([r1.writable, r1.lagBytes, r1.lagSeconds, r1.tags?.['replica-priority'], r1.group], [false, 0, 0, 90, 'labmaster']);
  // master_repl_offset 428 in the recording, this replica's 300.
  assert.equal(member(s, '127.0.0.1:16381').lagBytes, 128);
  assert.deepEqual([s.details?.quorum, s.details?.ckquorum], [2, 'OK 3 usable Sentinels. Quorum and failover authorization can be reached']);
});

test("CKQUORUM failing is an error in Sentinel's words; fewer usable Sentinels than the quorum too", () => {
  const words = 'NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the majority and authorize a failover';
  const s = build(
    view((v) => {
      v.ckquorum = { ok: false, text: words };
      for (const x of v.sentinels) x.flags = 'sentinel,s_down';
    }),
  );
  assert.deepEqual(codes(s), ['member-down:warning:127.0.0.1:16480', 'member-down:warning:127.0.0.1:16481', 'quorum:error:', 'too-few-sentinels:error:']);
  assert.ok(s.problems[2].message.endsWith(words));
  assert.match(s.problems[3].message, /only 1 of 3 Sentinels .* quorum of 2/);
  assert.equal(s.health, 'error');
});

test('a master the Sentinels agree is down (o_down), unreadable by INFO', () => {
  const s = build(
    view((v) => {
      v.master.flags = 'master,s_down,o_down';
    }),
    nodes((n) => n.set('127.0.0.1:16379', { error: 'connection refused 127.0.0.1:16379' })),
  );
  const m = member(s, '127.0.0.1:16379');
  assert.deepEqual([m.health, m.writable, m.detail], ['error', undefined, 'INFO replication: connection refused 127.0.0.1:16379']);
  assert.deepEqual(codes(s), ['master-down:error:127.0.0.1:16379']);
  // Without the master's offset there is no lag to compute.
  assert.equal(member(s, '127.0.0.1:16380').lagBytes, undefined);
});

test('a replica that says it is a master: a warning while Sentinel can still turn it back, a split brain once that lasts 30 s', () => {
  // Just seen (the old master at the end of a failover, a replica promoted by hand): Sentinel reconfigures it within about 20 s.
  const fresh = build(view(), nodes((n) => setInfo(n, '127.0.0.1:16381', { role: 'master' })));
  assert.deepEqual(codes(fresh), ['stale-master:warning:127.0.0.1:16381']);
  assert.match(fresh.problems[0].message, /Sentinel turns it back into a replica within about 20 s/);
  assert.deepEqual([member(fresh, '127.0.0.1:16381').writable, member(fresh, '127.0.0.1:16381').health, fresh.health], [true, 'warning', 'warning']);
  // Seen by this reader for 30 s: Sentinel has not ended it.
  const since = (ms: number) => new Map([['127.0.0.1:16381', NOW.getTime() - ms]]);
  const claims = (ms: number) => sentinelClusterState(view(), nodes((n) => setInfo(n, '127.0.0.1:16381', { role: 'master' })), SOURCE, NOW, { masterClaims: since(ms) });
  assert.deepEqual(codes(claims(29_000)), ['stale-master:warning:127.0.0.1:16381']);
  const lasting = claims(30_000);
  validateClusterState(lasting);
  assert.deepEqual(codes(lasting), ['split-brain:error:127.0.0.1:16381']);
  assert.deepEqual([member(lasting, '127.0.0.1:16381').health, lasting.health], ['error', 'error']);
  // Sentinel's own word counts too: it has seen the role `master` for a minute (a one-shot read knows no more).
  const known = build(
    view((v) => Object.assign(v.replicas[1], { 'role-reported': 'master', 'role-reported-time': '60000' })),
    nodes((n) => setInfo(n, '127.0.0.1:16381', { role: 'master' })),
  );
  assert.deepEqual(codes(known), ['split-brain:error:127.0.0.1:16381']);
  // Sentinel cannot reach it, so cannot turn it back: a split brain at once.
  const cut = build(
    view((v) => Object.assign(v.replicas[1], { flags: 'slave,s_down,disconnected' })),
    nodes((n) => setInfo(n, '127.0.0.1:16381', { role: 'master' })),
  );
  assert.deepEqual(codes(cut).filter((c) => c.startsWith('split-brain')), ['split-brain:error:127.0.0.1:16381']);
  // Merely `disconnected`: the old master just listed as a replica at the end of a failover, Sentinel's link to it not up yet.
  const relisted = build(
    view((v) => Object.assign(v.replicas[1], { flags: 'slave,disconnected' })),
    nodes((n) => setInfo(n, '127.0.0.1:16381', { role: 'master' })),
  );
  assert.deepEqual(codes(relisted).filter((c) => !c.startsWith('member-down')), ['stale-master:warning:127.0.0.1:16381']);
  // Without INFO, Sentinel's report of the role is what is left to tell it by.
  const t = build(
    view((v) => Object.assign(v.replicas[1], { 'role-reported': 'master', 'role-reported-time': '40000' })),
    nodes((n) => n.set('127.0.0.1:16381', { error: 'timed out (127.0.0.1:16381)' })),
  );
  assert.deepEqual(codes(t), ['member-unreachable:warning:127.0.0.1:16381', 'split-brain:error:127.0.0.1:16381']);
});

test('during a failover the replica Sentinel promotes says master before Sentinel switches: no alarm', () => {
  const promoting = build(
    view((v) => {
      v.master.flags = 'master,failover_in_progress';
      v.replicas[1].flags = 'slave,promoted';
    }),
    nodes((n) => setInfo(n, '127.0.0.1:16381', { role: 'master' })),
  );
  assert.deepEqual(codes(promoting), ['promoting:warning:127.0.0.1:16381']);
  assert.match(promoting.problems[0].message, /Sentinel is promoting it \(failover of .+ in progress\)/);
  assert.notEqual(promoting.health, 'error');
  // The promoted flag alone says the same (the master's flags read a moment before).
  const flagged = build(view((v) => (v.replicas[1].flags = 'slave,promoted')), nodes((n) => setInfo(n, '127.0.0.1:16381', { role: 'master' })));
  assert.deepEqual(codes(flagged), ['promoting:warning:127.0.0.1:16381']);
});

test("lag in seconds: the master's own figure for the replica (seconds since its last acknowledgement), not the time since the last ping", () => {
  const s = build(
    view(),
    nodes((n) => {
      setInfo(n, '127.0.0.1:16379', { slave0: 'ip=127.0.0.1,port=16381,state=online,offset=300,lag=3' });
      setInfo(n, '127.0.0.1:16381', { master_last_io_seconds_ago: '7' });
      setInfo(n, '127.0.0.1:16380', { master_last_io_seconds_ago: '6' });
    }),
  );
  assert.equal(member(s, '127.0.0.1:16381').lagSeconds, 3);
  // The master lists it with lag=0: 6 s since the last ping on an idle master is no lag.
  assert.equal(member(s, '127.0.0.1:16380').lagSeconds, 0);
  // The master's INFO unreadable: what the replica says.
  const blind = build(
    view(),
    nodes((n) => {
      n.set('127.0.0.1:16379', { error: 'timed out (127.0.0.1:16379)' });
      setInfo(n, '127.0.0.1:16380', { master_last_io_seconds_ago: '6' });
    }),
  );
  assert.equal(member(blind, '127.0.0.1:16380').lagSeconds, 6);
});

test('a replica with its link down: a warning, lag in seconds since the link went down', () => {
  const s = build(view(), nodes((n) => setInfo(n, '127.0.0.1:16380', { master_link_status: 'down', master_last_io_seconds_ago: '-1', master_link_down_since_seconds: '12' })));
  const m = member(s, '127.0.0.1:16380');
  assert.deepEqual([m.health, m.lagSeconds], ['warning', 12]);
  assert.deepEqual(codes(s), ['replica-link-down:warning:127.0.0.1:16380']);
});

test('the master Sentinel names reports itself a replica: a warning (a failover under way, or a stale Sentinel)', () => {
  const s = build(view(), nodes((n) => setInfo(n, '127.0.0.1:16379', { role: 'slave', master_host: '127.0.0.1', master_port: '16380' })));
  assert.deepEqual(codes(s), ['role-mismatch:warning:127.0.0.1:16379']);
  assert.match(s.problems[0].message, /replica of 127\.0\.0\.1:16380/);
});

test('flags, flat replies and INFO text', () => {
  assert.equal(flagsHealth('slave'), 'ok');
  assert.equal(flagsHealth('slave,disconnected'), 'error');
  assert.equal(flagsHealth('master,failover_in_progress'), 'warning');
  assert.deepEqual(pairs(['a', '1', 'b', 2, 'dangling']), { a: '1', b: '2' });
  assert.deepEqual(pairs('not a list'), {});
  assert.deepEqual(parseInfo('# Replication\r\nrole:master\r\n\r\nslave0:ip=1,port=2\r\n'), { role: 'master', slave0: 'ip=1,port=2' });
  assert.equal(hostPort('::1', 26379), '[::1]:26379');
});

test('error words: refused, authentication, timeouts; never a secret', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  assert.equal(describeRedisError(refused, 'h:1', []).message, 'connection refused h:1');
  const wrong = Object.assign(new Error('WRONGPASS invalid username-password pair or user is disabled.'), { name: 'ReplyError' });
  assert.deepEqual([describeRedisError(wrong, 'h:1', []).message, describeRedisError(wrong, 'h:1', []).code], ['authentication failed at h:1: wrong username or password', 'EAUTH']);
  assert.equal(describeRedisError(new Error('NOAUTH Authentication required.'), 'h:1', []).message, 'authentication required at h:1: no password given');
  const odd = Object.assign(new Error('ERR something about hunter2'), { name: 'ReplyError' });
  const e = describeRedisError(odd, 'h:1', ['hunter2']);
  assert.deepEqual([e.code, e.reply, e.message], ['EREPLY', 'ERR something about ***', 'h:1: ERR something about ***']);
});
