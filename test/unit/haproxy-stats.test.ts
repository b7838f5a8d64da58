// The HAProxy parsers and state builder on answers recorded from HAProxy 2.6.12 (test/fixtures/live/haproxy,
// written by test/live/lab/capture-haproxy.ts): servers starting, UP, DOWN, DRAIN, MAINT and unchecked.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ClusterState, Member } from '../../live/src/model';
import { csvUrl, splitAnswers } from '../../live/src/providers/haproxy';
import { haproxyClusterState, serverHealth } from '../../live/src/providers/haproxy-state';
import { StatsFormatError, adminStateWords, lastCheckOf, parseInfo, parseServersState, parseStatCsv, splitCsvLine } from '../../live/src/providers/haproxy-stats';
import type { StatRow } from '../../live/src/providers/haproxy-stats';
import { validateClusterState } from '../helpers/cluster-state';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'live', 'haproxy', name), 'utf8');
const NOW = new Date('2024-05-01T10:00:00Z');
const row = (rows: StatRow[], px: string, sv: string) => {
  const r = rows.find((x) => x.pxname === px && x.svname === sv);
  assert.ok(r, `${px}/${sv} not found`);
  return r;
};
const member = (s: ClusterState, role: Member['role'], name: string) => {
  const m = s.members.find((x) => x.role === role && x.name === name);
  assert.ok(m, `${role} ${name} not found`);
  return m;
};

test('CSV lines: plain, empty and quoted fields; HAProxy ends each line with a comma', () => {
  assert.deepEqual(splitCsvLine('a,b,c,'), ['a', 'b', 'c']);
  assert.deepEqual(splitCsvLine('a,,c'), ['a', '', 'c']);
  assert.deepEqual(splitCsvLine('a,"b, c",d,'), ['a', 'b, c', 'd']);
  assert.deepEqual(splitCsvLine('"say ""hi""",x'), ['say "hi"', 'x']);
  assert.deepEqual(splitCsvLine(',,'), ['', '']);
  assert.deepEqual(splitCsvLine('"unterminated, to the end'), ['unterminated, to the end']);
});

test('show stat: every proxy and server, columns aligned after a quoted field', () => {
  const rows = parseStatCsv(fixture('show-stat.csv'));
  assert.equal(rows.length, 14);
  assert.deepEqual(rows.filter((r) => r.type === '2').map((r) => `${r.pxname}/${r.svname} ${r.status}`), [
    'pg_write/pg1 DRAIN',
    'pg_write/pg2 DOWN',
    'pg_write/pg3 DOWN',
    'pg_read/r1 UP',
    'pg_read/r2 MAINT',
    'nocheck/n1 no check',
  ]);
  const pg2 = row(rows, 'pg_write', 'pg2');
  assert.equal(pg2.last_chk, 'Busy, try later');
  // The fields after the quoted one land in their own columns.
  assert.equal(pg2.check_desc, 'Layer7 wrong status');
  assert.equal(pg2.addr, '127.0.0.1:18432');
  assert.equal(row(rows, 'pg_write', 'BACKEND').status, 'DOWN');
  assert.equal(row(rows, 'pg_read', 'FRONTEND').status, 'OPEN');
});

test("the stats page's ;csv has the socket's rows, but no server addresses (they need `stats show-legends`)", () => {
  const key = (r: StatRow) => `${r.pxname}/${r.svname}/${r.type}/${r.status}`;
  const page = parseStatCsv(fixture('http-stat.csv'));
  assert.deepEqual(page.map(key), parseStatCsv(fixture('show-stat.csv')).map(key));
  assert.deepEqual(page.filter((r) => r.type === '2').map((r) => r.addr), ['', '', '', '', '', '']);
});

test('anything but the CSV is refused with what HAProxy said', () => {
  assert.throws(() => parseStatCsv(fixture('unknown-command.txt')), (e: Error) => e instanceof StatsFormatError && /Unknown command/.test(e.message));
  assert.throws(() => parseStatCsv('<html><body><h1>401 Unauthorized</h1>'), StatsFormatError);
  assert.throws(() => parseStatCsv(''), /empty answer/);
  assert.throws(() => parseServersState('Permission denied\n'), StatsFormatError);
});

