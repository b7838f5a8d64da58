// Connections to Redis and Sentinel through ioredis, kept between reads, each call within the read's
// deadline. ioredis is held on a short leash: no reconnect loop, no offline queue, nothing on the
// console, and authentication sent by us so that every failure comes back here to be worded.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import Redis from 'ioredis';
import type { TlsOptions } from '../http';
import { mask } from '../secrets';

export interface RedisTarget {
  host: string;
  port: number;
  /** TLS options for rediss://; absent for plain TCP. */
  tls?: TlsOptions;
  username?: string;
  password?: string;
}

/** A Redis call that failed, worded for the person on call: names the endpoint, never a credential. */
export class RedisCallError extends Error {
  readonly code: string;
  /** For an error reply (code EREPLY): the server's own words, secrets masked. */
  readonly reply?: string;
  constructor(message: string, code: string, reply?: string) {
    super(message);
    this.code = code;
    this.reply = reply;
  }
}

/** `host:port`, IPv6 hosts in brackets. */
export function hostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function tlsOptions(tls: TlsOptions): ConnectionOptions {
  return {
    ca: tls.caFile ? readFileSync(tls.caFile) : undefined,
    cert: tls.certFile ? readFileSync(tls.certFile) : undefined,
    key: tls.keyFile ? readFileSync(tls.keyFile) : undefined,
    rejectUnauthorized: tls.verify !== false,
  };
}

/** The words for a failed call at `where`; the secrets are masked out of whatever the server or the library said. */
export function describeRedisError(err: unknown, where: string, secrets: Array<string | undefined>): RedisCallError {
  if (err instanceof RedisCallError) return err;
  const e = err as NodeJS.ErrnoException;
  const message = String(e?.message ?? err);
  const word = (text: string, code: string) => new RedisCallError(mask(text, secrets), code);
  if (e?.code === 'ECONNREFUSED') return word(`connection refused ${where}`, 'ECONNREFUSED');
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') return word(`host not found ${where}`, e.code);
  if (e?.code === 'ECONNRESET') return word(`connection reset by ${where}`, 'ECONNRESET');
  if (e?.code === 'EHOSTUNREACH' || e?.code === 'ENETUNREACH') return word(`no route to ${where}`, e.code);
  if (e?.code === 'ETIMEDOUT' || /timed out/i.test(message)) return word(`timed out (${where})`, 'ETIMEDOUT');
  if (/^WRONGPASS/.test(message) || /invalid password/i.test(message)) return word(`authentication failed at ${where}: wrong username or password`, 'EAUTH');
  if (/^NOAUTH/.test(message)) return word(`authentication required at ${where}: no password given`, 'EAUTH');
  if (/^NOPERM/.test(message)) return word(`permission denied at ${where}: ${message.replace(/^NOPERM\s*/, '')}`, 'EPERM');
  if (/Connection is closed/i.test(message)) return word(`connection closed by ${where}`, 'ECLOSED');
  if (e?.code === 'ENOENT' && e.path) return word(`cannot read ${e.path}`, 'ENOENT');
  if (e?.name === 'ReplyError') return new RedisCallError(mask(`${where}: ${message}`, secrets), 'EREPLY', mask(message, secrets));
  return word(`${message} (${where})`, e?.code ?? 'EREDIS');
}

/** Settles with `p`, or rejects with a timeout at `deadline` (epoch ms) or when `signal` aborts. */
export function within<T>(p: Promise<T>, deadline: number, where: string, signal?: AbortSignal): Promise<T> {
  const ms = Math.max(0, deadline - Date.now());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => done(() => reject(new RedisCallError(`cancelled (${where})`, 'ABORT_ERR')));
    const timer = setTimeout(() => done(() => reject(new RedisCallError(`timed out after ${ms} ms (${where})`, 'ETIMEDOUT'))), ms);
    let settled = false;
    function done(fn: () => void) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    }
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => done(() => resolve(v)),
      (e: unknown) => done(() => reject(e)),
    );
  });
}

/** One connection per endpoint, reused while it stays open; a failed or timed-out one is dropped. */
export class RedisConnections {
  private readonly open = new Map<string, { client: Redis; ready: Promise<Redis> }>();

  constructor(private readonly secrets: Array<string | undefined>) {}

  /** Runs one command on `target`, connecting (and authenticating) first when needed. */
  async call(target: RedisTarget, deadline: number, signal: AbortSignal | undefined, args: [string, ...Array<string | number>]): Promise<unknown> {
    const where = hostPort(target.host, target.port);
    try {
      const client = await within(this.connection(target, where, deadline), deadline, where, signal);
      return await within(client.call(...args), deadline, where, signal);
    } catch (e) {
      const err = describeRedisError(e, where, this.secrets);
      // A reply error (NOQUORUM, unknown command) leaves the connection usable; anything else drops it.
      if ((e as Error)?.name !== 'ReplyError' || err.code === 'EAUTH') this.drop(where);
      throw err;
    }
  }

  /** The endpoint's connection, ready and authenticated; concurrent reads share one attempt. */
  private connection(target: RedisTarget, where: string, deadline: number): Promise<Redis> {
    const existing = this.open.get(where);
    if (existing && existing.client.status !== 'end' && existing.client.status !== 'close') return existing.ready;
    this.drop(where);
    const ms = Math.max(1, deadline - Date.now());
    const client = new Redis({
      host: target.host,
      port: target.port,
      tls: target.tls ? tlsOptions(target.tls) : undefined,
      lazyConnect: true,
      connectTimeout: ms,
      commandTimeout: ms,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
      enableReadyCheck: false,
      disableClientInfo: true,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      protocol: 2,
      // The commands of one read that go out together (SENTINEL REPLICAS, SENTINELS, CKQUORUM…)
      // leave in one write: each write on loopback costs the sender the receiver's wake-up too.
      enableAutoPipelining: true,
      // ioredis arms this timer on disconnect and clears it only if the socket closes afterwards.
      disconnectTimeout: 100,
    });
    // Without a listener ioredis would print errors. The event also carries the cause (refused,
    // reset) that connect() itself reports only as a closed connection.
    let cause: unknown;
    client.on('error', (e: unknown) => {
      cause ??= e;
    });
    const ready = (async () => {
      try {
        await client.connect();
      } catch (e) {
        throw cause ?? e;
      }
      if (target.password === undefined) return client;
      const auth = target.username !== undefined ? [target.username, target.password] : [target.password];
      try {
        await client.call('AUTH', ...auth);
      } catch (e) {
        // A password given to a server that asks for none is not worth failing the read for.
        if (!/without any password configured|no password is set/i.test(String((e as Error)?.message))) throw e;
      }
      return client;
    })();
    const entry = { client, ready };
    this.open.set(where, entry);
    ready.catch(() => {
      if (this.open.get(where) === entry) this.drop(where);
    });
    return ready;
  }

  private drop(where: string): void {
    const entry = this.open.get(where);
    if (!entry) return;
    this.open.delete(where);
    // A client that has ended has no socket left; disconnecting it would arm a timer nobody clears.
    if (entry.client.status !== 'end') entry.client.disconnect(false);
  }

  /** Closes the connections to endpoints not in `keep` (members that left the cluster). */
  prune(keep: Set<string>): void {
    for (const where of [...this.open.keys()]) if (!keep.has(where)) this.drop(where);
  }

  /** Closes every connection at once; nothing is left to keep the process alive. */
  close(): void {
    for (const where of [...this.open.keys()]) this.drop(where);
  }
}
