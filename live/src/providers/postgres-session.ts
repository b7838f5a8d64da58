// One short PostgreSQL session through `pg`: connect, run a few read-only queries, disconnect, all
// within a deadline; failures become errors worded for the person on call, never carrying a password.
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
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PgSessionError(`timed out after ${options.timeoutMs} ms (${c.where})`, 'ETIMEDOUT')), options.timeoutMs);
    onAbort = () => reject(new PgSessionError(`cancelled (${c.where})`, 'ABORT_ERR'));
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const session = async (): Promise<T> => {
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
    const cl = client;
    const query: Query = async <R>(sql: string) => {
      const left = deadline - Date.now();
      if (left <= 0) throw new PgSessionError(`timed out after ${options.timeoutMs} ms (${c.where})`, 'ETIMEDOUT');
      const res = await cl.query({ text: sql, query_timeout: left } as pg.QueryConfig);
      return res.rows as R[];
    };
    return work(query);
  };
  const running = session();
  // The guard may win the race: the session's own later failure is then of no interest.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, guard]);
  } catch (e) {
    const d = describe(e, c);
    throw new PgSessionError(mask(d.message, secrets), d.code);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    // end() drops the socket at once when a query is still running; never wait long for it.
    const ending = client?.end().catch(() => undefined);
    if (ending) await Promise.race([ending, new Promise((r) => setTimeout(r, 200).unref())]);
  }
}
