// A real Patroni cluster on loopback: one etcd 3.4 (v3 API) and Patroni 3.0.2 members on PostgreSQL 15,
// run as their Debian users, with fast timings, REST authentication and a superuser password.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { HttpResponse, TlsOptions } from '../../../live/src/http';
import { httpCall } from '../../../live/src/http';
import type { Daemon } from './processes';
import { alive, missingPrograms, ownedDir, postmasterPid, removeDir, scratchDir, sleep, startAs, stopAll, tail, waitFor } from './processes';
import type { PsqlLogin } from './psql';
import { psql } from './psql';
import type { LabCertificates } from './tls';
import { makeCertificates } from './tls';

const PG_BIN = '/usr/lib/postgresql/15/bin';
export const PATRONI_PROGRAMS = ['/usr/bin/patroni', '/usr/bin/patronictl', '/usr/bin/etcd', `${PG_BIN}/postgres`, '/usr/bin/psql', '/usr/bin/setpriv'];

export interface PatroniLabOptions {
  members?: number;
  scope?: string;
  synchronousMode?: boolean;
  synchronousModeStrict?: boolean;
  /** REST API over HTTPS from a lab CA, client certificates required. */
  tls?: boolean;
  /** false: the REST API asks for no username and password (Spilo's default); default true. */
  restAuth?: boolean;
  etcdClientPort?: number;
  etcdPeerPort?: number;
  /** The first member's PostgreSQL and REST ports; the others follow. */
  firstPgPort?: number;
  firstRestPort?: number;
}

export interface PatroniLabMember {
  name: string;
  pgPort: number;
  restPort: number;
  /** The member's REST API as Patroni publishes it (`…/patroni`), without credentials. */
  apiUrl: string;
  dataDir: string;
  config: string;
  log: string;
}

export interface PatroniLab {
  dir: string;
  scope: string;
  synchronousMode: boolean;
  members: PatroniLabMember[];
  restUser: string;
  restPassword: string;
  superuser: string;
  superuserPassword: string;
  /** Every password of the lab, for the tests that grep outputs for them. */
  secrets: string[];
  /** With `tls`: the lab CA and certificates, and the options a client needs (CA and client certificate). */
  certificates?: LabCertificates;
  clientTls?: TlsOptions;
  /** GET on a member's REST API (HTTPS with the client certificate when the lab has TLS). */
  rest(port: number, path: string): Promise<HttpResponse>;
  /** The running Patroni daemon of a member, if any. */
  patroni(name: string): Daemon | undefined;
  /** Starts a member's Patroni (again) and resolves once it runs (not waiting for replication). */
  startMember(name: string): Promise<void>;
  /** Stops a member's Patroni with SIGTERM (which stops its PostgreSQL) and waits for both to exit. */
  stopMember(name: string): Promise<void>;
  /** SIGKILLs a member's Patroni and nothing else: its PostgreSQL keeps running, detached. */
  killPatroni(name: string): Promise<void>;
  patronictl(...args: string[]): Promise<string>;
  /** psql as the lab's superuser on a member. */
  psql(name: string, sql: string): Promise<string>;
  login(name: string): PsqlLogin;
  stop(): Promise<void>;
}

export function patroniLabMissing(): string | undefined {
  return missingPrograms(PATRONI_PROGRAMS);
}

const secret = (prefix: string) => `${prefix}-${randomBytes(9).toString('hex')}@x`;

function memberConfig(lab: { scope: string; dir: string; etcdPort: number; restUser: string; restPassword: string; superuser: string; superuserPassword: string; replicationPassword: string }, m: PatroniLabMember, opts: PatroniLabOptions, certs: LabCertificates | undefined): string {
  const dir = join(lab.dir, m.name);
  const tls = certs ? { certfile: certs.serverCert, keyfile: certs.serverKey, cafile: certs.ca, verify_client: 'required' } : {};
  return stringify({
    scope: lab.scope,
    namespace: '/hatopo/',
    name: m.name,
    log: { level: 'INFO' },
    restapi: {
      listen: `127.0.0.1:${m.restPort}`,
      connect_address: `127.0.0.1:${m.restPort}`,
      ...(opts.restAuth === false ? {} : { authentication: { username: lab.restUser, password: lab.restPassword } }),
      ...tls,
    },
    ...(certs ? { ctl: { certfile: certs.clientCert, keyfile: certs.clientKey, cacert: certs.ca } } : {}),
    etcd3: { hosts: `127.0.0.1:${lab.etcdPort}` },
    bootstrap: {
      dcs: {
        ttl: 10,
        loop_wait: 2,
        retry_timeout: 4,
        maximum_lag_on_failover: 1048576,
        synchronous_mode: opts.synchronousMode ?? false,
        synchronous_mode_strict: opts.synchronousModeStrict ?? false,
        postgresql: {
          use_pg_rewind: true,
          use_slots: true,
          parameters: { wal_level: 'replica', hot_standby: 'on', wal_log_hints: 'on', max_wal_senders: 8, max_replication_slots: 8, wal_keep_size: '64MB', max_connections: 30 },
        },
      },
      initdb: [{ encoding: 'UTF8' }, { locale: 'C' }, 'no-sync'],
    },
    postgresql: {
      listen: `127.0.0.1:${m.pgPort}`,
      connect_address: `127.0.0.1:${m.pgPort}`,
      data_dir: m.dataDir,
      bin_dir: PG_BIN,
      pgpass: join(dir, 'pgpass'),
      authentication: {
        superuser: { username: lab.superuser, password: lab.superuserPassword },
        replication: { username: 'replicator', password: lab.replicationPassword },
      },
      basebackup: [{ checkpoint: 'fast' }],
      pg_hba: ['local all all trust', 'host replication replicator 127.0.0.1/32 scram-sha-256', 'host all all 127.0.0.1/32 scram-sha-256'],
      parameters: {
        unix_socket_directories: dir,
        shared_buffers: '16MB',
        password_encryption: 'scram-sha-256',
        wal_retrieve_retry_interval: '500ms',
        fsync: 'off',
        logging_collector: 'off',
      },
    },
    // Tags that change nothing the tests rely on (failover and sync choice), so the providers have some to show.
    tags: { nofailover: false, nosync: false, clonefrom: true, ...(m.name === 'pg3' ? { noloadbalance: true } : {}) },
  });
}

