// A plain PostgreSQL 15 primary and one streaming standby on loopback (pg_basebackup -R, a physical
// slot), run as `postgres`, with a superuser and a pg_monitor login that have passwords.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from './processes';
import { alive, missingPrograms, ownedDir, postmasterPid, removeDir, scratchDir, startAs, stopAll, tail, userIds, waitFor } from './processes';
import type { PsqlLogin } from './psql';
import { psql } from './psql';

const PG_BIN = '/usr/lib/postgresql/15/bin';
export const POSTGRES_PROGRAMS = [`${PG_BIN}/postgres`, `${PG_BIN}/initdb`, `${PG_BIN}/pg_basebackup`, '/usr/bin/psql', '/usr/bin/setpriv'];

export interface PostgresServer {
  port: number;
  dataDir: string;
  log: string;
}

export interface PostgresLab {
  dir: string;
  primary: PostgresServer;
  standby: PostgresServer;
  /** The standby's physical slot on the primary. */
  slot: string;
  superuser: string;
  superuserPassword: string;
  /** A login that is only in pg_monitor: what a monitoring tool should get. */
  monitorUser: string;
  monitorPassword: string;
  secrets: string[];
  psql(port: number, sql: string): Promise<string>;
  login(port: number): PsqlLogin;
  stop(): Promise<void>;
}

export function postgresLabMissing(): string | undefined {
  return missingPrograms(POSTGRES_PROGRAMS);
}

/** Runs a program as `postgres` to completion, bounded; rejects with its output on failure. */
function runAsPostgres(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args], { env, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

const conf = (port: number, socketDir: string, clusterName: string) =>
  [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${socketDir}'`,
    `cluster_name = '${clusterName}'`,
    'shared_buffers = 16MB',
    'max_connections = 20',
    'wal_level = replica',
    'max_wal_senders = 5',
    'max_replication_slots = 5',
    'hot_standby = on',
    // pg_rewind needs it to re-attach an old primary after a promotion.
    'wal_log_hints = on',
    'fsync = off',
    `wal_retrieve_retry_interval = '500ms'`,
    `password_encryption = 'scram-sha-256'`,
    '',
  ].join('\n');

/** Starts the primary and the standby; resolves once the standby streams through its slot. */
export async function startPostgresLab(opts: { primaryPort?: number; standbyPort?: number } = {}): Promise<PostgresLab> {
  const primaryPort = opts.primaryPort ?? 15440;
  const standbyPort = opts.standbyPort ?? 15441;
  const dir = scratchDir('postgres');
  chmodSync(dir, 0o755);
  const home = ownedDir(join(dir, 'home'), 'postgres');
  // Colons and a backslash: the password file's escapes and the URIs' encoding get exercised.
  const superuserPassword = `su:${randomBytes(8).toString('hex')}\\x`;
  const monitorPassword = `mon:${randomBytes(8).toString('hex')}@x`;
  const replicationPassword = `repl-${randomBytes(8).toString('hex')}`;
  const env = { PATH: process.env.PATH, LANG: 'C.UTF-8', HOME: home };
  const primary: PostgresServer = { port: primaryPort, dataDir: join(ownedDir(join(dir, 'primary'), 'postgres'), 'data'), log: join(dir, 'primary.log') };
  const standby: PostgresServer = { port: standbyPort, dataDir: join(ownedDir(join(dir, 'standby'), 'postgres'), 'data'), log: join(dir, 'standby.log') };
  const daemons: Daemon[] = [];
  const login = (port: number): PsqlLogin => ({ port, user: 'postgres', password: superuserPassword });
  const lab: PostgresLab = {
    dir,
    primary,
    standby,
    slot: 'standby1',
    superuser: 'postgres',
    superuserPassword,
    monitorUser: 'hatopo_monitor',
    monitorPassword,
    secrets: [superuserPassword, monitorPassword, replicationPassword],
    login,
    psql: (port, sql) => psql(login(port), sql),
    stop: async () => {
      const pids = daemons.map((d) => d.pid);
      for (const s of [primary, standby]) {
        const pm = postmasterPid(s.dataDir);
        if (pm !== undefined) pids.push(pm);
      }
      await stopAll(pids.filter(alive), 8000);
      removeDir(dir);
    },
  };
  const start = async (s: PostgresServer, name: string) => {
    daemons.push(startAs('postgres', name, `${PG_BIN}/postgres`, ['-D', s.dataDir], s.log, env));
    await waitFor(`${name} to accept connections`, () => lab.psql(s.port, 'SELECT 1').then((r) => r === '1'), 20000, 150).catch((e: Error) => {
      throw new Error(`${e.message}\n${tail(s.log)}`);
    });
  };
  try {
    const pwfile = join(home, 'pwfile');
    writeFileSync(pwfile, `${superuserPassword}\n`, { mode: 0o600 });
    const { uid, gid } = userIds('postgres');
    chownSync(pwfile, uid, gid);
    await runAsPostgres(`${PG_BIN}/initdb`, ['-D', primary.dataDir, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '-E', 'UTF8', '--locale=C'], env, 60000);
    appendFileSync(join(primary.dataDir, 'postgresql.conf'), conf(primaryPort, join(dir, 'primary'), 'lab-primary'));
    await start(primary, 'postgres-primary');
    await lab.psql(
      primaryPort,
      `CREATE ROLE replicator LOGIN REPLICATION PASSWORD '${replicationPassword}';
       CREATE ROLE hatopo_monitor LOGIN PASSWORD '${monitorPassword}' IN ROLE pg_monitor;
       SELECT pg_create_physical_replication_slot('standby1');`,
    );
    await runAsPostgres(`${PG_BIN}/pg_basebackup`, ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'replicator', '-D', standby.dataDir, '-R', '-S', 'standby1', '-X', 'stream', '-c', 'fast', '--no-sync'], { ...env, PGPASSWORD: replicationPassword }, 60000);
    appendFileSync(join(standby.dataDir, 'postgresql.conf'), conf(standbyPort, join(dir, 'standby'), 'lab-standby'));
    await start(standby, 'postgres-standby');
    await waitFor('the standby to stream', async () => (await lab.psql(primaryPort, `SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'`)) === '1', 20000, 150);
    return lab;
  } catch (e) {
    await lab.stop();
    throw e;
  }
}
