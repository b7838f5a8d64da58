// From the words a person types (`--patroni URL`, `--sentinel redis://…`) to endpoint specs, with
// credentials resolved the way each system's own tools resolve them, and from specs to providers.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TlsOptions } from './http';
import type { MemberMemory } from './member-memory';
import type { Provider } from './provider';
import { credentialsOf, withoutCredentials } from './secrets';
import { connStringProblem, displayConnString, postgresPasswords, splitConnStrings } from './conninfo';

/** A mistake in the endpoint words: the CLI shows it as a usage error (exit 2). Never carries a secret. */
export class EndpointError extends Error {}

/** What a command line says about the clusters to read; every list is in the order given. */
export interface EndpointWords {
  patroni?: string[];
  sentinel?: string[];
  master?: string;
  haproxy?: string[];
  postgres?: string[];
  kubeContext?: string;
  namespace?: string;
  cacert?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
}

export interface Credentials {
  username?: string;
  password?: string;
}

export type EndpointSpec =
  /**
   * One Patroni cluster: its members' REST URLs, tried in order. `checkWritable`: PostgreSQL
   * credentials are known (PG* variables, the password file), so every member is asked whether it
   * accepts writes (the split-brain check).
   */
  | { kind: 'patroni'; urls: string[]; auth?: Credentials; tls?: TlsOptions; checkWritable: boolean }
  /** The Sentinels watching one set of masters (all, or `master`), tried in order. */
  | { kind: 'sentinel'; urls: string[]; master?: string; auth?: Credentials; data?: Credentials; tls?: TlsOptions }
  /** One HAProxy: a stats socket path, `tcp://host:port`, or the stats page's URL. */
  | { kind: 'haproxy'; target: string; auth?: Credentials; tls?: TlsOptions }
  /** One PostgreSQL replication set: a connection string per server. */
  | { kind: 'postgres'; connStrings: string[] }
  | { kind: 'kubernetes'; context: string; namespace?: string };

const fail = (message: string): never => {
  throw new EndpointError(message);
};

/** An address as a message may show it: without userinfo, even when it is not a valid URL. */
function shown(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#,]*@/gi, '$1');
}