/** Starts etcd and the members; resolves once there is a leader and every replica streams from it. */
export async function startPatroniLab(opts: PatroniLabOptions = {}): Promise<PatroniLab> {
  const count = opts.members ?? 3;
  const etcdPort = opts.etcdClientPort ?? 12379;
  const peerPort = opts.etcdPeerPort ?? 12380;
  const dir = scratchDir('patroni');
  chmodSync(dir, 0o755);
  const lab = {
    scope: opts.scope ?? 'hatopo-lab',
    dir,
    etcdPort,
    restUser: 'patroni',
    restPassword: secret('rest'),
    superuser: 'postgres',
    superuserPassword: secret('super'),
    replicationPassword: secret('repl'),
  };
  const members: PatroniLabMember[] = Array.from({ length: count }, (_, i) => {
    const name = `pg${i + 1}`;
    const restPort = (opts.firstRestPort ?? 18008) + i;
    const memberDir = ownedDir(join(dir, name), 'postgres');
    return { name, pgPort: (opts.firstPgPort ?? 15433) + i, restPort, apiUrl: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${restPort}/patroni`, dataDir: join(memberDir, 'data'), config: join(memberDir, 'patroni.yml'), log: join(dir, `${name}.log`) };
  });
  const daemons = new Map<string, Daemon>();
  const started: Daemon[] = [];
  const byName = (name: string) => {
    const m = members.find((x) => x.name === name);
    if (!m) throw new Error(`no member ${name} in the lab`);
    return m;
  };
  // Patroni gets a small environment of its own: no PG* variables of the caller, a HOME it may write.
  const startMember = async (name: string) => {
    const m = byName(name);
    const env = { PATH: process.env.PATH, LANG: 'C.UTF-8', HOME: join(dir, name) };
    const d = startAs('postgres', `patroni-${name}`, '/usr/bin/patroni', [m.config], m.log, env);
    daemons.set(name, d);
    started.push(d);
    await waitFor(`${name}'s REST API`, async () => (await result.rest(m.restPort, '/liveness')).status === 200, 20000, 200).catch((e: Error) => {
      throw new Error(`${e.message}\n${tail(m.log)}`);
    });
  };
  // Members (and orphan postmasters) all at once, etcd after them: a member whose DCS vanished first
  // spends its retry_timeout on it before it exits. Postmasters get SIGINT first (fast shutdown): the
  // SIGTERM stopAll sends is a smart shutdown, which waits for every client, Patroni's included.
  const stopProcesses = async () => {
    const pids = started.filter((d) => d.name !== 'etcd').map((d) => d.pid);
    for (const m of members) {
      const pm = postmasterPid(m.dataDir);
      if (pm === undefined || !alive(pm)) continue;
      pids.push(pm);
      try {
        process.kill(pm, 'SIGINT');
      } catch {
        /* gone already */
      }
    }
    // Patroni takes up to two loops to exit after its PostgreSQL stopped; a throwaway lab need not wait.
    await stopAll(pids.filter(alive), 3000);
    await stopAll(started.filter((d) => d.name === 'etcd').map((d) => d.pid), 3000);
  };
  const result: PatroniLab = {
    dir,
    scope: lab.scope,
    synchronousMode: opts.synchronousMode ?? false,
    members,
    restUser: lab.restUser,
    restPassword: lab.restPassword,
    superuser: lab.superuser,
    superuserPassword: lab.superuserPassword,
    secrets: [lab.restPassword, lab.superuserPassword, lab.replicationPassword],
    rest: (port, path) => httpCall(`${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}${path}`, { timeoutMs: 1000, tls: result.clientTls }),
    patroni: (name) => {
      const d = daemons.get(name);
      return d && !d.exited ? d : undefined;
    },
    startMember,
    stopMember: async (name) => {
      const m = byName(name);
      const d = daemons.get(name);
      const pm = postmasterPid(m.dataDir);
      if (d) await stopAll([d.pid], 15000);
      if (pm !== undefined) await stopAll([pm], 5000);
    },
    killPatroni: async (name) => {
      const d = daemons.get(name);
      if (!d) throw new Error(`${name}'s Patroni is not running`);
      process.kill(d.pid, 'SIGKILL');
      await waitFor(`${name}'s Patroni to die`, () => !alive(d.pid), 3000, 20);
    },
    patronictl: (...args) =>
      new Promise((resolve, reject) => {
        execFile('patronictl', ['-c', members[0].config, ...args], { timeout: 20000, env: { PATH: process.env.PATH, LANG: 'C.UTF-8', HOME: dir } }, (err, stdout, stderr) => {
          if (err) reject(new Error(`patronictl ${args.join(' ')}: ${stderr.trim() || err.message}`));
          else resolve(stdout);
        });
      }),
    login: (name) => ({ port: byName(name).pgPort, user: lab.superuser, password: lab.superuserPassword }),
    psql: (name, sql) => psql(result.login(name), sql),
    stop: async () => {
      await stopProcesses();
      removeDir(dir);
    },
  };
  try {
    const etcdDir = ownedDir(join(dir, 'etcd'), 'etcd');
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const etcd = startAs('etcd', 'etcd', '/usr/bin/etcd', [
      '--name', 'lab', '--data-dir', join(etcdDir, 'data'),
      '--listen-client-urls', etcdUrl, '--advertise-client-urls', etcdUrl,
      '--listen-peer-urls', `http://127.0.0.1:${peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
      '--initial-cluster', `lab=http://127.0.0.1:${peerPort}`, '--initial-cluster-state', 'new', '--initial-cluster-token', `hatopo-${etcdPort}`,
      '--logger', 'zap', '--log-level', 'warn',
    ], join(dir, 'etcd.log'));
    started.push(etcd);
    await waitFor('etcd', async () => (await httpCall(`${etcdUrl}/health`, { timeoutMs: 1000 })).body.includes('true'), 15000, 100).catch((e: Error) => {
      throw new Error(`${e.message}\n${tail(etcd.log)}`);
    });
    if (opts.tls) {
      result.certificates = await makeCertificates(ownedDir(join(dir, 'tls'), 'root', 0o755), 'postgres');
      result.clientTls = { caFile: result.certificates.ca, certFile: result.certificates.clientCert, keyFile: result.certificates.clientKey };
    }
    for (const m of members) writeFileSync(m.config, memberConfig(lab, m, opts, result.certificates), { mode: 0o644 });
    // The first member bootstraps alone; the others then clone it in parallel.
    await startMember(members[0].name);
    await waitFor(`${members[0].name} to lead`, async () => (await result.rest(members[0].restPort, '/primary')).status === 200, 30000, 200).catch((e: Error) => {
      throw new Error(`${e.message}\n${tail(members[0].log)}`);
    });
    await Promise.all(members.slice(1).map((m) => startMember(m.name)));
    await waitForStreaming(result, members.length - 1, 40000);
    return result;
  } catch (e) {
    await result.stop();
    throw e;
  }
}

