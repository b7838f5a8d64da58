// psql as the independent witness of the labs: every truth the live tests compare with comes from here.
import { execFile } from 'node:child_process';

export interface PsqlLogin {
  port: number;
  user: string;
  password: string;
  database?: string;
  host?: string;
}

/**
 * Runs one SQL text with psql (unaligned, tuples only, no psqlrc) and resolves with its output
 * trimmed. The password travels in the environment, never on the command line; the call is cut
 * after `timeoutMs`.
 */
export function psql(login: PsqlLogin, sql: string, timeoutMs = 8000): Promise<string> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LANG: 'C.UTF-8', PGPASSWORD: login.password, PGCONNECT_TIMEOUT: '3' };
  const args = ['-h', login.host ?? '127.0.0.1', '-p', String(login.port), '-U', login.user, '-d', login.database ?? 'postgres', '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql];
  return new Promise((resolve, reject) => {
    execFile('psql', args, { env, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`psql -p ${login.port} ${JSON.stringify(sql)}: ${stderr.trim() || err.message}`));
      else resolve(stdout.trim());
    });
  });
}

/** The rows of a psql result, each split on `|` (psql -A's separator). */
export function rows(text: string): string[][] {
  return text ? text.split('\n').map((l) => l.split('|')) : [];
}

/**
 * The timeline a server is on, read from its WAL folder (the newest segment's name starts with it): a
 * way the providers do not use, so it can be their witness. Needs a superuser or pg_monitor.
 */
export const TIMELINE_SQL = `SELECT ('x' || substr(max(name), 1, 8))::bit(32)::int FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$'`;
