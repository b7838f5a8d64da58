// A real HAProxy on loopback, run as `haproxy`: listeners with health-checked servers, an admin stats
// socket (unix), a TCP stats socket and an HTTP stats page with basic auth. Also small HTTP health
// targets a test can turn from 200 to 503, for HAProxy to check for real.
import { randomBytes } from 'node:crypto';
import { chownSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Daemon } from './processes';
import { missingPrograms, ownedDir, portOpen, removeDir, scratchDir, startAs, stopAll, tail, userIds, waitFor } from './processes';

export interface HaproxyLabServer {
  name: string;
  host: string;
  port: number;
  /** Where the health check goes, when not to `port` (Patroni's REST port in front of PostgreSQL). */
  checkPort?: number;
  /** No check when absent. All httpchk servers of a listener must use the same request. */
  check?: `httpchk ${string}` | 'tcp';
}

export interface HaproxyLabListener {
  name: string;
  port: number;
  servers: HaproxyLabServer[];
}

export interface HaproxyLabOptions {
  listeners: HaproxyLabListener[];
  /** The HTTP stats page's port (`/stats`, basic auth). */
  statsPort: number;
  /** The TCP stats socket's port (level operator). */
  socketPort: number;
  /** A second TCP stats socket, at level admin, when given. */
  adminSocketPort?: number;
}

export interface HaproxyLab {
  dir: string;
  daemon: Daemon;
  /** The unix admin socket (level admin). */
  adminSocket: string;
  /** `tcp://127.0.0.1:PORT`. */
  tcpSocket: string;
  /** `tcp://127.0.0.1:PORT` of the admin TCP socket, when asked for. */
  adminTcpSocket?: string;
  /** `http://127.0.0.1:PORT/stats`, without credentials. */
  statsUrl: string;
  statsUser: string;
  statsPassword: string;
  /** Sends one command to the admin socket and returns HAProxy's whole answer. */
  socket(command: string): Promise<string>;
  /** Sets every server back to `ready`, then stops HAProxy by PID and removes the scratch folder. */
  stop(): Promise<void>;
}

export const HAPROXY_PROGRAMS = ['/usr/sbin/haproxy'];

export function haproxyLabMissing(): string | undefined {
  return missingPrograms(HAPROXY_PROGRAMS);
}

/** One command on a stats socket (unix path or `host:port`), the answer read until HAProxy closes. */
export function socketCommand(where: string | { host: string; port: number }, command: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = typeof where === 'string' ? connect(where) : connect(where.port, where.host);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer to '${command}' within ${timeoutMs} ms`));
    }, timeoutMs);
    s.on('connect', () => s.write(`${command}\n`));
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

function listenerConfig(l: HaproxyLabListener): string[] {
  const http = [...new Set(l.servers.map((s) => s.check).filter((c) => c?.startsWith('httpchk')))];
  if (http.length > 1 || (http.length && l.servers.some((s) => s.check === 'tcp'))) throw new Error(`listener ${l.name}: one kind of check per listener`);
  const lines = [`listen ${l.name}`, `  bind 127.0.0.1:${l.port}`, '  mode tcp'];
  if (http.length) lines.push(`  option ${http[0]}`, '  http-check expect status 200');
  for (const s of l.servers) {
    const check = s.check ? ` check${s.checkPort ? ` port ${s.checkPort}` : ''}` : '';
    lines.push(`  server ${s.name} ${s.host}:${s.port}${check} on-marked-down shutdown-sessions`);
  }
  return lines;
}

/** Starts HAProxy with the listeners given and waits until its sockets and ports answer. */
export async function startHaproxyLab(options: HaproxyLabOptions): Promise<HaproxyLab> {
  const ports = [options.statsPort, options.socketPort, ...(options.adminSocketPort ? [options.adminSocketPort] : []), ...options.listeners.map((l) => l.port)];
  for (const p of ports) if (await portOpen(p)) throw new Error(`port ${p} is already in use (a lab left running?)`);
  const dir = ownedDir(scratchDir('haproxy'), 'haproxy');
  const adminSocket = join(dir, 'admin.sock');
  const statsUser = 'stats';
  const statsPassword = `st-${randomBytes(9).toString('hex')}`;
  const config = [
    'global',
    '  maxconn 200',
    `  stats socket ${adminSocket} mode 600 level admin`,
    `  stats socket 127.0.0.1:${options.socketPort} level operator`,
    ...(options.adminSocketPort ? [`  stats socket 127.0.0.1:${options.adminSocketPort} level admin`] : []),
    '  stats timeout 10s',
    'defaults',
    '  mode tcp',
    '  timeout connect 1s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  timeout check 1s',
    '  default-server inter 300ms fastinter 200ms downinter 300ms rise 2 fall 2',
    'listen stats',
    `  bind 127.0.0.1:${options.statsPort}`,
    '  mode http',
    '  stats enable',
    '  stats uri /stats',
    `  stats auth ${statsUser}:${statsPassword}`,
    ...options.listeners.flatMap(listenerConfig),
    '',
  ].join('\n');
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, config, { mode: 0o600 });
  const { uid, gid } = userIds('haproxy');
  chownSync(cfg, uid, gid);
  const log = join(dir, 'haproxy.log');
  const daemon = startAs('haproxy', 'haproxy', '/usr/sbin/haproxy', ['-f', cfg, '-db'], log);
  const socket = (command: string) => socketCommand(adminSocket, command);
  const servers = options.listeners.flatMap((l) => l.servers.map((s) => `${l.name}/${s.name}`));
  const stop = async () => {
    // A test that fails halfway must not leave a server in MAINT for the next one.
    if (!daemon.exited) await Promise.all(servers.map((s) => socket(`set server ${s} state ready`).catch(() => '')));
    await stopAll([daemon.pid], 5000);
    removeDir(dir);
  };
  try {
    await waitFor('HAProxy to answer on its admin socket', async () => !daemon.exited && (await socket('show info')).includes('Name: HAProxy'), 10_000);
    for (const p of ports) await waitFor(`HAProxy to listen on ${p}`, () => portOpen(p), 5000);
  } catch (e) {
    const why = `${(e as Error).message}\n${tail(log)}`;
    await stop();
    throw new Error(why);
  }
  return {
    dir,
    daemon,
    adminSocket,
    tcpSocket: `tcp://127.0.0.1:${options.socketPort}`,
    adminTcpSocket: options.adminSocketPort ? `tcp://127.0.0.1:${options.adminSocketPort}` : undefined,
    statsUrl: `http://127.0.0.1:${options.statsPort}/stats`,
    statsUser,
    statsPassword,
    socket,
    stop,
  };
}

export interface HealthTarget {
  port: number;
  /** The status every request now gets, and its reason phrase when not the standard one. */
  status: number;
  reason?: string;
  /** How many requests it has had (HAProxy's checks). */
  hits: number;
  close(): Promise<void>;
}

/** A tiny HTTP server on 127.0.0.1:port answering every request with `status`, as a Patroni /primary would. */
export async function startHealthTarget(port: number, status = 200): Promise<HealthTarget> {
  const target: HealthTarget = { port, status, hits: 0, close: () => Promise.resolve() };
  const server: Server = createServer((_req, res) => {
    target.hits++;
    const headers = { 'content-type': 'text/plain', connection: 'close' };
    if (target.reason) res.writeHead(target.status, target.reason, headers);
    else res.writeHead(target.status, headers);
    res.end(target.status === 200 ? 'ok\n' : 'no\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  target.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return target;
}
