// One short PostgreSQL session through `pg`: connect, run a few read-only queries, disconnect, all
// within a deadline; failures become errors worded for the person on call, never carrying a password.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { mask } from '../secrets';
import type { PgTarget } from './postgres-conninfo';
import { targetAddress } from './postgres-conninfo';
import { readPgpass } from './pgpass';

export interface PgSessionOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Keeps the connection open for the next read of the same server (a refresh every few seconds). */
  sessions?: PgSessions;
}

/**
 * Connections kept open between reads, one per server and login. A new connection costs a TLS and
 * SCRAM handshake (about 3 ms of CPU here) where a query on an open one costs 0.2 ms: refreshing
 * every 2 s, that is most of the cost. A connection the server closes is dropped when it does.
 */
export class PgSessions {
  private readonly open = new Map<string, pg.Client>();
  private readonly watched = new WeakSet<pg.Client>();

  /** The open connection for `key`, taken out until it is given back. */
  take(key: string): pg.Client | undefined {
    const c = this.open.get(key);
    this.open.delete(key);
    if (c) socketOf(c)?.ref();
    return c;
  }

  give(key: string, client: pg.Client): void {
    const old = this.open.get(key);
    if (old && old !== client) void old.end().catch(() => undefined);
    this.open.set(key, client);
    // A connection waiting for the next read must not keep a process (a CLI, a test) alive.
    socketOf(client)?.unref();
    // Listened to once per connection, however often it is given back.
    if (this.watched.has(client)) return;
    this.watched.add(client);
    const drop = () => {
      if (this.open.get(key) === client) this.open.delete(key);
    };
    client.once('end', drop);
    client.on('error', drop);
  }

  get size(): number {
    return this.open.size;
  }

  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    // Held again while they close: a caller awaiting close() must not see its process's event loop run dry.
    for (const c of all) socketOf(c)?.ref();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(all.map((c) => c.end())), new Promise((r) => (timer = setTimeout(r, 500)))]);
    clearTimeout(timer);
  }
}

/** The client's socket (`pg` keeps it as connection.stream), to let an idle one not hold the process. */
function socketOf(client: pg.Client): { ref(): unknown; unref(): unknown } | undefined {
  const stream = (client as unknown as { connection?: { stream?: { ref?: unknown; unref?: unknown } } }).connection?.stream;
  return stream && typeof stream.ref === 'function' && typeof stream.unref === 'function' ? (stream as { ref(): unknown; unref(): unknown }) : undefined;
}

/** What makes two targets the same login on the same server; the password only as a digest. */
function sessionKey(t: PgTarget): string {
  const pw = t.password === undefined ? '' : createHash('sha256').update(t.password).digest('hex');
  return JSON.stringify([t.host, t.port, t.user, t.database, t.sslmode, t.sslrootcert, t.sslcert, t.sslkey, t.applicationName, t.passfile, pw]);
}

/** A failed session: the message names the server, never a credential. */
export class PgSessionError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

export type Query = <R = Record<string, unknown>>(sql: string) => Promise<R[]>;