/**
 * Waits until the DCS names a leader whose PostgreSQL is primary and streams to `replicas` standbys,
 * and, in sync mode, until the DCS names a sync standby that PostgreSQL reports as sync (only that
 * member may be promoted); resolves with the leader's name.
 */
export async function waitForStreaming(lab: PatroniLab, replicas: number, timeoutMs: number): Promise<string> {
  const get = async <T>(port: number, path: string): Promise<T | undefined> => {
    const res = await lab.rest(port, path).catch(() => undefined);
    return res && res.status === 200 ? (JSON.parse(res.body) as T) : undefined;
  };
  return waitFor(
    `a leader with ${replicas} streaming replicas${lab.synchronousMode ? ', one of them the sync standby' : ''}`,
    async () => {
      const live = lab.members.filter((m) => lab.patroni(m.name));
      for (const m of live) {
        const cluster = await get<{ members: { name: string; role: string }[] }>(m.restPort, '/cluster');
        if (!cluster) continue;
        const leader = lab.members.find((x) => cluster.members.some((c) => c.name === x.name && c.role === 'leader'));
        if (!leader || !lab.patroni(leader.name)) return undefined;
        const status = await get<{ role?: string; replication?: { application_name: string; state: string; sync_state: string }[] }>(leader.restPort, '/patroni');
        if (status?.role !== 'master' && status?.role !== 'primary') return undefined;
        const streaming = (status.replication ?? []).filter((r) => r.state === 'streaming');
        const syncName = cluster.members.find((c) => c.role === 'sync_standby')?.name;
        const synced = !lab.synchronousMode || replicas === 0 || streaming.some((r) => r.application_name === syncName && r.sync_state === 'sync');
        return streaming.length >= replicas && synced ? leader.name : undefined;
      }
      return undefined;
    },
    timeoutMs,
    250,
  );
}

export { sleep };
