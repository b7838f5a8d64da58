// The PostgreSQL password file (~/.pgpass, PGPASSFILE, passfile=) read as libpq reads it. The `pg`
// driver reads it too when no password is given, but that path is deprecated (a warning on stderr,
// removal in pg 9), so passwords are looked up here and handed to the driver.
import { readFile, stat } from 'node:fs/promises';

export interface PgpassEntry {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
}

/** Splits one line on unescaped colons, removing the backslash escapes (`\:` and `\\`). */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) cur += line[++i];
    else if (c === ':') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** The entries of a password file's text; comments, blank and malformed lines are skipped. */
export function parsePgpass(text: string): PgpassEntry[] {
  const out: PgpassEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.startsWith('#')) continue;
    const f = fields(raw);
    if (f.length < 5) continue;
    // A password may itself hold unescaped colons after the fourth field: keep them.
    out.push({ host: f[0], port: f[1], database: f[2], user: f[3], password: f.slice(4).join(':') });
  }
  return out;
}

export interface PgpassQuery {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** The password of the first entry that matches, `*` matching anything; `localhost` also matches a unix socket. */
export function lookupPgpass(entries: PgpassEntry[], q: PgpassQuery): string | undefined {
  const host = q.host.startsWith('/') ? 'localhost' : q.host;
  const match = (pattern: string, value: string) => pattern === '*' || pattern === value;
  const hit = entries.find((e) => match(e.host, host) && match(e.port, String(q.port)) && match(e.database, q.database) && match(e.user, q.user));
  return hit?.password;
}

/**
 * Looks a password up in `file`. Like libpq, a file that is not a plain file, or that its group or
 * others may read, is ignored (`ignored` says why); a missing file is no error.
 */
export async function readPgpass(file: string, q: PgpassQuery): Promise<{ password?: string; ignored?: string }> {
  try {
    const st = await stat(file);
    if (!st.isFile()) return { ignored: `password file "${file}" is not a plain file` };
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) return { ignored: `password file "${file}" has group or world access; permissions should be u=rw (0600) or less` };
    return { password: lookupPgpass(parsePgpass(await readFile(file, 'utf8')), q) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return {};
    return { ignored: `password file "${file}" could not be read (${code ?? 'error'})` };
  }
}
