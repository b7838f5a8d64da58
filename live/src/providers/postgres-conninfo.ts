// PostgreSQL connection strings as libpq reads them: `postgresql://` URIs and `key=value` conninfo,
// each possibly naming several hosts, completed from the PG* environment as every PostgreSQL tool does.
import { userInfo } from 'node:os';

/** The keywords libpq accepts; the ones this code does not use are accepted and ignored. */
const KEYWORDS = new Set([
  'host', 'hostaddr', 'port', 'dbname', 'user', 'password', 'passfile', 'connect_timeout', 'application_name',
  'fallback_application_name', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'sslpassword', 'sslcrl', 'sslcrldir',
  'sslsni', 'sslcompression', 'ssl_min_protocol_version', 'ssl_max_protocol_version', 'requirepeer', 'channel_binding',
  'gssencmode', 'krbsrvname', 'gsslib', 'client_encoding', 'options', 'keepalives', 'keepalives_idle',
  'keepalives_interval', 'keepalives_count', 'tcp_user_timeout', 'target_session_attrs', 'load_balance_hosts', 'replication',
]);

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly string[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** The keywords of one connection string, as written (values decoded). */
export type ConninfoParams = Record<string, string>;

/** One server to connect to, everything resolved but the password file. */
export interface PgTarget {
  /** A host name, an address, or a unix-socket folder (starts with `/`). */
  host: string;
  port: number;
  user: string;
  database: string;
  /** From the connection string or PGPASSWORD; not enumerable, so a target never prints it. */
  readonly password?: string;
  /** The password file to look in when no password is given (passfile, PGPASSFILE, ~/.pgpass). */
  passfile: string;
  sslmode: SslMode;
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  connectTimeoutMs?: number;
  applicationName: string;
}

/** What the PG* environment variables supply, by keyword (libpq's table, for the keywords used here). */
const ENV: Record<string, string> = {
  host: 'PGHOST', hostaddr: 'PGHOSTADDR', port: 'PGPORT', dbname: 'PGDATABASE', user: 'PGUSER', password: 'PGPASSWORD',
  passfile: 'PGPASSFILE', connect_timeout: 'PGCONNECT_TIMEOUT', application_name: 'PGAPPNAME', sslmode: 'PGSSLMODE',
  sslrootcert: 'PGSSLROOTCERT', sslcert: 'PGSSLCERT', sslkey: 'PGSSLKEY',
};

function checkKeyword(key: string): void {
  if (key === 'service') throw new Error('connection service files (service=) are not supported: give host, port and the other keywords');
  if (!KEYWORDS.has(key)) throw new Error(`invalid connection option "${key}"`);
}

/** `key=value key2='quoted \' value'`, libpq's rules for quoting and backslashes. */
function parseKeyValue(text: string): ConninfoParams {
  const out: ConninfoParams = {};
  let i = 0;
  const n = text.length;
  const space = () => {
    while (i < n && /\s/.test(text[i])) i++;
  };
  for (space(); i < n; space()) {
    const start = i;
    while (i < n && text[i] !== '=' && !/\s/.test(text[i])) i++;
    const key = text.slice(start, i);
    space();
    if (text[i] !== '=') throw new Error(`missing "=" after "${key}" in connection info string`);
    i++;
    space();
    let value = '';
    if (text[i] === "'") {
      i++;
      for (;;) {
        if (i >= n) throw new Error('unterminated quoted string in connection info string');
        if (text[i] === '\\' && i + 1 < n) value += text[(i += 2) - 1];
        else if (text[i] === "'") break;
        else value += text[i++];
      }
      i++;
    } else {
      while (i < n && !/\s/.test(text[i])) value += text[i] === '\\' && i + 1 < n ? text[(i += 2) - 1] : text[i++];
    }
    checkKeyword(key);
    out[key] = value;
  }
  return out;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new Error('invalid percent-encoding in URI');
  }
};