test('show servers state: addresses, check ports and admin state bits', () => {
  const rows = parseServersState(fixture('show-servers-state.txt'));
  assert.equal(rows.length, 6);
  const pg1 = rows.find((r) => r.server === 'pg1');
  assert.deepEqual(pg1, { backend: 'pg_write', server: 'pg1', address: '127.0.0.1:18431', opState: 2, adminState: 8, weight: 1, checkPort: 18421 });
  const r2 = rows.find((r) => r.server === 'r2');
  assert.equal(r2?.adminState, 1);
  assert.equal(r2?.checkPort, undefined);
  assert.deepEqual(adminStateWords(8), ['drain set through the runtime API']);
  assert.deepEqual(adminStateWords(1), ['maintenance set through the runtime API']);
  assert.deepEqual(adminStateWords(0x02 | 0x04), ['maintenance inherited from a tracked server', 'disabled in the configuration']);
  assert.deepEqual(adminStateWords(0), []);
});

test('last check in HAProxy words: layer 7 with code, layer 4, initialising, none', () => {
  const rows = parseStatCsv(fixture('show-stat.csv'));
  assert.equal(lastCheckOf(row(rows, 'pg_write', 'pg1')), 'L7OK/200 in 4ms');
  assert.equal(lastCheckOf(row(rows, 'pg_write', 'pg2')), 'L7STS/503 in 1ms');
  assert.equal(lastCheckOf(row(rows, 'pg_read', 'r1')), 'L4OK in 0ms');
  assert.equal(lastCheckOf(row(rows, 'pg_read', 'r2')), undefined);
  assert.equal(lastCheckOf(row(parseStatCsv(fixture('show-stat-starting.csv')), 'pg_write', 'pg3')), 'INI');
  // A check in progress is marked with a leading '* '.
  assert.equal(lastCheckOf({ check_status: '* L7OK', check_code: '200', check_duration: '2' }), 'L7OK/200 in 2ms');
});

test('the state: DRAIN and MAINT as warnings with their cause, a backend without a server UP as an error', () => {
  const s = haproxyClusterState(
    { stat: parseStatCsv(fixture('show-stat.csv')), serversState: parseServersState(fixture('show-servers-state.txt')), info: parseInfo(fixture('show-info.txt')) },
    '/run/haproxy/admin.sock',
    '/run/haproxy/admin.sock',
    NOW,
  );
  validateClusterState(s);
  assert.equal(s.members.filter((m) => m.role === 'frontend').length, 4);
  assert.equal(s.members.filter((m) => m.role === 'backend').length, 4);
  const pg1 = member(s, 'server', 'pg1');
  assert.deepEqual([pg1.state, pg1.health, pg1.group, pg1.address, pg1.lastCheck], ['DRAIN', 'warning', 'pg_write', '127.0.0.1:18431', 'L7OK/200 in 4ms']);
  assert.equal(pg1.detail, 'drain set through the runtime API');
  assert.deepEqual(pg1.tags, { sessions: 0, weight: 1 });
  const pg2 = member(s, 'server', 'pg2');
  assert.deepEqual([pg2.state, pg2.health, pg2.detail], ['DOWN', 'error', 'Layer7 wrong status: Busy, try later']);
  const r2 = member(s, 'server', 'r2');
  assert.deepEqual([r2.state, r2.health, r2.detail], ['MAINT', 'warning', 'maintenance set through the runtime API']);
  assert.equal(member(s, 'server', 'n1').health, 'ok');
  assert.equal(member(s, 'server', 'r1').health, 'ok');
  assert.equal(member(s, 'backend', 'pg_write').health, 'error');
  assert.equal(member(s, 'backend', 'pg_read').health, 'warning');
  assert.equal(member(s, 'backend', 'stats').health, 'ok');
  assert.deepEqual(
    s.problems.map((p) => [p.code, p.severity, p.member]),
    [
      ['server-down', 'warning', 'pg2'],
      ['server-down', 'warning', 'pg3'],
      ['backend-down', 'error', 'pg_write'],
    ],
  );
  assert.match(s.problems[2].message, /pg1 DRAIN, pg2 DOWN, pg3 DOWN/);
  assert.equal(s.health, 'error');
  assert.equal(s.details?.version, '2.6.12-1+deb12u4');
});

test('servers still initialising are unknown, not down; over HTTP there is no admin state to add', () => {
  // Recorded before the health targets listened: two checks already refused, the rest still INI.
  const s = haproxyClusterState({ stat: parseStatCsv(fixture('show-stat-starting.csv')) }, '127.0.0.1:18480', 'http://127.0.0.1:18480/stats', NOW);
  validateClusterState(s);
  const pg3 = member(s, 'server', 'pg3');
  assert.deepEqual([pg3.state, pg3.health, pg3.lastCheck, pg3.detail], ['UP 1/2', 'unknown', 'INI', 'Initializing']);
  assert.equal(member(s, 'server', 'r1').health, 'unknown');
  // pg3 may still come up, so the refused ones are warnings and the backend is not down.
  assert.deepEqual([member(s, 'server', 'pg1').health, member(s, 'server', 'pg1').lastCheck], ['warning', 'L4CON in 0ms']);
  assert.deepEqual(
    s.problems.map((p) => [p.code, p.member]),
    [
      ['server-down', 'pg1'],
      ['server-down', 'pg2'],
    ],
  );
  assert.equal(s.details, undefined);
});

