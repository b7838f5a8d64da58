// Clusters a workspace describes, offered as one-click connections: where a patroni.yml's REST API,
// a sentinel.conf's Sentinel and a haproxy.cfg's stats socket or page can be reached. Pure: the
// caller reads the files (only in a trusted workspace) and the kubeconfig; nothing here does I/O.
// Passwords found in the files are never carried over: at most a user name, as a hint.
import { parseHaproxy } from '../../server/src/core/documents/haproxy/index';
import { parseRedis } from '../../server/src/core/documents/redis/index';
import { pairAtPath, parseYaml } from '../../server/src/core/documents/yaml/yaml-document';
import { DEFAULT_SETTINGS } from '../../server/src/core/types';
import type { SystemKind } from './model';

/** A file of the workspace: its path and its text. */
export interface DiscoveryFile {
  path: string;
  text: string;
}

/** TLS files of a connection, as the `hatopo.clusters` setting names them. */
export interface ClusterTls {
  ca?: string;
  cert?: string;
  key?: string;
  verify?: boolean;
}

/** One connection: an item of the `hatopo.clusters` setting. Never holds a secret. */
export interface ClusterConfig {
  name: string;
  kind: SystemKind;
  /** URLs, socket paths or connection strings, without credentials. */
  endpoints: string[];
  /** Sentinel: the master to show. */
  master?: string;
  /** Kubernetes: the kubeconfig context and namespace. */
  context?: string;
  namespace?: string;
  tls?: ClusterTls;
}

/** Where a candidate was found: a file and the 0-based line that gives its address. */
export interface FoundAt {
  path: string;
  line: number;
}

export interface Candidate extends ClusterConfig {
  foundAt: FoundAt[];
  /** User names the files give for the endpoint (the password stays in the file). */
  usernames?: { api?: string; database?: string };
}

const WILDCARD = new Set(['', '*', '0.0.0.0', '::', '[::]']);

