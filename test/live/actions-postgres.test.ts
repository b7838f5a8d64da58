// Promoting a plain PostgreSQL 15 standby through runAction, on a real primary and standby, the way a
// DBA runs the runbook: refused while the old primary takes writes, refused while the standby does
// not stream, then fence (pg_ctl stop), promote (pg_promote), and re-attach the old primary with
// pg_rewind — every step checked with psql on each server and with the runbook the action reports.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AuditRecord } from '../../live/src/actions/model';
import type { PromoteSpecOptions } from '../../live/src/actions/postgres';
import { promoteSpec, runbook } from '../../live/src/actions/postgres';
import type { RunOptions } from '../../live/src/actions/run';
import { runAction } from '../../live/src/actions/run';
import type { ClusterState } from '../../live/src/model';
import { validateClusterState } from '../helpers/cluster-state';
import type { Daemon } from './lab/processes';
import { alive, startAs, stopAll, waitFor } from './lab/processes';
import type { PostgresLab } from './lab/postgres';
import { postgresLabMissing, startPostgresLab } from './lab/postgres';
import { TIMELINE_SQL } from './lab/psql';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const PRIMARY_PORT = 15633;
const STANDBY_PORT = 15634;
const P = `127.0.0.1:${PRIMARY_PORT}`;
const S = `127.0.0.1:${STANDBY_PORT}`;

/** Runs a PostgreSQL program as `postgres`, bounded; resolves with what it printed (stdout and stderr). */
function asPostgres(program: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', join(PG_BIN, program), ...args], { env: { PATH: process.env.PATH, LANG: 'C.UTF-8', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${program} failed: ${stderr.trim() || err.message}`));
      else resolve(`${stdout}${stderr}`);
    });
  });
}

