// HAProxy: the runtime API over a stats socket (unix path or tcp://host:port: `show stat`, `show
// servers state`, `show info`) or the stats page's CSV (`http(s)://[user:pass@]host:port/path`).
import { connect } from 'node:net';
import type { TlsOptions } from '../http';
import { HttpError, httpCall } from '../http';
import type { ClusterState } from '../model';
import { unreachable } from '../model';
import type { Provider, ReadOptions } from '../provider';
import { credentialsOf, mask, withoutCredentials } from '../secrets';
import { haproxyClusterState } from './haproxy-state';
import type { HaproxyReadings } from './haproxy-state';
import { parseInfo, parseServersState, parseStatCsv } from './haproxy-stats';

export interface HaproxyOptions {
  /**
   * A stats socket (`/run/haproxy/admin.sock`, `unix:/path`, `tcp://host:port`; level user is enough)
   * or the stats page (`http(s)://[user:pass@]host:port/stats`). The page shows servers' addresses
   * only with `stats show-legends`, and has no admin state; the socket has both.
   */
  endpoint: string;
  /** For the stats page, when not in the URL. */
  username?: string;
  password?: string;
  tls?: TlsOptions;
}

export type HaproxyEndpoint = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number } | { kind: 'http'; url: URL };

/** The endpoint's kind and address: a unix socket, a TCP socket or the stats page. Throws for anything else. */
export function parseEndpoint(endpoint: string): HaproxyEndpoint {
  if (endpoint.startsWith('/')) return { kind: 'unix', path: endpoint };
  if (endpoint.startsWith('unix:')) return { kind: 'unix', path: endpoint.slice(5).replace(/^\/\/(?=\/)/, '') };
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw new TypeError('HAProxy endpoint is neither a socket path nor a tcp://, http:// or https:// URL');
  }
  if (u.protocol === 'tcp:') return { kind: 'tcp', host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) };
  if (u.protocol === 'http:' || u.protocol === 'https:') return { kind: 'http', url: u };
  throw new TypeError(`HAProxy endpoint scheme ${u.protocol} is not tcp:, http: or https:`);
}

