// The plain-PostgreSQL provider against a real primary and streaming standby: roles, timelines, sync
// state, lag and slots compared with what psql reads on each server, before and after pausing replay
// and promoting the standby; credentials from the string, PG* variables and the password file.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { ClusterState, Member } from '../../live/src/model';
import { postgresProvider } from '../../live/src/providers/postgres';
import type { PostgresOptions } from '../../live/src/providers/postgres';
import { validateClusterState } from '../helpers/cluster-state';
import { waitFor } from './lab/processes';
import type { PostgresLab } from './lab/postgres';
import { postgresLabMissing, startPostgresLab } from './lab/postgres';
import { TIMELINE_SQL, rows } from './lab/psql';

const TIMEOUT = 3000;
const CLOSED_PORT = 15449;
const SILENT_PORT = 15448;
const MiB = 1024 * 1024;
const addr = (port: number) => `127.0.0.1:${port}`;

describe('postgres provider on a real primary and streaming standby', { skip: postgresLabMissing(), timeout: 300_000 }, () => {
  let lab: PostgresLab;
  const outputs: string[] = [];
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  const silentSockets = new Set<Socket>();
  const silent = createServer((s) => {
    silentSockets.add(s);
    s.on('close', () => silentSockets.delete(s));
  });
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ HOME: lab.dir, ...extra });
  const uri = () => `postgresql://${lab.monitorUser}:${encodeURIComponent(lab.monitorPassword)}@${addr(lab.primary.port)},${addr(lab.standby.port)}/postgres`;
  const read = async (o: PostgresOptions, timeoutMs = TIMEOUT): Promise<ClusterState> => {
    const states = await postgresProvider({ env: env(), ...o }).read({ timeoutMs });
    outputs.push(JSON.stringify(states));
    validateClusterState(states);
    assert.equal(states.length, 1);
    return states[0];
  };
  const member = (s: ClusterState, port: number): Member => {
    const m = s.members.find((x) => x.name === addr(port));
    assert.ok(m, `${addr(port)} is not among ${s.members.map((x) => x.name).join(', ')}`);
    return m;
  };

  /** Each server's recovery and timeline, and the primary's walsenders and slots, read with psql. */
  async function truth() {
    const server = async (port: number) => {
      const [r, tl] = (await lab.psql(port, `SELECT pg_is_in_recovery(), (${TIMELINE_SQL})`)).split('|');
      return { recovery: r === 't', timeline: Number(tl) };
    };
    const repl = rows(await lab.psql(lab.primary.port, `SELECT application_name, state, sync_state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), coalesce(extract(epoch FROM replay_lag), 0) FROM pg_stat_replication`));
    const slots = rows(await lab.psql(lab.primary.port, `SELECT slot_name, active, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) FROM pg_replication_slots ORDER BY 1`));
    return {
      primary: await server(lab.primary.port),
      standby: await server(lab.standby.port),
      replication: repl.map(([app, state, sync, lag, secs]) => ({ app, state, sync, lag: Number(lag), secs: Number(secs) })),
      slots: slots.map(([name, active, retained]) => ({ name, active: active === 't', retained: Number(retained) })),
    };
  }

  /** Reads until the provider agrees with psql (WAL moves between two reads), within a bound. */
  async function agreed(o: PostgresOptions, check: (s: ClusterState, t: Awaited<ReturnType<typeof truth>>) => string[], timeoutMs = 8000): Promise<ClusterState> {
    let state: ClusterState | undefined;
    await waitFor('the provider to agree with psql', async () => {
      state = await read(o);
      const diffs = check(state, await truth());
      if (diffs.length) throw new Error(diffs.join('\n'));
      return true;
    }, timeoutMs, 300);
    return state as ClusterState;
  }

  /** Roles, writability, timelines, sync state, streaming and lag of both servers against psql. */
  function sameAsTruth(s: ClusterState, t: Awaited<ReturnType<typeof truth>>): string[] {
    const diffs: string[] = [];
    const expect = (what: string, got: unknown, want: unknown) => {
      if (got !== want) diffs.push(`${what}: provider ${JSON.stringify(got)}, psql ${JSON.stringify(want)}`);
    };
    const p = member(s, lab.primary.port);
    const sb = member(s, lab.standby.port);
    expect('primary role', p.role, t.primary.recovery ? 'replica' : 'primary');
    expect('primary writable', p.writable, !t.primary.recovery);
    expect('standby writable', sb.writable, !t.standby.recovery);
    expect('primary timeline', p.timeline, t.primary.timeline);
    expect('standby timeline', sb.timeline, t.standby.timeline);
    const row = t.replication.find((r) => r.app === 'lab-standby');
    expect('standby state', sb.state, row?.state);
    expect('standby sync state', sb.syncState, row?.sync);
    if (row && (sb.lagBytes === undefined || Math.abs(sb.lagBytes - row.lag) > 64 * 1024)) diffs.push(`standby lag: provider ${sb.lagBytes}, psql ${row.lag}`);
    if (row && (sb.lagSeconds === undefined || Math.abs(sb.lagSeconds - row.secs) > 1.5)) diffs.push(`standby lag seconds: provider ${sb.lagSeconds}, psql ${row.secs}`);
    return diffs;
  }

  // The start is kept as a promise: should `before` time out, `after` still waits for it and stops it.
  let starting: Promise<PostgresLab> | undefined;
  before(async () => {
    process.on('warning', onWarning);
    await new Promise<void>((resolve, reject) => silent.once('error', reject).listen(SILENT_PORT, '127.0.0.1', resolve));
    starting = startPostgresLab();
    lab = await starting;
  }, { timeout: 60_000 });

  after(async () => {
    process.off('warning', onWarning);
    for (const s of silentSockets) s.destroy();
    await new Promise((r) => silent.close(r));
    await starting?.then((l) => l.stop(), () => undefined);
  }, { timeout: 200_000 });

  test('a port with nothing listening: an error state, fast, naming the server, not the password', { timeout: 10_000 }, async () => {
    const started = Date.now();
    const s = await read({ connections: [`host=127.0.0.1 port=${CLOSED_PORT} user=x password=${lab.monitorPassword}`] });
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.equal(s.health, 'error');
    assert.deepEqual(s.members, []);
    assert.equal(s.error, `connection refused ${addr(CLOSED_PORT)}`);
  });

  test('a server that accepts and never answers: cut at the deadline', { timeout: 10_000 }, async () => {
    const started = Date.now();
    const s = await read({ connections: [`postgresql://x:${encodeURIComponent(lab.monitorPassword)}@${addr(SILENT_PORT)}/postgres`] }, 600);
    const took = Date.now() - started;
    assert.ok(took >= 550 && took < 1500, `took ${took} ms`);
    assert.match(s.error ?? '', new RegExp(`^timed out after 600 ms (connecting to |\\()127\\.0\\.0\\.1:${SILENT_PORT}`));
  });

  test('primary and standby as psql sees them: roles, timeline, streaming, lag, the slot', { timeout: 20_000 }, async () => {
    const s = await agreed({ connections: [uri(), `host=127.0.0.1 port=${CLOSED_PORT}`] }, sameAsTruth);
    assert.equal(s.name, 'lab-primary');
    assert.equal(s.leader, addr(lab.primary.port));
    assert.equal(member(s, lab.standby.port).role, 'replica');
    assert.match(member(s, lab.standby.port).detail ?? '', new RegExp(`from 127\\.0\\.0\\.1:${lab.primary.port}, slot ${lab.slot}`));
    const closed = member(s, CLOSED_PORT);
    assert.equal(closed.health, 'error');
    assert.deepEqual(s.problems.map((p) => [p.code, p.member]), [['member-unreachable', addr(CLOSED_PORT)]]);
    const t = await truth();
    const slots = (s.details as { slots: { name: string; active: boolean; retainedBytes: number }[] }).slots;
    assert.deepEqual(slots.map((x) => [x.name, x.active]), t.slots.map((x) => [x.name, x.active]));
    assert.ok(Math.abs(slots[0].retainedBytes - t.slots[0].retained) <= 64 * 1024, `${slots[0].retainedBytes} vs ${t.slots[0].retained}`);
  });

  test('credentials as libpq takes them: a quoted key=value password, PGUSER/PGPASSWORD, the password file', { timeout: 20_000 }, async () => {
    const primaryOnly = (s: ClusterState) => {
      assert.equal(s.error, undefined, s.error);
      assert.equal(member(s, lab.primary.port).role, 'primary');
    };
    // The superuser's password holds a colon and a backslash: quoted and escaped as libpq wants.
    const quoted = lab.superuserPassword.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    primaryOnly(await read({ connections: [`host=127.0.0.1 port=${lab.primary.port} user=postgres dbname=postgres password='${quoted}'`] }));
    primaryOnly(await read({ connections: [`host=127.0.0.1 port=${lab.primary.port} dbname=postgres`], env: env({ PGUSER: lab.monitorUser, PGPASSWORD: lab.monitorPassword }) }));
    const wrong = await read({ connections: [`host=127.0.0.1 port=${lab.primary.port} dbname=postgres`], env: env({ PGUSER: lab.monitorUser, PGPASSWORD: 'not-the-password' }) });
    assert.equal(wrong.error, `password authentication failed for user "${lab.monitorUser}" at ${addr(lab.primary.port)}`);
    // ~/.pgpass (here PGPASSFILE), colons in the password escaped; ignored while others may read it.
    const passfile = join(lab.dir, 'pgpass');
    writeFileSync(passfile, `# lab\n127.0.0.1:${lab.standby.port}:*:${lab.monitorUser}:nope\n127.0.0.1:${lab.primary.port}:*:${lab.monitorUser}:${lab.monitorPassword.replace(/[\\:]/g, '\\$&')}\n`, { mode: 0o600 });
    const fromFile = { connections: [`postgresql://${lab.monitorUser}@${addr(lab.primary.port)}/postgres`], env: env({ PGPASSFILE: passfile }) };
    primaryOnly(await read(fromFile));
    chmodSync(passfile, 0o644);
    const ignored = await read(fromFile);
    assert.match(ignored.error ?? '', new RegExp(`asks a password for user "${lab.monitorUser}" and none was given: .*${passfile}.*group or world access`));
    // The same file through ~/.pgpass under HOME.
    chmodSync(passfile, 0o600);
    writeFileSync(join(lab.dir, '.pgpass'), `*:*:*:${lab.monitorUser}:${lab.monitorPassword.replace(/[\\:]/g, '\\$&')}\n`, { mode: 0o600 });
    primaryOnly(await read({ connections: [`postgresql://${lab.monitorUser}@${addr(lab.primary.port)}/postgres`] }));
    assert.deepEqual(warnings.filter((w) => /pgpass/i.test(w.message)).map((w) => w.message), [], 'the provider went through pg’s deprecated password-file path');
  });

  test('pg itself reads the password file when no password is given, through a path deprecated for pg 9', { timeout: 10_000 }, async () => {
    const saved = process.env.PGPASSFILE;
    process.env.PGPASSFILE = join(lab.dir, 'pgpass');
    const client = new pg.Client({ host: '127.0.0.1', port: lab.primary.port, user: lab.monitorUser, database: 'postgres', connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      assert.equal((await client.query('SELECT current_user AS u')).rows[0].u, lab.monitorUser);
    } finally {
      await client.end();
      if (saved === undefined) delete process.env.PGPASSFILE;
      else process.env.PGPASSFILE = saved;
    }
    await waitFor('the deprecation warning', () => warnings.some((w) => w.name === 'DeprecationWarning' && /pgpass support is deprecated/.test(w.message)), 2000, 20);
  });

  test('replay paused on the standby: lag grows with writes and an unused slot holds WAL, then both clear', { timeout: 30_000 }, async () => {
    const o = { connections: [uri()], lagWarningBytes: MiB };
    await lab.psql(lab.primary.port, `SELECT pg_create_physical_replication_slot('idle_slot', true)`);
    await lab.psql(lab.standby.port, 'SELECT pg_wal_replay_pause()');
    try {
      await waitFor('replay to pause', async () => (await lab.psql(lab.standby.port, 'SELECT pg_get_wal_replay_pause_state()')) === 'paused', 5000);
      await lab.psql(lab.primary.port, 'CREATE TABLE lag_probe AS SELECT g, md5(g::text) AS h FROM generate_series(1, 60000) g');
      const s = await agreed(o, (st, t) => [...sameAsTruth(st, t), ...((member(st, lab.standby.port).lagBytes ?? 0) > MiB ? [] : ['lag not over 1 MiB yet'])]);
      const sb = member(s, lab.standby.port);
      assert.equal(sb.health, 'warning');
      assert.match(sb.detail ?? '', /replay paused/);
      assert.equal(await lab.psql(lab.standby.port, 'SELECT pg_is_wal_replay_paused()'), 't');
      const codes = s.problems.map((p) => `${p.code} ${p.member ?? ''}`).sort();
      assert.deepEqual(codes, [`lagging ${addr(lab.standby.port)}`, `replay-paused ${addr(lab.standby.port)}`, `slot-inactive ${addr(lab.primary.port)}`]);
      const idle = (await truth()).slots.find((x) => x.name === 'idle_slot');
      assert.ok(idle && !idle.active && idle.retained > MiB, JSON.stringify(idle));
      assert.equal(s.health, 'warning');
    } finally {
      await lab.psql(lab.standby.port, 'SELECT pg_wal_replay_resume()');
      await lab.psql(lab.primary.port, `SELECT pg_drop_replication_slot('idle_slot')`);
    }
    const s = await agreed(o, (st, t) => [...sameAsTruth(st, t), ...(member(st, lab.standby.port).lagBytes === 0 ? [] : ['standby still behind'])]);
    assert.deepEqual(s.problems, []);
    assert.equal(s.health, 'ok');
  });

  test('a provider read again keeps one connection per server, reconnects when the server drops it, and closes it', { timeout: 20_000 }, async () => {
    const name = `hatopo-keep-${process.pid}`;
    const provider = postgresProvider({ env: env(), connections: [`${uri()}?application_name=${name}`] });
    const sessions = async () => rows(await lab.psql(lab.primary.port, `SELECT pid, backend_start FROM pg_stat_activity WHERE application_name = '${name}' ORDER BY client_port`));
    try {
      const first = await provider.read({ timeoutMs: TIMEOUT });
      outputs.push(JSON.stringify(first));
      const before = await sessions();
      assert.equal(before.length, 1, 'one session on the primary after a read');
      for (let i = 0; i < 3; i++) assert.equal((await provider.read({ timeoutMs: TIMEOUT }))[0].error, undefined);
      assert.deepEqual(await sessions(), before, 'the same backend served every read');
      // The server ends the session (a restart, idle_session_timeout): the next read connects again.
      await lab.psql(lab.primary.port, `SELECT pg_terminate_backend(${before[0][0]})`);
      const again = await provider.read({ timeoutMs: TIMEOUT });
      outputs.push(JSON.stringify(again));
      assert.equal(again[0].error, undefined);
      assert.equal(again[0].members.find((m) => m.address === addr(lab.primary.port))?.role, 'primary');
      const after = await sessions();
      assert.equal(after.length, 1);
      assert.notEqual(after[0][0], before[0][0]);
    } finally {
      await provider.close?.();
    }
    await waitFor('the kept session to end after close()', async () => (await sessions()).length === 0, 5000, 100);
  });

  test('the standby promoted: two servers accept writes, an error naming both', { timeout: 20_000 }, async () => {
    await lab.psql(lab.standby.port, 'SELECT pg_promote(true, 10)');
    const s = await agreed({ connections: [uri()] }, (st) => (st.problems.some((p) => p.code === 'split-brain') ? [] : ['no split brain yet']));
    const split = s.problems.find((p) => p.code === 'split-brain');
    assert.equal(split?.severity, 'error');
    assert.match(split?.message ?? '', new RegExp(`${addr(lab.primary.port)} and ${addr(lab.standby.port)}`));
    assert.equal(s.health, 'error');
    for (const port of [lab.primary.port, lab.standby.port]) {
      assert.equal(await lab.psql(port, 'SELECT pg_is_in_recovery()'), 'f');
      assert.equal(member(s, port).writable, true);
      assert.equal(member(s, port).role, 'primary');
    }
    const t = await truth();
    assert.equal(member(s, lab.standby.port).timeline, t.standby.timeline);
    assert.equal(t.standby.timeline, 2);
  });

  test('no output carries a password', () => {
    assert.ok(outputs.length > 8, `only ${outputs.length} outputs`);
    const all = outputs.join('\n');
    for (const secret of lab.secrets) {
      assert.ok(!all.includes(secret), 'a password appears in an output');
      assert.ok(!all.includes(encodeURIComponent(secret)), 'a URL-encoded password appears in an output');
    }
  });
});