test('server health: DOWN is a warning while another server of its backend is up, unless its check answered with another status (a role check); NOLB and MAINT (via) warn', () => {
  assert.equal(serverHealth('DOWN', 'L4CON', true), 'warning');
  assert.equal(serverHealth('DOWN', 'L7TOUT', true), 'warning');
  assert.equal(serverHealth('DOWN', 'L7STS', true), 'ok');
  assert.equal(serverHealth('DOWN', '* L7STS', true), 'ok');
  assert.equal(serverHealth('DOWN', 'L7STS', false), 'error');
  assert.equal(serverHealth('DOWN 1/2', 'L7OK', false), 'error');
  assert.equal(serverHealth('UP 1/2', 'L7STS', false), 'warning');
  assert.equal(serverHealth('NOLB', 'L7OK', true), 'warning');
  assert.equal(serverHealth('MAINT (via pg_write/pg1)', '', true), 'warning');
  assert.equal(serverHealth('no check', '', false), 'ok');
  assert.equal(serverHealth('something new', '', false), 'unknown');
});

test("the stats page's CSV address keeps its path or query and drops credentials", () => {
  assert.equal(csvUrl(new URL('http://u:p@127.0.0.1:8404/stats')), 'http://127.0.0.1:8404/stats;csv');
  assert.equal(csvUrl(new URL('https://h:8404/haproxy?stats')), 'https://h:8404/haproxy?stats;csv');
  assert.equal(csvUrl(new URL('http://h:8404/stats;csv')), 'http://h:8404/stats;csv');
});

test("a Patroni write backend — the leader UP, the replicas answering 503 to /primary — is healthy, with no problem", () => {
  const server = (svname: string, status: string, check_status: string, check_code: string): StatRow => ({ pxname: 'pg_write', svname, type: '2', status, check_status, check_code, addr: '' });
  const stat: StatRow[] = [
    { pxname: 'pg_write', svname: 'FRONTEND', type: '0', status: 'OPEN' },
    server('pg1', 'DOWN', 'L7STS', '503'),
    server('pg2', 'UP', 'L7OK', '200'),
    server('pg3', 'DOWN', 'L7STS', '503'),
    { pxname: 'pg_write', svname: 'BACKEND', type: '1', status: 'UP' },
  ];
  const s = haproxyClusterState({ stat }, 'lab', 'unix:/run/haproxy.sock', NOW);
  validateClusterState(s);
  assert.deepEqual(s.problems, []);
  assert.equal(s.health, 'ok');
  assert.match(member(s, 'server', 'pg1').detail ?? '', /standing by/);
  // The same backend whose third server stopped answering at all: that one is a problem.
  const refused = haproxyClusterState({ stat: stat.map((r) => (r.svname === 'pg3' ? { ...r, check_status: 'L4CON', check_code: '' } : r)) }, 'lab', 'unix:/run/haproxy.sock', NOW);
  assert.deepEqual(refused.problems.map((p) => [p.code, p.member]), [['server-down', 'pg3']]);
  assert.equal(refused.health, 'warning');
});

test('three commands chained in one connection: each answer found by its first lines, whatever their order', () => {
  const [stat, servers, info] = [fixture('show-stat.csv'), fixture('show-servers-state.txt'), fixture('show-info.txt')];
  // HAProxy ends each answer with an empty line and writes them one after the other.
  const split = splitAnswers(stat + servers + info);
  assert.ok(split);
  assert.deepEqual(parseStatCsv(split[0]), parseStatCsv(stat));
  assert.deepEqual(parseServersState(split[1] ?? ''), parseServersState(servers));
  assert.deepEqual(parseInfo(split[2] ?? ''), parseInfo(info));
  // A socket at a level or version that refuses `show servers state`: the statistics and the info are still found.
  const refused = splitAnswers(stat + fixture('unknown-command.txt') + info);
  assert.ok(refused);
  assert.equal(refused[1], undefined);
  assert.deepEqual(parseInfo(refused[2] ?? ''), parseInfo(info));
  // Without the statistics there is nothing to split: each command is asked alone.
  assert.equal(splitAnswers(fixture('unknown-command.txt')), undefined);
  assert.equal(splitAnswers(''), undefined);
});