/** HAProxy's answer to one command, read until it closes the connection; a deadline, a size cap. */
export function statsSocketCommand(where: { path: string } | { host: string; port: number }, command: string, deadline: number, signal?: AbortSignal, maxBytes = 16 * 1024 * 1024): Promise<string> {
  const label = 'path' in where ? where.path : where.host.includes(':') ? `[${where.host}]:${where.port}` : `${where.host}:${where.port}`;
  return new Promise((resolve, reject) => {
    const socket = 'path' in where ? connect(where.path) : connect(where.port, where.host);
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      fn();
    };
    const ms = Math.max(0, deadline - Date.now());
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${ms} ms (${label})`))), ms);
    const onAbort = () => finish(() => reject(new Error(`cancelled (${label})`)));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => socket.write(`${command}\n`));
    socket.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) return finish(() => reject(new Error(`answer larger than ${maxBytes} bytes (${label})`)));
      chunks.push(c);
    });
    socket.on('error', (e: NodeJS.ErrnoException) => finish(() => reject(new Error(socketErrorWords(e, label)))));
    socket.on('close', () => finish(() => resolve(Buffer.concat(chunks).toString('utf8'))));
  });
}

/**
 * The answers to `show stat;show servers state;show info`, told apart by their first lines: the
 * CSV header, the servers-state format version and header, `Name: HAProxy`. Undefined when the
 * statistics are not there; the extras are undefined when missing (an older HAProxy, a user level).
 */
export function splitAnswers(text: string): [string, string | undefined, string | undefined] | undefined {
  const parts = text.replace(/\r\n/g, '\n').split(/\n\n/);
  const stat = parts.find((p) => p.startsWith('# pxname,'));
  if (stat === undefined) return undefined;
  const servers = parts.find((p) => /^\d+\n# be_id /.test(p));
  const info = parts.find((p) => p.startsWith('Name: HAProxy\n'));
  return [`${stat}\n`, servers === undefined ? undefined : `${servers}\n`, info === undefined ? undefined : `${info}\n`];
}

function socketErrorWords(e: NodeJS.ErrnoException, label: string): string {
  switch (e.code) {
    case 'ENOENT':
      return `no stats socket at ${label}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied on ${label}`;
    case 'ECONNREFUSED':
      return `connection refused ${label}`;
    case 'ECONNRESET':
      return `connection reset by ${label}`;
    default:
      return `${e.message} (${label})`;
  }
}

/** The stats page's CSV address: the page's path and query with `;csv` after them. */
export function csvUrl(page: URL): string {
  const u = new URL(page.toString());
  u.username = '';
  u.password = '';
  if (!/;csv\b/.test(`${u.pathname}${u.search}`)) {
    if (u.search) u.search = `${u.search};csv`;
    else u.pathname = `${u.pathname};csv`;
  }
  return u.toString();
}

/** Reads one HAProxy. Throws only for an endpoint it cannot parse; read() never rejects. */
export function haproxyProvider(options: HaproxyOptions): Provider {
  const endpoint = parseEndpoint(options.endpoint);
  const source = withoutCredentials(options.endpoint);
  const name = endpoint.kind === 'unix' ? endpoint.path : endpoint.kind === 'tcp' ? `${endpoint.host}:${endpoint.port}` : endpoint.url.host;
  const fromUrl = endpoint.kind === 'http' ? credentialsOf(options.endpoint) : {};
  const username = options.username ?? fromUrl.username;
  const password = options.password ?? fromUrl.password;
  const secrets = [password, fromUrl.password];

  async function readSocket(where: { path: string } | { host: string; port: number }, deadline: number, signal?: AbortSignal): Promise<HaproxyReadings> {
    // The servers' admin state and the process facts are extras: a socket that refuses them still gives the stats.
    const optional = (command: string) => statsSocketCommand(where, command, deadline, signal).catch(() => undefined);
    // The three commands in one connection (`;` chains them, each answer ends with an empty line);
    // an answer that does not split that way is asked for alone, so its own error is reported.
    const together = splitAnswers(await statsSocketCommand(where, 'show stat;show servers state;show info', deadline, signal));
    const [stat, servers, info] = together ?? (await Promise.all([statsSocketCommand(where, 'show stat', deadline, signal), optional('show servers state'), optional('show info')]));
    let serversState;
    try {
      serversState = servers === undefined ? undefined : parseServersState(servers);
    } catch {
      serversState = undefined;
    }
    return { stat: parseStatCsv(stat), serversState, info: info?.includes('Name: HAProxy') ? parseInfo(info) : undefined };
  }

  async function readPage(url: URL, read: ReadOptions): Promise<HaproxyReadings> {
    const target = csvUrl(url);
    const res = await httpCall(target, { timeoutMs: read.timeoutMs, signal: read.signal, username, password, tls: options.tls, headers: { accept: 'text/csv, text/plain;q=0.9, */*;q=0.1' } });
    if (res.status === 401 || res.status === 403) throw new HttpError(`authentication failed (${res.status}) at ${url.host}`, 'EAUTH');
    if (res.status < 200 || res.status >= 300) throw new HttpError(`HTTP ${res.status} from ${url.host}${url.pathname}`, `HTTP${res.status}`);
    return { stat: parseStatCsv(res.body) };
  }

  return {
    kind: 'haproxy',
    source,
    async read(read: ReadOptions): Promise<ClusterState[]> {
      const now = read.now?.() ?? new Date();
      const deadline = Date.now() + read.timeoutMs;
      try {
        const readings = endpoint.kind === 'http' ? await readPage(endpoint.url, read) : await readSocket(endpoint.kind === 'unix' ? { path: endpoint.path } : endpoint, deadline, read.signal);
        return [haproxyClusterState(readings, name, source, now)];
      } catch (e) {
        return [unreachable('haproxy', name, source, mask((e as Error).message, secrets), now)];
      }
    },
  };
}