/** The TLS options `pg` needs for a libpq sslmode: `prefer` and `allow` connect in plain text, as `pg` cannot fall back. */
export function sslOptions(t: Pick<PgTarget, 'host' | 'sslmode' | 'sslrootcert' | 'sslcert' | 'sslkey'>): false | ConnectionOptions {
  if (t.sslmode === 'disable' || t.sslmode === 'allow' || t.sslmode === 'prefer') return false;
  const read = (what: string, file: string | undefined) => {
    if (!file) return undefined;
    try {
      return readFileSync(file);
    } catch {
      throw new PgSessionError(`could not read ${what} file "${file}"`, 'ESSLFILE');
    }
  };
  const opts: ConnectionOptions = { cert: read('certificate', t.sslcert), key: read('private key', t.sslkey) };
  if (t.sslmode === 'require') return { ...opts, rejectUnauthorized: false };
  const ca = read('root certificate', t.sslrootcert);
  if (t.sslmode === 'verify-ca') return { ...opts, ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
  return { ...opts, ca, rejectUnauthorized: true, servername: t.host };
}

interface Context {
  where: string;
  user: string;
  timeoutMs: number;
  connectMs: number;
  passfile: string;
  passfileIgnored?: string;
  /** The server asked for a password and none was found. */
  noPassword?: boolean;
}

function describe(e: unknown, c: Context): PgSessionError {
  if (e instanceof PgSessionError) return e;
  const err = e as Error & { code?: string };
  const msg = err.message ?? String(e);
  switch (err.code) {
    case 'ECONNREFUSED':
      return new PgSessionError(`connection refused ${c.where}`, err.code);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new PgSessionError(`host not found ${c.where}`, err.code);
    case 'ECONNRESET':
      return new PgSessionError(`connection reset by ${c.where}`, err.code);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new PgSessionError(`no route to ${c.where}`, err.code);
    case 'ENOENT':
      return new PgSessionError(`no server socket at ${c.where}`, err.code);
    case '28P01':
      return new PgSessionError(`password authentication failed for user "${c.user}" at ${c.where}`, err.code);
    case '57014':
      return new PgSessionError(`timed out after ${c.timeoutMs} ms (${c.where})`, 'ETIMEDOUT');
  }
  if (c.noPassword && (!err.code || /^ERR_/.test(err.code))) {
    const why = c.passfileIgnored ? ` (${c.passfileIgnored})` : '';
    return new PgSessionError(`${c.where} asks a password for user "${c.user}" and none was given: not in the connection string, PGPASSWORD or ${c.passfile}${why}`, 'ENOPASSWORD');
  }
  if (/timeout expired|connection timeout/i.test(msg)) return new PgSessionError(`timed out after ${c.connectMs} ms connecting to ${c.where}`, 'ETIMEDOUT');
  if (/Query read timeout/i.test(msg)) return new PgSessionError(`timed out after ${c.timeoutMs} ms (${c.where})`, 'ETIMEDOUT');
  return new PgSessionError(`${msg} (${c.where})`, err.code ?? 'EPG');
}

/**
 * Connects to `target`, runs `work` and disconnects. Rejects with a PgSessionError, at the latest
 * when `timeoutMs` has passed (the connection is then dropped), or when `signal` aborts.
 */
export async function withPg<T>(target: PgTarget, options: PgSessionOptions, work: (query: Query) => Promise<T>): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const connectMs = Math.max(1, Math.min(target.connectTimeoutMs ?? options.timeoutMs, options.timeoutMs));
  const c: Context = { where: targetAddress(target), user: target.user, timeoutMs: options.timeoutMs, connectMs, passfile: target.passfile };
  const secrets = [target.password];
  // Looked up only when the server asks for one, so a trust or certificate login never reads the file.
  const password = async (): Promise<string> => {
    if (target.password !== undefined) return target.password;
    const found = await readPgpass(target.passfile, target);
    c.passfileIgnored = found.ignored;
    c.noPassword = found.password === undefined;
    secrets.push(found.password);
    return found.password as string;
  };
  let client: pg.Client | undefined;
  const queryOn =
    (cl: pg.Client): Query =>
    async <R>(sql: string) => {
      const left = deadline - Date.now();
      if (left <= 0) throw new PgSessionError(`timed out after ${options.timeoutMs} ms (${c.where})`, 'ETIMEDOUT');
      const res = await cl.query({ text: sql, query_timeout: left } as pg.QueryConfig);
      return res.rows as R[];
    };
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PgSessionError(`timed out after ${options.timeoutMs} ms (${c.where})`, 'ETIMEDOUT')), options.timeoutMs);
    onAbort = () => reject(new PgSessionError(`cancelled (${c.where})`, 'ABORT_ERR'));
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const key = options.sessions ? sessionKey(target) : undefined;
  let reused = key ? options.sessions?.take(key) : undefined;
  const session = async (): Promise<T> => {
    if (reused) {
      client = reused;
      try {
        return await work(queryOn(reused));
      } catch (e) {
        // The kept connection may have died unnoticed (a restart, an idle timeout): once more, afresh.
        if (e instanceof PgSessionError || Date.now() >= deadline) throw e;
        void reused.end().catch(() => undefined);
        reused = undefined;
      }
    }
    client = new pg.Client({
      host: target.host,
      port: target.port,
      user: target.user,
      database: target.database,
      password,
      ssl: sslOptions(target),
      application_name: target.applicationName,
      connectionTimeoutMillis: connectMs,
      statement_timeout: Math.max(1, options.timeoutMs),
      query_timeout: Math.max(1, options.timeoutMs),
    });
    // An error after the session ended (the server went away) must not become an uncaught 'error' event.
    client.on('error', () => undefined);
    await client.connect();
    return work(queryOn(client));
  };
  const running = session();
  // The guard may win the race: the session's own later failure is then of no interest.
  running.catch(() => undefined);
  let kept = false;
  try {
    const result = await Promise.race([running, guard]);
    if (key && client && options.sessions) {
      options.sessions.give(key, client);
      kept = true;
    }
    return result;
  } catch (e) {
    const d = describe(e, c);
    throw new PgSessionError(mask(d.message, secrets), d.code);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    // end() drops the socket at once when a query is still running; never wait long for it.
    const ending = kept ? undefined : client?.end().catch(() => undefined);
    if (ending) await Promise.race([ending, new Promise((r) => setTimeout(r, 200).unref())]);
  }
}
