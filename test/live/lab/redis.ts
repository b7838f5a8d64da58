// A real Redis Sentinel setup on loopback: one master, two replicas and three Sentinels from the
// Debian packages, with passwords, run as `redis`, configs in a scratch folder Sentinel may rewrite.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from './processes';
import { missingPrograms, ownedDir, portOpen, removeDir, scratchDir, startAs, stopAll, tail, userIds, waitFor } from './processes';

export const REDIS_PROGRAMS = ['/usr/bin/redis-server', '/usr/bin/redis-sentinel', '/usr/bin/redis-cli', '/usr/bin/openssl'];

export interface RedisLabOptions {
  /** The master's port first, then the replicas'. */
  dataPorts?: number[];
  sentinelPorts?: number[];
  masterName?: string;
  /** Also serve TLS on this port from the last Sentinel (a self-signed certificate for 127.0.0.1). */
  tlsPort?: number;
}

export interface RedisLab {
  dir: string;
  masterName: string;
  /** requirepass and masterauth of the data nodes. */
  dataPassword: string;
  /** requirepass of the Sentinels (different on purpose: real setups often differ). */
  sentinelPassword: string;
  dataPorts: number[];
  sentinelPorts: number[];
  /** `redis://:PASSWORD@127.0.0.1:PORT` for each Sentinel, the password URL-encoded. */
  sentinelUrls: string[];
  daemons: Map<number, Daemon>;
  /** When asked for: the last Sentinel's TLS address (`rediss://:PASSWORD@127.0.0.1:PORT`) and the certificate to trust. */
  tls?: { url: string; caFile: string };
  /** Runs redis-cli against a port of the lab with the right password (never on the command line). */
  redisCli(port: number, ...args: string[]): Promise<string>;
  /** Stops one node or Sentinel by PID and waits until its port is closed. */
  stopPort(port: number): Promise<void>;
  stop(): Promise<void>;
}

/** Why the lab cannot run here, or undefined when it can. */
export function redisLabMissing(): string | undefined {
  return missingPrograms(REDIS_PROGRAMS);
}

const secret = (prefix: string) => `${prefix}-${randomBytes(9).toString('hex')}@x`;

export function redisCliRaw(port: number, password: string | undefined, args: string[], timeoutMs = 5000): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.REDISCLI_AUTH;
  if (password !== undefined) env.REDISCLI_AUTH = password;
  return new Promise((resolve, reject) => {
    execFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port), '--no-auth-warning', ...args], { env, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`redis-cli -p ${port} ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout.trim());
    });
  });
}

function dataConf(port: number, dir: string, password: string, masterPort: number | undefined, priority: number): string {
  return [
    `port ${port}`,
    'bind 127.0.0.1',
    `dir ${dir}`,
    'daemonize no',
    'logfile ""',
    'save ""',
    'appendonly no',
    `requirepass "${password}"`,
    `masterauth "${password}"`,
    'repl-diskless-sync yes',
    'repl-diskless-sync-delay 0',
    `replica-priority ${priority}`,
    ...(masterPort ? [`replicaof 127.0.0.1 ${masterPort}`] : []),
    '',
  ].join('\n');
}

function sentinelConf(port: number, dir: string, name: string, masterPort: number, dataPassword: string, sentinelPassword: string, tls?: { port: number; cert: string; key: string }): string {
  return [
    `port ${port}`,
    ...(tls ? [`tls-port ${tls.port}`, `tls-cert-file ${tls.cert}`, `tls-key-file ${tls.key}`, 'tls-auth-clients no'] : []),
    'bind 127.0.0.1',
    `dir ${dir}`,
    'daemonize no',
    'logfile ""',
    `requirepass "${sentinelPassword}"`,
    `sentinel sentinel-pass "${sentinelPassword}"`,
    `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
    `sentinel auth-pass ${name} "${dataPassword}"`,
    `sentinel down-after-milliseconds ${name} 2000`,
    `sentinel failover-timeout ${name} 10000`,
    `sentinel parallel-syncs ${name} 2`,
    '',
  ].join('\n');
}

