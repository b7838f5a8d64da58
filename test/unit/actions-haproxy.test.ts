// The HAProxy pre-flight on states built by the real state builder from answers recorded on HAProxy
// 2.6 (test/fixtures/live/haproxy: pg_write's pg1 DRAIN and pg2/pg3 DOWN, pg_read's r1 UP and r2
// MAINT, nocheck's n1 unchecked) and on hand-made backends: every server judged, each refusal in words.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatPreflight } from '../../live/src/actions/format';
import { haproxyActionSpec, haproxyPreflight, setServerAnswer, splitServer } from '../../live/src/actions/haproxy';
import type { ClusterState, Member } from '../../live/src/model';
import { unreachable } from '../../live/src/model';
import { haproxyClusterState } from '../../live/src/providers/haproxy-state';
import { parseServersState, parseStatCsv } from '../../live/src/providers/haproxy-stats';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'live', 'haproxy', name), 'utf8');
const NOW = new Date('2024-05-01T10:00:00Z');
const recorded = (source = '/run/haproxy/admin.sock'): ClusterState =>
  haproxyClusterState({ stat: parseStatCsv(fixture('show-stat.csv')), serversState: parseServersState(fixture('show-servers-state.txt')) }, source, source, NOW);
const verdict = (p: ReturnType<typeof haproxyPreflight>, member: string) => {
  const c = p.candidates.find((x) => x.member === member);
  assert.ok(c, `${member} judged`);
  return c;
};
const server = (name: string, state: string, tags: Member['tags']): Member => ({ name, role: 'server', state, health: 'ok', group: 'app', tags });
const handMade = (members: Member[], source = 'tcp://127.0.0.1:9999'): ClusterState => ({ kind: 'haproxy', name: '127.0.0.1:9999', source, observedAt: NOW.toISOString(), members, health: 'ok', problems: [] });

test('draining or putting into maintenance the last server that takes traffic is refused; the one in MAINT is named', () => {
  const s = recorded();
  for (const action of ['drain', 'maint'] as const) {
    const p = haproxyPreflight(s, action, { server: 'pg_read/r1' });
    assert.equal(p.ok, false);
    assert.deepEqual(p.candidates.map((c) => [c.member, c.safe]), [['pg_read/r1', false], ['pg_read/r2', true]]);
    assert.deepEqual(verdict(p, 'pg_read/r1').reasons, ['it is the last server of pg_read that takes traffic: backend pg_read would have no server left']);
    assert.ok(verdict(p, 'pg_read/r2').notes.includes('it takes no new traffic now (MAINT)'), verdict(p, 'pg_read/r2').notes.join());
  }
  assert.match(formatPreflight(haproxyPreflight(s, 'drain', { server: 'pg_read/r1' })), /✗ pg_read\/r1 \(target\): refused[\s\S]*backend pg_read would have no server left/);
  // Weight 0 takes it out as well.
  const zero = haproxyPreflight(s, 'weight', { server: 'pg_read/r1', weight: 0 });
  assert.equal(zero.ok, false);
  assert.ok(zero.warnings.includes('weight 0 takes it out of the balancing like a drain'));
  // An unchecked server is UP as far as traffic goes: the last one of its backend.
  assert.equal(haproxyPreflight(s, 'maint', { server: 'nocheck/n1' }).ok, false);
});

test('servers that take no traffic may go; the no-ops are said so', () => {
  const s = recorded();
  const drained = haproxyPreflight(s, 'drain', { server: 'pg_write/pg1' });
  assert.equal(drained.ok, true);
  assert.deepEqual(drained.warnings, ['pg_write/pg1 is already draining (DRAIN): nothing will change']);
  assert.ok(verdict(drained, 'pg_write/pg1').notes.includes('it takes no new traffic now (DRAIN)'));
  assert.deepEqual(haproxyPreflight(s, 'maint', { server: 'pg_read/r2' }).warnings, ['pg_read/r2 is already in maintenance (MAINT): nothing will change']);
  const ready = haproxyPreflight(s, 'ready', { server: 'pg_read/r1' });
  assert.deepEqual([ready.ok, ready.warnings], [true, ['pg_read/r1 is already ready (UP, no maintenance or drain set): nothing will change']]);
  for (const server of ['pg_read/r2', 'pg_write/pg1']) {
    const back = haproxyPreflight(s, 'ready', { server });
    assert.deepEqual([back.ok, back.warnings], [true, []], server);
  }
  assert.deepEqual(haproxyPreflight(s, 'weight', { server: 'pg_read/r1', weight: 1 }).warnings, ['pg_read/r1 already has weight 1: nothing will change']);
  assert.equal(haproxyPreflight(s, 'weight', { server: 'pg_read/r1', weight: 256 }).ok, true);
});

test('weights outside 0..256, unknown servers and backends, a name without its backend: each refused in words', () => {
  const s = recorded();
  for (const [weight, words] of [[257, 'not 257'], [-1, 'not -1'], [1.5, 'not 1.5'], [undefined, 'none was given']] as const) {
    const p = haproxyPreflight(s, 'weight', { server: 'pg_read/r1', weight });
    assert.equal(p.ok, false);
    assert.deepEqual(p.blockers, [`a weight is a whole number from 0 to 256${weight === undefined ? '; ' : ', '}${words}`]);
  }
  assert.deepEqual(haproxyPreflight(s, 'drain', { server: 'pg_read/r9' }).blockers, ['backend pg_read has no server r9 (servers: r1, r2)']);
  assert.deepEqual(haproxyPreflight(s, 'drain', { server: 'nowhere/r1' }).blockers, ['there is no backend nowhere with servers (backends: pg_write, pg_read, nocheck)']);
  assert.deepEqual(haproxyPreflight(s, 'drain', { server: 'r1' }).blockers, ["name the server as backend/server, not 'r1' (servers: pg_write/pg1, pg_write/pg2, pg_write/pg3, pg_read/r1, pg_read/r2, nocheck/n1)"]);
  assert.equal(haproxyPreflight(s, 'drain', { server: 'pg_read/' }).ok, false);
});