/** `host:port` (IPv6 in brackets) from an address word; a wildcard host becomes `fallbackHost`. */
export function hostPort(address: string, fallbackHost = '127.0.0.1'): { host: string; port: number } | undefined {
  const text = address.trim();
  const m = /^\[([0-9A-Fa-f:.]*)\]:(\d{1,5})$/.exec(text) ?? /^([\w.*-]*):(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  const host = WILDCARD.has(m[1]) ? fallbackHost : m[1];
  return { host: host.includes(':') ? `[${host}]` : host, port };
}

const bracket = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

const lineAt = (text: string, offset: number): number => {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
};

const baseName = (path: string) => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
const stem = (path: string) => baseName(path).replace(/\.[^.]*$/, '');

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** Patroni: `restapi.connect_address`, over https when `restapi.certfile` is set; the cluster is its `scope`. */
function fromPatroni(file: DiscoveryFile): Candidate | undefined {
  // Read as Patroni reads it (YAML 1.1 with PyYAML's scalars).
  const doc = parseYaml(file.text, { version: '1.1', schema: 'pyyaml' }).documents.find((d) => d.doc.contents !== null);
  const config = record(doc?.value);
  const restapi = record(config.restapi);
  const address = hostPort(str(restapi.connect_address) ?? '');
  if (!doc || !address) return undefined;
  const https = str(restapi.certfile) !== undefined;
  const ctl = record(config.ctl);
  const tls = https
    ? prune({ ca: str(ctl.cacert) ?? str(restapi.cafile), cert: str(ctl.certfile), key: str(ctl.keyfile), verify: ctl.insecure === true ? false : undefined })
    : undefined;
  const keyNode = pairAtPath(doc.doc, ['restapi', 'connect_address'])?.key as { range?: [number, number, number] } | undefined;
  const superuser = record(record(record(config.postgresql).authentication).superuser);
  const usernames = prune({ api: str(record(restapi.authentication).username), database: str(superuser.username) });
  return {
    name: str(config.scope) ?? stem(file.path),
    kind: 'patroni',
    endpoints: [`${https ? 'https' : 'http'}://${address.host}:${address.port}`],
    ...(tls && Object.keys(tls).length ? { tls } : {}),
    foundAt: [{ path: file.path, line: keyNode?.range ? lineAt(file.text, keyNode.range[0]) : 0 }],
    ...(Object.keys(usernames).length ? { usernames } : {}),
  };
}

/** Sentinel: where this Sentinel listens (announce-ip, bind, port/tls-port), one candidate per monitored master, with the other Sentinels it knows. */
function fromSentinel(file: DiscoveryFile): Candidate[] {
  const model = parseRedis({ uri: `file://${file.path}`, text: file.text, kind: 'sentinel' }, DEFAULT_SETTINGS);
  let port = 26379;
  let tlsPort: number | undefined;
  let bind: string | undefined;
  let announce: string | undefined;
  const masters: Array<{ name: string; line: number }> = [];
  const known = new Map<string, string[]>();
  for (const d of model.directives) {
    const a = d.args.map((t) => t.value);
    if (d.name === 'port' && /^\d+$/.test(a[0] ?? '')) port = Number(a[0]);
    else if (d.name === 'tls-port' && /^\d+$/.test(a[0] ?? '')) tlsPort = Number(a[0]);
    else if (d.name === 'bind') bind ??= a.map((h) => h.replace(/^-/, '')).find((h) => !WILDCARD.has(h));
    else if (d.sub === 'announce-ip' && a[0]) announce = a[0];
    else if (d.sub === 'monitor' && a[0]) masters.push({ name: a[0], line: d.line });
    else if (d.sub === 'known-sentinel' && a.length >= 3) known.set(a[0], [...(known.get(a[0]) ?? []), `${bracket(a[1])}:${a[2]}`]);
  }
  const useTls = port === 0 && tlsPort !== undefined && tlsPort > 0;
  const host = announce ?? bind ?? '127.0.0.1';
  const self = hostPort(`${bracket(host)}:${useTls ? tlsPort : port}`);
  if (!self) return [];
  const scheme = useTls ? 'rediss' : 'redis';
  return masters.map(({ name, line }) => {
    const others = (known.get(name) ?? []).map((a) => hostPort(a)).filter((a) => a !== undefined);
    const endpoints = [self, ...others].map((a) => `${scheme}://${a.host}:${a.port}`);
    return { name, kind: 'sentinel' as const, master: name, endpoints: [...new Set(endpoints)], foundAt: [{ path: file.path, line }] };
  });
}

/** HAProxy: each `stats socket` of the global section, and each proxy serving the stats page (`stats uri`/`stats enable`) on a bind address. */
function fromHaproxy(file: DiscoveryFile): Candidate[] {
  const model = parseHaproxy({ uri: `file://${file.path}`, text: file.text, kind: 'haproxy' }, DEFAULT_SETTINGS);
  const out: Candidate[] = [];
  const name = stem(file.path);
  for (const section of model.sections) {
    let page: { uri: string; line: number } | undefined;
    let bind: { host: string; port: number; ssl: boolean } | undefined;
    let username: string | undefined;
    for (const l of section.lines) {
      const words = l.keyword === 'stats' ? [l.args[0]?.text, ...l.args.slice(1).map((t) => t.text)] : l.args.map((t) => t.text);
      const keyword = l.keyword === 'stats' && words[0] ? `stats ${words.shift()}` : l.keyword;
      if (keyword === 'stats socket' && section.type === 'global' && words[0]) {
        const endpoint = socketEndpoint(words[0]);
        if (endpoint) out.push({ name: out.some((c) => c.name === name) ? `${name} (${words[0]})` : name, kind: 'haproxy', endpoints: [endpoint], foundAt: [{ path: file.path, line: l.line }] });
      } else if (keyword === 'stats uri' && words[0]) page = { uri: words[0], line: l.line };
      else if (keyword === 'stats enable') page ??= { uri: '/haproxy?stats', line: l.line };
      else if (keyword === 'stats auth' && words[0]) username ??= words[0].split(':')[0];
      else if (keyword === 'bind' && !bind && words[0]) {
        const a = hostPort(words[0].replace(/^ipv[46]@/, ''));
        if (a) bind = { ...a, ssl: words.includes('ssl') };
      }
    }
    if (page && bind && section.type !== 'global' && section.type !== 'defaults') {
      const proxy = section.name?.text ?? section.type;
      out.push({
        name: `${name}/${proxy}`,
        kind: 'haproxy',
        endpoints: [`${bind.ssl ? 'https' : 'http'}://${bind.host}:${bind.port}${page.uri.startsWith('/') ? '' : '/'}${page.uri}`],
        foundAt: [{ path: file.path, line: page.line }],
        ...(username ? { usernames: { api: username } } : {}),
      });
    }
  }
  return out;
}

/** A `stats socket` address as the HAProxy provider takes it: a unix path, or `tcp://host:port`. */
function socketEndpoint(address: string): string | undefined {
  if (address.startsWith('/')) return address;
  if (address.startsWith('unix@')) return address.slice(5);
  const a = hostPort(address.replace(/^(ipv4|ipv6|tcp|tcp4|tcp6)@/, ''));
  return a ? `tcp://${a.host}:${a.port}` : undefined;
}

// Cheap content tests, so only files that can hold a candidate are parsed.
const PATRONI = /^restapi[ \t]*:/m;
const SENTINEL = /^[ \t]*sentinel[ \t]+monitor[ \t]/im;
const HAPROXY = /^[ \t]*stats[ \t]+(socket|uri|enable)\b/m;
const HAPROXY_SECTION = /^(global|defaults|frontend|backend|listen)([ \t]|\r?$)/m;

/**
 * Every cluster the files describe. Patroni members of one scope, and Sentinels monitoring one
 * master name, become one candidate with all their addresses.
 */
export function discoverClusters(files: readonly DiscoveryFile[]): Candidate[] {
  const found: Candidate[] = [];
  for (const file of files) {
    try {
      if (/\.ya?ml$/i.test(file.path) && PATRONI.test(file.text)) {
        const c = fromPatroni(file);
        if (c) found.push(c);
      } else if (SENTINEL.test(file.text) && !/\.ya?ml$/i.test(file.path)) found.push(...fromSentinel(file));
      else if (HAPROXY.test(file.text) && HAPROXY_SECTION.test(file.text)) found.push(...fromHaproxy(file));
    } catch {
      // A file the parsers cannot read offers nothing; the language server reports its problems.
    }
  }
  return mergeCandidates(found);
}

/** Candidates of the same kind and name are one cluster: their endpoints and places are joined. */
export function mergeCandidates(list: readonly Candidate[]): Candidate[] {
  const byKey = new Map<string, Candidate>();
  for (const c of list) {
    const key = `${c.kind}\0${c.name}`;
    const known = byKey.get(key);
    if (!known) {
      byKey.set(key, { ...c, endpoints: [...c.endpoints], foundAt: [...c.foundAt] });
      continue;
    }
    for (const e of c.endpoints) if (!known.endpoints.includes(e)) known.endpoints.push(e);
    known.foundAt.push(...c.foundAt);
    known.tls ??= c.tls;
    if (c.usernames) known.usernames = { ...c.usernames, ...known.usernames };
  }
  return [...byKey.values()];
}

/** A kubeconfig context, as the Kubernetes provider reads it. */
export interface KubeContext {
  name: string;
  namespace?: string;
}

/**
 * The contexts of kubeconfig files merged as kubectl merges KUBECONFIG: the first file that sets
 * current-context wins, and so does the first definition of a context name. Only names and
 * namespaces are read; users, tokens and certificates are left alone.
 */
export function kubeContextsOf(texts: readonly string[]): { current?: string; contexts: KubeContext[] } {
  let current: string | undefined;
  const contexts = new Map<string, KubeContext>();
  for (const text of texts) {
    const config = record(parseYaml(text, { schema: 'kubectl' }).documents[0]?.value);
    current ??= str(config['current-context']);
    for (const item of Array.isArray(config.contexts) ? config.contexts : []) {
      const name = str(record(item).name);
      if (!name || contexts.has(name)) continue;
      const namespace = str(record(record(item).context).namespace);
      contexts.set(name, { name, ...(namespace ? { namespace } : {}) });
    }
  }
  return { ...(current ? { current } : {}), contexts: [...contexts.values()] };
}

/** The current kube context as a candidate (the caller reads the kubeconfig, only in a trusted workspace). */
export function kubernetesCandidates(current: string | undefined, contexts: readonly KubeContext[], kubeconfigPath = '~/.kube/config'): Candidate[] {
  const ctx = contexts.find((c) => c.name === current);
  if (!ctx) return [];
  return [{ name: ctx.name, kind: 'kubernetes', endpoints: [], context: ctx.name, ...(ctx.namespace ? { namespace: ctx.namespace } : {}), foundAt: [{ path: kubeconfigPath, line: 0 }] }];
}

function prune<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