/** `postgresql://user:pass@h1:5432,[::1]:5433/db?sslmode=require` into keywords (hosts and ports comma-joined). */
function parseUri(text: string): ConninfoParams {
  const out: ConninfoParams = {};
  let rest = text.replace(/^postgres(ql)?:\/\//, '');
  const at = rest.search(/[@/]/);
  if (at >= 0 && rest[at] === '@') {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(':');
    if (colon < 0) out.user = decode(userinfo);
    else {
      out.user = decode(userinfo.slice(0, colon));
      out.password = decode(userinfo.slice(colon + 1));
    }
    if (!out.user) delete out.user;
  }
  const end = rest.search(/[/?]/);
  const hostspec = end < 0 ? rest : rest.slice(0, end);
  rest = end < 0 ? '' : rest.slice(end);
  const hosts: string[] = [];
  const ports: string[] = [];
  for (const part of hostspec ? hostspec.split(',') : []) {
    const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(part);
    if (!m) throw new Error(`invalid host "${part}" in URI`);
    hosts.push(decode(m[1].replace(/^\[|\]$/g, '')));
    ports.push(m[2] ?? '');
  }
  if (hosts.some((h) => h)) out.host = hosts.join(',');
  if (ports.some((p) => p)) out.port = ports.join(',');
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  if (path.length > 1) out.dbname = decode(path.slice(1));
  if (q >= 0) {
    for (const pair of rest.slice(q + 1).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      if (eq < 0) throw new Error(`missing "=" in URI query parameter "${pair}"`);
      const key = decode(pair.slice(0, eq));
      checkKeyword(key === 'ssl' ? 'sslmode' : key);
      // `?ssl=true` is what JDBC users write; libpq itself only knows sslmode.
      if (key === 'ssl') out.sslmode = pair.slice(eq + 1) === 'true' ? 'require' : 'disable';
      else out[key] = decode(pair.slice(eq + 1));
    }
  }
  return out;
}

/** The keywords of a connection string, URI or `key=value`. Throws with libpq's wording on a malformed one. */
export function parseConninfo(text: string): ConninfoParams {
  const t = text.trim();
  return /^postgres(ql)?:\/\//.test(t) ? parseUri(t) : parseKeyValue(t);
}

/** The local account, as libpq defaults to it; containers running under an unnamed uid have none. */
function localUser(): { username?: string; homedir?: string } {
  try {
    return userInfo();
  } catch {
    return {};
  }
}

function defaultPassfile(env: NodeJS.ProcessEnv): string {
  return `${env.HOME ?? localUser().homedir ?? '.'}/.pgpass`;
}

/**
 * The servers a connection string names (one per host of a multi-host string), each completed from
 * the environment and libpq's defaults. `env` is process.env unless a caller (a test) gives another.
 */
export function resolveTargets(text: string, env: NodeJS.ProcessEnv = process.env): PgTarget[] {
  return targetsOf(parseConninfo(text), env);
}

/** The same for keywords already split (the split-brain check builds them from member addresses). */
export function targetsOf(params: ConninfoParams, env: NodeJS.ProcessEnv = process.env): PgTarget[] {
  const get = (key: string): string | undefined => {
    const v = params[key];
    if (v !== undefined && v !== '') return v;
    const e = ENV[key] ? env[ENV[key]] : undefined;
    return e !== undefined && e !== '' ? e : undefined;
  };
  const hostList = (get('host') ?? get('hostaddr') ?? 'localhost').split(',');
  const portList = (get('port') ?? '5432').split(',');
  if (portList.length !== 1 && portList.length !== hostList.length) throw new Error(`could not match ${portList.length} port numbers to ${hostList.length} hosts`);
  const user = get('user') ?? localUser().username;
  if (!user) throw new Error('no user name given (user=, PGUSER) and the local account has none');
  const sslmode = get('sslmode') ?? 'prefer';
  if (!SSL_MODES.includes(sslmode)) throw new Error(`invalid sslmode value: "${sslmode}"`);
  const timeout = get('connect_timeout');
  const connectTimeoutMs = timeout !== undefined && Number(timeout) > 0 ? Math.max(2, Number(timeout)) * 1000 : undefined;
  const password = get('password');
  return hostList.map((h, i) => {
    const portText = portList.length === 1 ? portList[0] : portList[i];
    const port = Number(portText || '5432');
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port number: "${portText}"`);
    const target: PgTarget = {
      host: h || 'localhost',
      port,
      user,
      database: get('dbname') ?? user,
      passfile: get('passfile') ?? defaultPassfile(env),
      sslmode: sslmode as SslMode,
      sslrootcert: get('sslrootcert'),
      sslcert: get('sslcert'),
      sslkey: get('sslkey'),
      connectTimeoutMs,
      applicationName: get('application_name') ?? 'hatopo',
    };
    Object.defineProperty(target, 'password', { value: password, enumerable: false });
    return target;
  });
}

/** `host:port` for display (IPv6 in brackets; a socket folder as it is). */
export function targetAddress(t: Pick<PgTarget, 'host' | 'port'>): string {
  return `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
}