test('the stats page is refused, naming the socket setting; an unreadable HAProxy is refused without a crash', () => {
  const page = haproxyPreflight(recorded('http://127.0.0.1:8404/stats'), 'ready', { server: 'pg_read/r2' });
  assert.equal(page.ok, false);
  assert.deepEqual(page.blockers, ['http://127.0.0.1:8404/stats is a stats page: the stats page only shows servers; changing one needs the runtime API on a stats socket declared with `stats socket <path or ip:port> level admin` in the global section']);
  const gone = unreachable('haproxy', '/run/haproxy/admin.sock', '/run/haproxy/admin.sock', 'no stats socket at /run/haproxy/admin.sock', NOW);
  const p = haproxyPreflight(gone, 'drain', { server: 'pg_read/r1' });
  assert.deepEqual([p.ok, p.blockers, p.candidates], [false, ['the cluster could not be read: no stats socket at /run/haproxy/admin.sock'], []]);
});

test('sessions on the server and who takes over: the other active servers, else the backups', () => {
  const s = handMade([server('a1', 'UP', { sessions: 4, weight: 10 }), server('a2', 'UP', { sessions: 1, weight: 0 }), server('b1', 'UP', { weight: 1, backup: 1 })]);
  const p = haproxyPreflight(s, 'drain', { server: 'app/a1' });
  assert.equal(p.ok, true, formatPreflight(p));
  assert.deepEqual(verdict(p, 'app/a1').notes, ['UP', 'weight 10', 'b1 takes over (backup)', '4 session(s) on it now: they carry on until they end, no new ones come']);
  assert.ok(verdict(p, 'app/a2').notes.includes('it takes no new traffic now (weight 0)'));
  assert.ok(verdict(p, 'app/b1').notes.includes('backup server'));
  const both = handMade([server('a1', 'UP', { sessions: 2 }), server('a2', 'UP 1/2', {})]);
  assert.deepEqual(verdict(haproxyPreflight(both, 'maint', { server: 'app/a1' }), 'app/a1').notes, ['UP', 'a2 takes over', '2 session(s) on it now: no new ones come to it']);
  const lastBackup = handMade([server('a1', 'DOWN', {}), server('b1', 'UP', { backup: 1 })]);
  assert.match(haproxyPreflight(lastBackup, 'drain', { server: 'app/b1' }).candidates[1].reasons[0], /backend app would have no server left/);
});

test("HAProxy's answers to set server: empty is success, Permission denied explained, anything else quoted", () => {
  assert.equal(setServerAnswer('\n', 'x'), undefined);
  assert.equal(setServerAnswer('Permission denied\n\n', 'tcp://127.0.0.1:9999'), "the stats socket tcp://127.0.0.1:9999 is not at level admin (HAProxy answered 'Permission denied'): changing a server needs `stats socket … level admin`");
  assert.equal(setServerAnswer('No such server.\n', 'x'), 'HAProxy answered: No such server.');
  assert.deepEqual(splitServer('be/sv'), { backend: 'be', server: 'sv' });
  assert.deepEqual(splitServer('be/sv/x'), { backend: 'be', server: 'sv/x' });
  assert.equal(splitServer('/sv'), undefined);
});

test('verify: DRAIN, MAINT, the weight asked, and ready once the checks settled (UP or DOWN)', () => {
  const s = recorded();
  const spec = (action: 'drain' | 'maint' | 'ready' | 'weight', server: string, weight?: number) => haproxyActionSpec({ endpoint: '/run/haproxy/admin.sock', action, server, weight });
  const check = (action: 'drain' | 'maint' | 'ready' | 'weight', server: string, weight?: number) => spec(action, server, weight).verify(s, s, haproxyPreflight(s, action, { server, weight }));
  assert.equal(check('drain', 'pg_write/pg1'), true);
  assert.equal(check('drain', 'pg_read/r1'), 'pg_read/r1 is UP, not DRAIN yet');
  assert.equal(check('maint', 'pg_read/r2'), true);
  assert.equal(check('maint', 'pg_read/r1'), 'pg_read/r1 is UP, not MAINT yet');
  assert.equal(check('ready', 'pg_read/r2'), 'pg_read/r2 is still MAINT');
  assert.equal(check('ready', 'pg_write/pg2'), true, 'ready and DOWN: its check fails, as a standby behind /primary');
  assert.equal(check('weight', 'pg_read/r1', 1), true);
  assert.equal(check('weight', 'pg_read/r1', 5), 'pg_read/r1 has weight 1, not 5 yet');
  const rising = handMade([server('a1', 'UP 1/2', {})]);
  assert.equal(spec('ready', 'app/a1').verify(rising, rising, haproxyPreflight(rising, 'ready', { server: 'app/a1' })), 'app/a1 is UP 1/2: its health checks have not settled yet');
});