/** Starts the master, then the replicas (waits until both stream), then the Sentinels (waits until each sees everything). */
export async function startRedisLab(options: RedisLabOptions = {}): Promise<RedisLab> {
  const dataPorts = options.dataPorts ?? [16379, 16380, 16381];
  const sentinelPorts = options.sentinelPorts ?? [16479, 16480, 16481];
  const masterName = options.masterName ?? 'labmaster';
  for (const p of [...dataPorts, ...sentinelPorts, ...(options.tlsPort ? [options.tlsPort] : [])]) {
    if (await portOpen(p)) throw new Error(`port ${p} is already in use (a lab left running?)`);
  }
  const dir = ownedDir(scratchDir('redis'), 'redis');
  const dataPassword = secret('data');
  const sentinelPassword = secret('sentinel');
  const daemons = new Map<number, Daemon>();
  const passwordOf = (port: number) => (sentinelPorts.includes(port) ? sentinelPassword : dataPassword);
  // A failing call's message carries its arguments (CONFIG SET masterauth …): the passwords are masked out.
  const redisCli = (port: number, ...args: string[]) =>
    redisCliRaw(port, passwordOf(port), args).catch((e: Error) => {
      throw new Error(e.message.split(dataPassword).join('***').split(sentinelPassword).join('***'));
    });
  const { uid, gid } = userIds('redis');
  const write = (file: string, text: string) => {
    writeFileSync(file, text, { mode: 0o600 });
    // Sentinel rewrites its config, and a replica's may be rewritten by CONFIG REWRITE: redis owns them.
    chownSync(file, uid, gid);
  };
  const start = (port: number, program: string) => {
    const nodeDir = ownedDir(join(dir, String(port)), 'redis');
    const conf = join(nodeDir, program === 'redis-sentinel' ? 'sentinel.conf' : 'redis.conf');
    const master = dataPorts[0];
    const tls = options.tlsPort && port === sentinelPorts[sentinelPorts.length - 1] ? { port: options.tlsPort, ...certificate(nodeDir) } : undefined;
    if (program === 'redis-sentinel') write(conf, sentinelConf(port, nodeDir, masterName, master, dataPassword, sentinelPassword, tls));
    else write(conf, dataConf(port, nodeDir, dataPassword, port === master ? undefined : master, 100 - dataPorts.indexOf(port) * 10));
    daemons.set(port, startAs('redis', `${program}:${port}`, `/usr/bin/${program}`, [conf], join(dir, `${port}.log`)));
  };
  const stop = async () => {
    await stopAll([...daemons.values()].map((d) => d.pid), 5000);
    removeDir(dir);
  };
  try {
    for (const p of dataPorts) start(p, 'redis-server');
    await waitFor(
      'the replicas to stream from the master',
      async () => {
        const info = await redisCli(dataPorts[0], 'INFO', 'replication');
        const online = info.split(/\r?\n/).filter((l) => /^slave\d+:.*state=online/.test(l)).length;
        return online === dataPorts.length - 1;
      },
      15000,
      100,
    );
    // Sentinels poll INFO every 10 s: started after the replicas are online, their first INFO sees them.
    for (const p of sentinelPorts) start(p, 'redis-sentinel');
    for (const p of sentinelPorts) {
      await waitFor(
        `Sentinel ${p} to know every replica and Sentinel`,
        async () => {
          const f = fields((await redisCli(p, 'SENTINEL', 'MASTER', masterName)).split('\n'));
          if (f['num-slaves'] !== String(dataPorts.length - 1) || f['num-other-sentinels'] !== String(sentinelPorts.length - 1)) return false;
          // Known is not yet linked: a Sentinel shows its peers `disconnected` until its links are up.
          const flags = [...(await redisCli(p, 'SENTINEL', 'REPLICAS', masterName)).split('\n'), ...(await redisCli(p, 'SENTINEL', 'SENTINELS', masterName)).split('\n')]
            .filter((_, i, all) => all[i - 1] === 'flags');
          return flags.every((x) => x === 'slave' || x === 'sentinel');
        },
        15000,
        100,
      );
    }
  } catch (e) {
    const logs = [...daemons.keys()].map((p) => `--- ${p}\n${tail(join(dir, `${p}.log`), 8)}`).join('\n');
    await stop();
    throw new Error(`${(e as Error).message}\n${logs}`);
  }
  const sentinelUrls = sentinelPorts.map((p) => `redis://:${encodeURIComponent(sentinelPassword)}@127.0.0.1:${p}`);
  const last = join(dir, String(sentinelPorts[sentinelPorts.length - 1]));
  const tls = options.tlsPort ? { url: `rediss://:${encodeURIComponent(sentinelPassword)}@127.0.0.1:${options.tlsPort}`, caFile: join(last, 'cert.pem') } : undefined;
  return {
    dir,
    masterName,
    dataPassword,
    sentinelPassword,
    dataPorts,
    sentinelPorts,
    sentinelUrls,
    daemons,
    tls,
    redisCli,
    async stopPort(port) {
      const d = daemons.get(port);
      if (!d) throw new Error(`no daemon on port ${port}`);
      await stopAll([d.pid], 5000);
      await waitFor(`port ${port} to close`, async () => !(await portOpen(port)), 5000);
    },
    stop,
  };
}

/** A self-signed certificate for 127.0.0.1 in `dir`, readable by redis: it is also the CA to trust. */
function certificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore', timeout: 20_000 });
  const { uid, gid } = userIds('redis');
  for (const f of [cert, key]) chownSync(f, uid, gid);
  return { cert, key };
}

/** redis-cli prints a flat key/value reply one item a line: the pairs as an object. */
export function fields(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < lines.length; i += 2) out[lines[i]] = lines[i + 1];
  return out;
}

/** `INFO replication` as key → value. */
export function infoFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** What each Sentinel on `ports` answers to GET-MASTER-ADDR-BY-NAME, as `host:port`. */
export async function mastersBySentinels(lab: RedisLab, ports = lab.sentinelPorts): Promise<string[]> {
  return Promise.all(ports.map(async (p) => (await lab.redisCli(p, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', lab.masterName)).split('\n').join(':')));
}

/** The first word of ROLE on a data node: master or slave. */
export async function roleOf(lab: RedisLab, port: number): Promise<string> {
  return (await lab.redisCli(port, 'ROLE')).split('\n')[0];
}

/** redis-cli's lines for a list of flat records (SENTINEL REPLICAS, SENTINELS): one object per record. */
export function records(text: string): Array<Record<string, string>> {
  const lines = text.split('\n');
  const out: Array<Record<string, string>> = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    if (lines[i] === 'name') out.push({});
    if (out.length) out[out.length - 1][lines[i]] = lines[i + 1];
  }
  return out;
}
