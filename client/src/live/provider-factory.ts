// From a connection (settings entry, candidate or typed endpoint) and its stored credentials to the
// provider that reads it. Credentials are handed over in memory only; providers mask them.
import type { TlsOptions } from '../../../live/src/http';
import type { EndpointSpec } from '../../../live/src/connect';
import type { ClusterTls, ClusterConfig } from '../../../live/src/discovery';
import { unreachable } from '../../../live/src/model';
import type { SystemKind } from '../../../live/src/model';
import type { Provider } from '../../../live/src/provider';
import { haproxyProvider } from '../../../live/src/providers/haproxy';
import { kubernetesProvider } from '../../../live/src/providers/kubernetes';
import type { PatroniOptions } from '../../../live/src/providers/patroni';
import { patroniProvider } from '../../../live/src/providers/patroni';
import { postgresProvider } from '../../../live/src/providers/postgres';
import { sentinelProvider } from '../../../live/src/providers/sentinel';
import { mask } from '../../../live/src/secrets';
import type { StoredCredentials } from './credentials';
import { passwordsOf } from './credentials';

export function tlsOptions(tls: ClusterTls | undefined): TlsOptions | undefined {
  if (!tls) return undefined;
  const out: TlsOptions = {};
  if (tls.ca) out.caFile = tls.ca;
  if (tls.cert) out.certFile = tls.cert;
  if (tls.key) out.keyFile = tls.key;
  if (tls.verify === false) out.verify = false;
  return Object.keys(out).length ? out : undefined;
}

/** `redis://host:port` with the Sentinel's user and password put in (in memory, for the provider). */
function withUserinfo(url: string, user: string | undefined, password: string | undefined): string {
  if (!user && !password) return url;
  try {
    const u = new URL(url);
    if (user) u.username = encodeURIComponent(user);
    if (password) u.password = encodeURIComponent(password);
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** A provider that only reports why the connection cannot be made (a malformed endpoint). */
function brokenProvider(kind: SystemKind, source: string, message: string): Provider {
  return { kind, source, read: async (o) => [unreachable(kind, source, source, message, (o.now ?? (() => new Date()))())] };
}

/** The environment the PostgreSQL client reads PGUSER/PGPASSWORD from, with the stored ones on top. */
function pgEnv(user: string | undefined, password: string | undefined): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (user) env.PGUSER = user;
  if (password) env.PGPASSWORD = password;
  return env;
}

/** What the Patroni provider (and its actions) need from a connection and its stored credentials. */
export function patroniOptionsOf(config: ClusterConfig, creds: StoredCredentials | undefined): PatroniOptions {
  const tls = tlsOptions(config.tls);
  const api = creds?.api;
  const db = creds?.database;
  return {
    urls: config.endpoints,
    ...(api?.username ? { username: api.username } : {}),
    ...(api?.password ? { password: api.password } : {}),
    ...(tls ? { tls } : {}),
    ...(db ? { postgres: { ...(db.username ? { user: db.username } : {}), ...(db.password ? { password: db.password } : {}) } } : {}),
  };
}

export function createProvider(config: ClusterConfig, creds: StoredCredentials | undefined): Provider {
  const tls = tlsOptions(config.tls);
  const api = creds?.api;
  const db = creds?.database;
  const source = config.endpoints.join(',') || config.context || config.name;
  try {
    switch (config.kind) {
      case 'patroni':
        return patroniProvider(patroniOptionsOf(config, creds));
      case 'sentinel':
        return sentinelProvider({
          sentinels: config.endpoints.map((e) => withUserinfo(e, api?.username, api?.password)),
          ...(config.master ? { master: config.master } : {}),
          ...(db?.username ? { dataUsername: db.username } : {}),
          ...(db?.password ? { dataPassword: db.password } : {}),
          ...(tls ? { tls } : {}),
        });
      case 'haproxy':
        return haproxyProvider({
          endpoint: config.endpoints[0],
          ...(api?.username ? { username: api.username } : {}),
          ...(api?.password ? { password: api.password } : {}),
          ...(tls ? { tls } : {}),
        });
      case 'postgres':
        return postgresProvider({ connections: config.endpoints, name: config.name, env: pgEnv(db?.username, db?.password) });
      case 'kubernetes':
        return kubernetesProvider({ ...(config.context ? { context: config.context } : {}), ...(config.namespace ? { namespace: config.namespace } : {}) });
    }
  } catch (err) {
    return brokenProvider(config.kind, source, mask(err instanceof Error ? err.message : String(err), passwordsOf(creds)));
  }
}

/**
 * A connection as the endpoint `hatopo` would be given for it, and the environment its PostgreSQL
 * credentials travel in: what live/src/actions/connect.ts prepares actions from.
 */
export function endpointOf(config: ClusterConfig, creds: StoredCredentials | undefined): { endpoint: EndpointSpec; env: NodeJS.ProcessEnv } {
  const tls = tlsOptions(config.tls);
  const api = creds?.api;
  const db = creds?.database;
  const auth = api && (api.username || api.password) ? { ...(api.username ? { username: api.username } : {}), ...(api.password ? { password: api.password } : {}) } : undefined;
  const data = db && (db.username || db.password) ? { ...(db.username ? { username: db.username } : {}), ...(db.password ? { password: db.password } : {}) } : undefined;
  const env = pgEnv(db?.username, db?.password);
  switch (config.kind) {
    case 'patroni':
      return { endpoint: { kind: 'patroni', urls: config.endpoints, ...(auth ? { auth } : {}), ...(tls ? { tls } : {}), checkWritable: data !== undefined }, env };
    case 'sentinel':
      return { endpoint: { kind: 'sentinel', urls: config.endpoints, ...(config.master ? { master: config.master } : {}), ...(auth ? { auth } : {}), ...(data ? { data } : {}), ...(tls ? { tls } : {}) }, env };
    case 'haproxy':
      return { endpoint: { kind: 'haproxy', target: config.endpoints[0], ...(auth ? { auth } : {}), ...(tls ? { tls } : {}) }, env };
    case 'postgres':
      return { endpoint: { kind: 'postgres', connStrings: config.endpoints }, env };
    case 'kubernetes':
      return { endpoint: { kind: 'kubernetes', context: config.context ?? '', ...(config.namespace ? { namespace: config.namespace } : {}) }, env };
  }
}
