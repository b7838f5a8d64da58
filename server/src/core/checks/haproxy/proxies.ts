import type { ConfigLine, HaproxyModel, Section, Token } from '../../documents/haproxy';
import type { OptionList } from '../../documents/haproxy/options';
import { findOption, readOptions } from '../../documents/haproxy/options';

export type HealthCheck = 'httpchk' | 'tcp-check' | 'pgsql-check' | 'redis-check' | 'mysql-check' | 'ldap-check' | 'smtpchk' | 'ssl-hello-chk' | 'external-check' | 'spop-check';

const CHECK_OPTIONS: Record<string, HealthCheck> = {
  'option httpchk': 'httpchk',
  'option tcp-check': 'tcp-check',
  'option pgsql-check': 'pgsql-check',
  'option redis-check': 'redis-check',
  'option mysql-check': 'mysql-check',
  'option ldap-check': 'ldap-check',
  'option smtpchk': 'smtpchk',
  'option ssl-hello-chk': 'ssl-hello-chk',
  'option external-check': 'external-check',
  'option spop-check': 'spop-check',
};

export interface ServerEntry {
  line: ConfigLine;
  name?: Token;
  options: OptionList;
}

/** What the HA rules need to know about one frontend/backend/listen, defaults applied. */
export interface ProxyInfo {
  section: Section;
  /** The defaults section it inherits from, if any. */
  defaults?: Section;
  servers: ServerEntry[];
  /** default-server lines of the proxy and then of its defaults (the proxy's own come first). */
  defaultServers: ServerEntry[];
  healthCheck?: { kind: HealthCheck; line: ConfigLine };
  /** The HTTP check path from "option httpchk [METHOD] <uri>" or "http-check send ... uri <uri>". */
  checkPath?: { path: string; line: ConfigLine };
  /** An http-check / tcp-check rule line (expect, send, connect), present when checks are rule-based. */
  checkRules: ConfigLine[];
  /** A tcp-check expect for Redis "role:master". */
  redisMasterCheck?: ConfigLine;
}

function serverEntry(line: ConfigLine): ServerEntry {
  return { line, name: line.keyword === 'default-server' ? undefined : line.args[0], options: readOptions(line) };
}

function ownLines(section: Section | undefined): ConfigLine[] {
  return section ? section.lines.filter((l) => !l.directive) : [];
}


function checkPathOf(lines: ConfigLine[]): ProxyInfo['checkPath'] {
  let found: ProxyInfo['checkPath'];
  for (const l of lines) {
    if (l.keyword === 'option httpchk' && l.args.length > 0) {
      // option httpchk <uri> | <method> <uri> [<version>]
      const uri = l.args.length === 1 ? l.args[0] : l.args[1];
      if (uri && uri.text.startsWith('/')) found = { path: uri.text, line: l };
    } else if (l.keyword === 'http-check send') {
      const at = l.args.findIndex((t) => t.text === 'uri');
      if (at >= 0 && l.args[at + 1]) found = { path: l.args[at + 1].text, line: l };
    }
  }
  return found;
}

function proxyInfo(section: Section, defaults: Section | undefined): ProxyInfo {
  const own = ownLines(section);
  const inherited = ownLines(defaults);
  const info: ProxyInfo = { section, defaults, servers: [], defaultServers: [], checkRules: [] };
  for (const l of own) {
    if (l.keyword === 'server' || l.keyword === 'server-template') info.servers.push(serverEntry(l));
    if (l.keyword === 'default-server') info.defaultServers.push(serverEntry(l));
  }
  for (const l of inherited) if (l.keyword === 'default-server') info.defaultServers.push(serverEntry(l));
  for (const l of [...inherited, ...own]) {
    const kind = CHECK_OPTIONS[l.keyword];
    if (kind && l.prefix !== 'no') info.healthCheck = { kind, line: l };
    if (l.keyword.startsWith('http-check ') || l.keyword.startsWith('tcp-check ')) info.checkRules.push(l);
    if (l.keyword === 'tcp-check expect' && l.args.some((t) => /role:master/.test(t.text))) info.redisMasterCheck = l;
  }
  info.checkPath = checkPathOf(own) ?? checkPathOf(inherited);
  return info;
}

const cache = new WeakMap<HaproxyModel, ProxyInfo[]>();

/**
 * Every frontend/backend/listen of the model with its analysis, computed once per model.
 * A proxy inherits from the defaults section it names with "from", else from the last one before it.
 */
export function proxies(model: HaproxyModel): ProxyInfo[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const out: ProxyInfo[] = [];
  const named = new Map<string, Section>();
  let last: Section | undefined;
  for (const s of model.sections) {
    if (s.type === 'defaults') {
      last = s;
      if (s.name) named.set(s.name.text, s);
    } else if (s.type === 'backend' || s.type === 'listen' || s.type === 'frontend') {
      out.push(proxyInfo(s, s.from ? named.get(s.from.text) : last));
    }
  }
  cache.set(model, out);
  return out;
}

/** A server option's value, looking at the server line first and then the default-server lines. */
export function serverOption(info: ProxyInfo, server: ServerEntry | undefined, name: string): { value?: Token; from: ServerEntry } | undefined {
  const chain = server ? [server, ...info.defaultServers] : info.defaultServers;
  for (const entry of chain) {
    const o = findOption(entry.options, name);
    if (o) return { value: o.values[0], from: entry };
  }
  return undefined;
}

/** True when the server runs health checks (its own "check", or one from default-server, and no "no-check"). */
export function serverChecked(info: ProxyInfo, server: ServerEntry): boolean {
  if (findOption(server.options, 'no-check')) return false;
  return serverOption(info, server, 'check') !== undefined;
}

const PRIMARY_PATH = /^\/(primary|master|leader|read-write)\b/;
const REPLICA_PATH = /^\/(replica|read-only|standby-leader|sync|async|asynchronous|synchronous|quorum|health)\b/;

export function isPrimaryPath(path: string): boolean {
  return PRIMARY_PATH.test(path);
}

export function isReplicaPath(path: string): boolean {
  return REPLICA_PATH.test(path) && !/^\/health/.test(path);
}

/** The proxy routes to a primary (write) endpoint according to its health check. */
export function routesToPrimary(info: ProxyInfo): boolean {
  return (info.checkPath !== undefined && isPrimaryPath(info.checkPath.path)) || info.redisMasterCheck !== undefined;
}

/** Patroni REST API ports used in examples and packages. */
export const PATRONI_PORTS = new Set(['8008', '8009', '8010', '8011']);

/** The proxy looks like it fronts a database (PostgreSQL, Patroni, MySQL, Redis), which is where the HA rules apply. */
export function isDatabaseProxy(info: ProxyInfo): boolean {
  if (info.healthCheck && ['pgsql-check', 'redis-check', 'mysql-check'].includes(info.healthCheck.kind)) return true;
  if (info.checkPath && (isPrimaryPath(info.checkPath.path) || isReplicaPath(info.checkPath.path))) return true;
  if (info.redisMasterCheck) return true;
  if (/postgres|pgsql|patroni|\bpg|mysql|maria|galera|redis|\bdb|database|primary|master|replica/i.test(info.section.name?.text ?? '')) return true;
  return info.servers.some((s) => /:(5432|5433|6432|3306|6379)$/.test(s.line.args[1]?.text ?? '') || serverOption(info, s, 'port')?.value?.text === '8008');
}