describe('plain PostgreSQL promotion on a real primary and standby', { skip: postgresLabMissing(), timeout: 180_000 }, () => {
  let lab: PostgresLab;
  let starting: Promise<PostgresLab> | undefined;
  const restarted: Daemon[] = [];
  const audit: AuditRecord[] = [];
  const said: string[] = [];
  /** The set as it was before anything was done: the runbook's reference. */
  let initial: ClusterState;

  before(async () => {
    starting = startPostgresLab({ primaryPort: PRIMARY_PORT, standbyPort: STANDBY_PORT });
    lab = await starting;
    // pg_rewind reads the old primary's WAL back to the last checkpoint both servers share: keep it.
    await lab.psql(PRIMARY_PORT, `ALTER SYSTEM SET wal_keep_size = '256MB'`);
    await lab.psql(PRIMARY_PORT, 'SELECT pg_reload_conf()');
    await lab.psql(PRIMARY_PORT, 'CREATE TABLE t (n int); INSERT INTO t SELECT generate_series(1, 10)');
    await waitFor('the standby to replay the rows', async () => (await lab.psql(STANDBY_PORT, 'SELECT count(*) FROM t').catch(() => '')) === '10', 10_000, 100);
  }, { timeout: 60_000 });

  after(async () => {
    await stopAll(restarted.map((d) => d.pid).filter(alive), 8000);
    await starting?.then((l) => l.stop(), () => undefined);
  }, { timeout: 60_000 });

  const options = (o: Partial<PromoteSpecOptions> = {}): PromoteSpecOptions => ({
    connections: [`host=127.0.0.1 port=${PRIMARY_PORT} user=postgres dbname=postgres`, `host=127.0.0.1 port=${STANDBY_PORT} user=postgres dbname=postgres`],
    // The password as every PostgreSQL tool takes it: from the environment, never in the strings.
    env: { PGPASSWORD: lab.superuserPassword, HOME: lab.dir },
    candidate: S,
    waitSeconds: 20,
    timeoutMs: 3000,
    ...o,
  });
  const read = async (o: Partial<PromoteSpecOptions> = {}): Promise<ClusterState> => {
    const spec = promoteSpec(options(o));
    try {
      const s = await spec.read();
      validateClusterState(s);
      said.push(JSON.stringify(s));
      return s;
    } finally {
      await spec.provider.close?.();
    }
  };
  const run = async (o: Partial<PromoteSpecOptions> = {}, ro: Partial<RunOptions> = {}) => {
    const spec = promoteSpec(options(o));
    try {
      const r = await runAction(spec, { deadlineMs: 30_000, pollMs: 300, via: 'test', audit: { write: async (rec) => void audit.push(rec) }, secrets: lab.secrets, ...ro });
      said.push(r.message, JSON.stringify(r.preflight));
      return r;
    } finally {
      await spec.provider.close?.();
    }
  };
  /** What psql says of a server: in recovery or not, its timeline, the rows of t. */
  const truth = async (port: number) => {
    const [recovery, timeline, rows] = (await lab.psql(port, `SELECT pg_is_in_recovery(), (${TIMELINE_SQL}), (SELECT count(*) FROM t)`)).split('|');
    return { recovery: recovery === 't', timeline: Number(timeline), rows: Number(rows) };
  };

  test('refused while the old primary takes writes: the standby stays a standby', { timeout: 30_000 }, async () => {
    initial = await read();
    assert.equal(initial.leader, P);
    const r = await run();
    assert.equal(r.outcome, 'refused', r.message);
    assert.match(r.message, /the old primary 127\.0\.0\.1:15633 still accepts writes: fence it first \(stop it, or make it unreachable to clients\), or both will take writes — split brain/);
    assert.equal(r.preflight.candidates.find((c) => c.member === S)?.safe, true, 'the standby itself is fine');
    assert.deepEqual(await truth(STANDBY_PORT), { recovery: true, timeline: 1, rows: 10 });
    assert.deepEqual(await truth(PRIMARY_PORT), { recovery: false, timeline: 1, rows: 10 });
    const rec = audit.at(-1);
    assert.equal(rec?.outcome, 'refused');
    assert.equal(rec?.target, S);
    assert.equal(rec?.primary, P);
    assert.equal(rec?.preflight.ok, false);
  });

  test('refused while the standby does not stream, though the primary is said to be fenced', { timeout: 30_000 }, async () => {
    // Cut the standby off (its receiver stops on reload), then commit rows only the primary will have.
    await lab.psql(STANDBY_PORT, `ALTER SYSTEM SET primary_conninfo = ''`);
    await lab.psql(STANDBY_PORT, 'SELECT pg_reload_conf()');
    await waitFor('the standby to stop receiving', async () => (await lab.psql(STANDBY_PORT, 'SELECT count(*) FROM pg_stat_wal_receiver')) === '0', 10_000, 100);
    await lab.psql(PRIMARY_PORT, 'INSERT INTO t SELECT generate_series(11, 15)');
    const r = await run({ oldPrimaryFenced: true });
    assert.equal(r.outcome, 'refused', r.message);
    assert.match(r.message, /127\.0\.0\.1:15634: it does not stream from the primary — it has no WAL receiver \(archive recovery, or not connected\): it lacks what the primary wrote since \(\d+(\.\d)? (B|KiB) behind\)/);
    assert.deepEqual(await truth(STANDBY_PORT), { recovery: true, timeline: 1, rows: 10 });
    assert.equal(audit.at(-1)?.preflight.target?.safe, false);
  });

  test('fenced by stopping the old primary: the pre-flight passes, pg_promote runs, psql sees the new primary', { timeout: 60_000 }, async () => {
    await asPostgres('pg_ctl', ['stop', '-D', lab.primary.dataDir, '-m', 'fast', '-w', '-t', '30']);
    const dry = await run({}, { dryRun: true });
    assert.equal(dry.outcome, 'dry-run');
    assert.equal(dry.preflight.ok, true, dry.message);
    assert.equal(dry.preflight.primary, undefined);
    assert.match(dry.preflight.warnings.join('\n'), /no primary answers \(127\.0\.0\.1:15633 down\): that is the reason to promote/);

    // A monitoring login may read everything the pre-flight needs, but pg_promote is not granted to it.
    const monitor = await run({
      connections: [`host=127.0.0.1 port=${PRIMARY_PORT} user=${lab.monitorUser} dbname=postgres`, `host=127.0.0.1 port=${STANDBY_PORT} user=${lab.monitorUser} dbname=postgres`],
      env: { PGPASSWORD: lab.monitorPassword, HOME: lab.dir },
    });
    assert.equal(monitor.outcome, 'failed', monitor.message);
    assert.match(monitor.message, /pg_promote on 127\.0\.0\.1:15634 failed: permission denied for function pg_promote .*: pg_promote needs a superuser, or EXECUTE on it granted to this login/);
    assert.equal((await truth(STANDBY_PORT)).recovery, true);

    const r = await run();
    assert.equal(r.outcome, 'done', r.message);
    assert.match(r.message, /^127\.0\.0\.1:15634 promoted \(pg_promote returned true\); observed after \d+\.\d s$/);
    const now = await truth(STANDBY_PORT);
    assert.equal(now.recovery, false);
    assert.equal(now.timeline, 2);
    // The five rows committed after the standby was cut off were never on it: lost, as the warning said.
    assert.equal(now.rows, 10);
    const m = r.after?.members.find((x) => x.name === S);
    assert.equal(m?.writable, true);
    assert.equal(m?.timeline, 2);

    const rec = audit.at(-1);
    assert.equal(rec?.outcome, 'done');
    assert.equal(rec?.action, 'promote');
    assert.equal(rec?.kind, 'postgres');
    assert.deepEqual(rec?.options, { candidate: S, waitSeconds: 20 });
    assert.equal(rec?.preflight.target?.safe, true);

    const steps = runbook(initial, await read(), S);
    assert.deepEqual(steps.map((s) => `${s.id} ${s.status}`), ['fence done', 'promote done', 'repoint manual', 'reattach pending']);
    assert.equal(steps[1].detail, `${S} accepts writes on timeline 2 (was 1)`);
  });

  test('a second promotion of the new primary is refused: it is no standby', { timeout: 30_000 }, async () => {
    const r = await run();
    assert.equal(r.outcome, 'refused', r.message);
    assert.match(r.message, /127\.0\.0\.1:15634 is not a standby: it already accepts writes/);
    assert.deepEqual(await truth(STANDBY_PORT), { recovery: false, timeline: 2, rows: 10 });
  });

  test('the old primary re-attached with pg_rewind: the runbook says done, the new primary lists it streaming', { timeout: 60_000 }, async () => {
    // The new primary's control file names its timeline only after a checkpoint; and a slot keeps WAL for its new standby.
    await lab.psql(STANDBY_PORT, `CHECKPOINT; SELECT pg_create_physical_replication_slot('old_primary')`);
    const rewound = await asPostgres('pg_rewind', ['--target-pgdata', lab.primary.dataDir, '--source-server', `host=127.0.0.1 port=${STANDBY_PORT} user=postgres dbname=postgres`, '-R', '--no-sync'], { PGPASSWORD: lab.superuserPassword });
    assert.match(rewound, /servers diverged at WAL location .* on timeline 1/);
    // pg_rewind copied the new primary's configuration: the old one keeps its own port, sockets and name.
    const daemon = startAs(
      'postgres',
      'old-primary',
      join(PG_BIN, 'postgres'),
      ['-D', lab.primary.dataDir, '-c', `port=${PRIMARY_PORT}`, '-c', `unix_socket_directories=${join(lab.dir, 'primary')}`, '-c', 'cluster_name=lab-primary', '-c', 'primary_slot_name=old_primary'],
      lab.primary.log,
      { PATH: process.env.PATH, LANG: 'C.UTF-8' },
    );
    restarted.push(daemon);
    let last: ClusterState | undefined;
    await waitFor('the runbook to show the old primary re-attached', async () => {
      last = await read();
      return runbook(initial, last, S)[3].status === 'done';
    }, 30_000, 300).catch((e: Error) => {
      throw new Error(`${e.message}\n${JSON.stringify(last && runbook(initial, last, S))}`);
    });
    const steps = runbook(initial, last as ClusterState, S);
    assert.deepEqual(steps.map((s) => `${s.id} ${s.status}`), ['fence done', 'promote done', 'repoint manual', 'reattach done']);
    const old = last?.members.find((m) => m.name === P);
    assert.equal(old?.role, 'replica');
    assert.equal(old?.state, 'streaming');
    assert.equal(old?.timeline, 2);
    assert.equal(last?.leader, S);
    assert.equal(await lab.psql(STANDBY_PORT, 'SELECT application_name, state FROM pg_stat_replication'), 'lab-primary|streaming');
    // Rewound: the rows only it had are gone, it is on the new timeline and in recovery.
    assert.deepEqual(await truth(PRIMARY_PORT), { recovery: true, timeline: 2, rows: 10 });
  });

  test('no password in any audit record, message or state', () => {
    assert.ok(audit.length >= 6, `${audit.length} audit records`);
    const text = `${JSON.stringify(audit)}\n${said.join('\n')}`;
    for (const secret of lab.secrets) assert.ok(!text.includes(secret), 'a password appears in the output');
  });
});