/** Comma-separated URLs, each parsed; `host:port` alone gets `scheme`, a URL without port `defaultPort` (when given). */
function urlList(option: string, value: string, schemes: string[], defaultPort?: number): string[] {
  const out: string[] = [];
  for (const raw of value.split(',').map((s) => s.trim())) {
    if (raw === '') fail(`${option} has an empty address in '${shown(value)}'`);
    const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `${schemes[0]}//${raw}`;
    let u: URL;
    try {
      u = new URL(text);
    } catch {
      return fail(`${option} takes ${schemes.map((s) => `${s}//`).join(' or ')}HOST:PORT, not '${shown(raw)}'`);
    }
    if (!schemes.includes(u.protocol)) fail(`${option} takes ${schemes.map((s) => `${s}//`).join(' or ')} URLs, not '${u.protocol}//' ('${shown(raw)}')`);
    if (!u.hostname) fail(`${option} needs a host in '${shown(raw)}'`);
    if (!u.port && defaultPort !== undefined) u.port = String(defaultPort);
    out.push(u.toString().replace(/\/$/, ''));
  }
  return out;
}

/** Whether any of the URLs carries a user or password of its own (then the environment is not consulted). */
const hasUserinfo = (urls: string[]) => urls.some((u) => credentialsOf(u).username !== undefined || credentialsOf(u).password !== undefined);

function fromEnv(env: NodeJS.ProcessEnv, user: string | undefined, password: string | undefined): Credentials | undefined {
  const c: Credentials = {};
  if (user !== undefined && env[user]) c.username = env[user];
  if (password !== undefined && env[password]) c.password = env[password];
  return c.username === undefined && c.password === undefined ? undefined : c;
}

function tlsOf(words: EndpointWords, exists: (path: string) => boolean): TlsOptions | undefined {
  if ((words.cert === undefined) !== (words.key === undefined)) fail('--cert and --key go together: a client certificate needs its key');
  for (const [option, path] of [['--cacert', words.cacert], ['--cert', words.cert], ['--key', words.key]] as const) {
    if (path !== undefined && !exists(path)) fail(`${option}: no such file '${path}'`);
  }
  const tls: TlsOptions = {};
  if (words.cacert !== undefined) tls.caFile = words.cacert;
  if (words.cert !== undefined) tls.certFile = words.cert;
  if (words.key !== undefined) tls.keyFile = words.key;
  if (words.insecure) tls.verify = false;
  return Object.keys(tls).length ? tls : undefined;
}

/** Whether the environment says how to log in to PostgreSQL, as libpq would read it. */
export function postgresCredentialsKnown(env: NodeJS.ProcessEnv, exists: (path: string) => boolean = existsSync): boolean {
  if (env.PGUSER || env.PGPASSWORD || env.PGPASSFILE || env.PGSERVICE) return true;
  return exists(join(env.HOME ?? homedir(), '.pgpass'));
}

function haproxyTarget(value: string, exists: (path: string) => boolean): string {
  if (value.trim() === '') fail('--haproxy needs a socket path, tcp://HOST:PORT or an http(s):// stats URL');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1].toLowerCase();
  if (scheme === 'http' || scheme === 'https' || scheme === 'tcp') {
    if (value.includes(',')) fail(`--haproxy takes one address; repeat --haproxy for several ('${shown(value)}')`);
    const [url] = urlList('--haproxy', value, [`${scheme}:`], scheme === 'tcp' ? 9999 : undefined);
    if (scheme === 'tcp' && credentialsOf(url).password !== undefined) fail('--haproxy: a stats socket has no password; remove it from the tcp:// address');
    return url;
  }
  if (scheme === 'unix') return resolve(value.slice('unix://'.length));
  if (scheme !== undefined) fail(`--haproxy takes a socket path, tcp://HOST:PORT or an http(s):// stats URL, not '${scheme}://'`);
  // `host:port` that is not a file is a TCP socket written without its scheme: say so rather than fail later.
  if (/^[\w.-]+:\d+$/.test(value) && !exists(value)) fail(`--haproxy: no socket file '${value}'; for a TCP stats socket write tcp://${value}`);
  return resolve(value);
}

function postgresSet(value: string): string[] {
  const list = splitConnStrings(value);
  for (const c of list) {
    const problem = connStringProblem(c);
    if (problem) fail(`--postgres: ${problem}`);
  }
  return list;
}

/**
 * Endpoint specs from the words of a command line. Credentials: a URL's userinfo, else the
 * environment the system's own tools read (PATRONI_RESTAPI_USERNAME/PASSWORD as patronictl,
 * REDISCLI_AUTH as redis-cli; HATOPO_REDIS_USERNAME/PASSWORD for Redis data nodes,
 * HATOPO_HAPROXY_USERNAME/PASSWORD for the stats page; PostgreSQL's PG* variables and ~/.pgpass
 * are read by the client library itself, as by every PostgreSQL tool).
 */
export function parseEndpoints(words: EndpointWords, env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): EndpointSpec[] {
  const tls = tlsOf(words, exists);
  const specs: EndpointSpec[] = [];
  for (const value of words.patroni ?? []) {
    const urls = urlList('--patroni', value, ['http:', 'https:'], 8008);
    const auth = hasUserinfo(urls) ? undefined : fromEnv(env, 'PATRONI_RESTAPI_USERNAME', 'PATRONI_RESTAPI_PASSWORD');
    specs.push({ kind: 'patroni', urls, ...(auth ? { auth } : {}), ...(tls ? { tls } : {}), checkWritable: postgresCredentialsKnown(env, exists) });
  }
  if (words.master !== undefined) {
    if (!words.sentinel?.length) fail('--master names a master monitored by Sentinel: give --sentinel redis://HOST:PORT too');
    if (!/^[^\s]+$/.test(words.master)) fail(`--master takes a master name as Sentinel knows it, not '${words.master}'`);
  }
  for (const value of words.sentinel ?? []) {
    const urls = urlList('--sentinel', value, ['redis:', 'rediss:'], 26379);
    const auth = hasUserinfo(urls) ? undefined : fromEnv(env, undefined, 'REDISCLI_AUTH');
    const data = fromEnv(env, 'HATOPO_REDIS_USERNAME', 'HATOPO_REDIS_PASSWORD');
    specs.push({ kind: 'sentinel', urls, ...(words.master !== undefined ? { master: words.master } : {}), ...(auth ? { auth } : {}), ...(data ? { data } : {}), ...(tls ? { tls } : {}) });
  }
  for (const value of words.haproxy ?? []) {
    const target = haproxyTarget(value, exists);
    const web = /^https?:/.test(target);
    const auth = web && !hasUserinfo([target]) ? fromEnv(env, 'HATOPO_HAPROXY_USERNAME', 'HATOPO_HAPROXY_PASSWORD') : undefined;
    specs.push({ kind: 'haproxy', target, ...(auth ? { auth } : {}), ...(tls && web ? { tls } : {}) });
  }
  for (const value of words.postgres ?? []) specs.push({ kind: 'postgres', connStrings: postgresSet(value) });
  if (words.namespace !== undefined && words.kubeContext === undefined) fail('--namespace goes with --kube-context NAME');
  if (words.kubeContext !== undefined) {
    if (words.kubeContext.trim() === '') fail('--kube-context needs the name of a context of your kubeconfig');
    if (words.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(words.namespace)) fail(`--namespace takes a Kubernetes namespace name, not '${words.namespace}'`);
    specs.push({ kind: 'kubernetes', context: words.kubeContext, ...(words.namespace !== undefined ? { namespace: words.namespace } : {}) });
  }
  if (specs.length === 0) fail('no cluster given: --patroni URL, --sentinel redis://HOST:PORT, --haproxy SOCKET|URL, --postgres CONNSTRING or --kube-context NAME');
  return specs;
}

/**
 * The environment variables that hold passwords, by the kind of endpoint that reads them: masked
 * wherever that kind is read. (A variable no endpoint reads is left alone: a PGPASSWORD of
 * `postgres` would otherwise hide the word everywhere in a Sentinel's output.)
 */
export const SECRET_VARIABLES: Record<EndpointSpec['kind'], readonly string[]> = {
  patroni: ['PATRONI_RESTAPI_PASSWORD', 'PGPASSWORD'],
  sentinel: ['REDISCLI_AUTH', 'HATOPO_REDIS_PASSWORD'],
  haproxy: ['HATOPO_HAPROXY_PASSWORD'],
  postgres: ['PGPASSWORD'],
  kubernetes: [],
};

/** Every secret the specs (and the environment they were resolved from) hold: what output is masked with. */
export function secretsOf(specs: readonly EndpointSpec[], env: NodeJS.ProcessEnv = process.env): string[] {
  const out = new Set<string>();
  const add = (s: string | undefined) => {
    if (s) out.add(s);
  };
  for (const spec of specs) {
    if (spec.kind === 'patroni' || spec.kind === 'sentinel') {
      for (const u of spec.urls) add(credentialsOf(u).password);
      add(spec.auth?.password);
    }
    if (spec.kind === 'sentinel') add(spec.data?.password);
    if (spec.kind === 'haproxy') {
      add(credentialsOf(spec.target).password);
      add(spec.auth?.password);
    }
    if (spec.kind === 'postgres') for (const c of spec.connStrings) postgresPasswords(c).forEach(add);
  }
  for (const spec of specs) for (const name of SECRET_VARIABLES[spec.kind]) add(env[name]);
  return [...out];
}

/** How a spec is shown: its kind and addresses without credentials. */
export function describeSpec(spec: EndpointSpec): string {
  switch (spec.kind) {
    case 'patroni':
    case 'sentinel':
      return `${spec.kind} ${spec.urls.map(withoutCredentials).join(',')}`;
    case 'haproxy':
      return `haproxy ${withoutCredentials(spec.target)}`;
    case 'postgres':
      return `postgres ${spec.connStrings.map(displayConnString).join(',')}`;
    case 'kubernetes':
      return `kubernetes ${spec.context}${spec.namespace ? `/${spec.namespace}` : ''}`;
  }
}

/** The URL with a password (and user) put in its userinfo, where the provider reads Sentinel's. */
function withAuth(url: string, auth: Credentials | undefined): string {
  if (!auth) return url;
  const u = new URL(url);
  if (auth.username !== undefined) u.username = encodeURIComponent(auth.username);
  if (auth.password !== undefined) u.password = encodeURIComponent(auth.password);
  return u.toString().replace(/\/$/, '');
}

/**
 * The provider that reads a spec. Each system's client library is loaded here, on first use, so a
 * command that reads only Patroni does not pay for the Redis, PostgreSQL or Kubernetes clients.
 */
export async function providerFor(spec: EndpointSpec, env: NodeJS.ProcessEnv = process.env, memory?: MemberMemory): Promise<Provider> {
  switch (spec.kind) {
    case 'patroni': {
      const { patroniProvider } = await import('./providers/patroni');
      return patroniProvider({ urls: spec.urls, ...spec.auth, ...(spec.tls ? { tls: spec.tls } : {}), ...(spec.checkWritable ? { postgres: {} } : {}), ...(memory ? { memory } : {}), env });
    }
    case 'sentinel': {
      const { sentinelProvider } = await import('./providers/sentinel');
      return sentinelProvider({
        sentinels: spec.urls.map((u) => withAuth(u, spec.auth)),
        ...(spec.master !== undefined ? { master: spec.master } : {}),
        ...(spec.data?.username !== undefined ? { dataUsername: spec.data.username } : {}),
        ...(spec.data?.password !== undefined ? { dataPassword: spec.data.password } : {}),
        ...(spec.tls ? { tls: spec.tls } : {}),
      });
    }
    case 'haproxy': {
      const { haproxyProvider } = await import('./providers/haproxy');
      return haproxyProvider({ endpoint: spec.target, ...spec.auth, ...(spec.tls ? { tls: spec.tls } : {}) });
    }
    case 'postgres': {
      const { postgresProvider } = await import('./providers/postgres');
      return postgresProvider({ connections: spec.connStrings, env });
    }
    case 'kubernetes': {
      const { kubernetesProvider } = await import('./providers/kubernetes');
      return kubernetesProvider({ context: spec.context, ...(spec.namespace !== undefined ? { namespace: spec.namespace } : {}) });
    }
  }
}
