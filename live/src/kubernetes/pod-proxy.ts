// A pod's HTTP port through the Kubernetes API server's pod proxy,
// `{server}/api/v1/namespaces/{ns}/pods/[https:]{pod}:{port}/proxy/{path}`, as the kubeconfig
// context's user: client-node's KubeConfig supplies the CA, client certificate, token or exec
// plugin, exactly as for the API calls. It reaches Patroni on Spilo pods, whose api_url is a pod IP
// that only the cluster network can reach. The API server authorizes the proxied method as a verb
// on `pods/proxy`: GET needs `get`, POST `create`, PATCH `patch`, DELETE `delete`.
import type { Agent } from 'node:http';
import type { HttpOptions, HttpResponse } from '../http';
import { HttpError, httpCall } from '../http';
import type { ClusterState } from '../model';
import type { PatroniTransport } from '../providers/patroni';
import { mask } from '../secrets';
import type { KubernetesOptions } from './options';
import { openSession } from './session';

/** The scheme and port of the pod's server, as the proxy path names them. */
export interface PodPort {
  scheme: 'http' | 'https';
  port: number;
}

/** Patroni's REST API as Spilo runs it: plain HTTP on 8008. */
export const PATRONI_REST: PodPort = { scheme: 'http', port: 8008 };

/** Where the pod's paths hang through the API server (no trailing slash); the server's own path prefix is kept. */
export function podProxyBase(server: string, namespace: string, pod: string, target: PodPort = PATRONI_REST): string {
  const name = `${target.scheme === 'https' ? 'https:' : ''}${encodeURIComponent(pod)}:${target.port}`;
  return `${server.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${name}/proxy`;
}

/** The namespace, pod, port and path a pod-proxy URL names; undefined for any other URL. */
export function parsePodProxyUrl(url: string): { namespace: string; pod: string; port: number; scheme: PodPort['scheme']; path: string } | undefined {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const m = /\/api\/v1\/namespaces\/([^/]+)\/pods\/(?:(https?):)?([^/:]+)(?::(\d+))?\/proxy(\/.*)?$/.exec(pathname);
  if (!m) return undefined;
  const scheme = m[2] === 'https' ? 'https' : 'http';
  return { namespace: decodeURIComponent(m[1]), pod: decodeURIComponent(m[3]), scheme, port: m[4] ? Number(m[4]) : scheme === 'https' ? 443 : 80, path: m[5] ?? '/' };
}

/** A member's REST API scheme and port from the api_url Patroni publishes (`http://10.0.0.5:8008/patroni`); `fallback` without one. */
export function podPortOf(apiUrl: string | undefined, fallback: PodPort = PATRONI_REST): PodPort {
  if (!apiUrl) return fallback;
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(apiUrl) ? apiUrl : `http://${apiUrl}`);
    const scheme = u.protocol === 'https:' ? 'https' : u.protocol === 'http:' ? 'http' : undefined;
    if (!scheme) return fallback;
    return { scheme, port: u.port ? Number(u.port) : scheme === 'https' ? 443 : 80 };
  } catch {
    return fallback;
  }
}

/** The pods of a Zalando cluster as Patroni members (Spilo names each member after its pod), the primary first. */
export function zalandoPatroniPods(state: ClusterState): Array<{ member: string; apiUrl?: string }> {
  if (state.error || state.details?.operator !== 'zalando') return [];
  return state.members
    .slice()
    .sort((a, b) => Number(b.role === 'primary') - Number(a.role === 'primary') || a.name.localeCompare(b.name))
    .map((m) => ({ member: m.name, ...(m.apiUrl ? { apiUrl: m.apiUrl } : {}) }));
}

/** The RBAC verb the API server checks on `pods/proxy` for a proxied method. */
export function proxyVerb(method: string): string {
  switch (method.toUpperCase()) {
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return 'get';
  }
}

interface ApiStatus {
  code?: number;
  reason?: string;
  message?: string;
}

/** The API server's own Status object, which it answers with when it refuses or cannot proxy; the pod's answers are passed through as they are. */
function apiStatus(body: string): ApiStatus | undefined {
  if (!body.trimStart().startsWith('{')) return undefined;
  try {
    const o = JSON.parse(body) as { kind?: unknown; apiVersion?: unknown; code?: unknown; reason?: unknown; message?: unknown };
    if (o.kind !== 'Status' || o.apiVersion !== 'v1') return undefined;
    return { code: typeof o.code === 'number' ? o.code : undefined, reason: typeof o.reason === 'string' ? o.reason : undefined, message: typeof o.message === 'string' ? o.message : undefined };
  } catch {
    return undefined;
  }
}

/**
 * The API server's refusal of a proxied request, in words; undefined when the answer is the pod's
 * own (whatever its status). `host` is the API server's.
 */
export function podProxyFailure(url: string, method: string, r: HttpResponse, host: string, secrets: readonly string[] = []): HttpError | undefined {
  if (r.status < 400) return undefined;
  const status = apiStatus(r.body);
  if (!status) return undefined;
  const target = parsePodProxyUrl(url);
  const said = status.message ? mask(status.message, secrets) : undefined;
  const pod = target ? `${target.namespace}/${target.pod}` : 'the pod';
  switch (r.status) {
    case 401:
      return new HttpError(`authentication failed (401 Unauthorized) at ${host}: the user's token or certificate was refused`, 'EAUTH');
    case 403: {
      const verb = proxyVerb(method);
      const ns = target?.namespace ?? 'the namespace';
      return new HttpError(
        `forbidden (403) at ${host}: RBAC does not let the user ${verb} pods/proxy in namespace ${ns}, which ${method.toUpperCase()} ${target?.path ?? '/'} on ${pod} through the API server needs (check: kubectl auth can-i ${verb} pods/proxy -n ${ns})${said ? `; the API server said: ${said}` : ''}`,
        'EAUTH',
      );
    }
    case 404:
      return new HttpError(`${said ?? `pod ${pod} not found`} (404 at ${host})`, 'HTTP404');
    case 500:
    case 502:
    case 503:
    case 504:
      return new HttpError(`the API server could not reach ${pod}${target ? ` port ${target.port}` : ''} (${r.status}${status.reason ? ` ${status.reason}` : ''})${said ? `: ${said}` : ''}`, `HTTP${r.status}`);
    default:
      return new HttpError(`HTTP ${r.status} from the API server at ${host}${said ? `: ${said}` : ''}`, `HTTP${r.status}`);
  }
}

export interface PodProxyOptions {
  kube: KubernetesOptions;
  namespace: string;
  /** The scheme and port of a member whose api_url does not say (Spilo: http on 8008). */
  fallback?: PodPort;
  /** The source shown and audited; default: the API server, the context and the namespace. */
  label?: string;
}

type HttpsSettings = NonNullable<HttpOptions['connection']> & { headers?: Record<string, string> };

/**
 * Patroni's REST API on the pods of one namespace through the pod proxy, as a transport for the
 * Patroni provider and actions. Member names are pod names (as in Spilo). Basic auth for Patroni
 * cannot travel this way: the API server removes the Authorization header it authenticated.
 */
export async function openPodProxy(o: PodProxyOptions): Promise<PatroniTransport> {
  const s = await openSession({ ...o.kube, namespace: o.namespace });
  const host = new URL(s.server).host;
  const fallback = o.fallback ?? PATRONI_REST;
  let agent: Agent | undefined;
  const send = async (url: string, options: HttpOptions): Promise<HttpResponse> => {
    // Asked before every request: an exec plugin's or OIDC token is renewed when it expires.
    const settings: HttpsSettings = {};
    try {
      await s.kc.applyToHTTPSOptions(settings as Parameters<typeof s.kc.applyToHTTPSOptions>[0]);
    } catch (err) {
      throw new HttpError(`the credentials of context ${s.context} could not be had: ${mask(err instanceof Error ? err.message : String(err), s.secrets)}`, 'EAUTH');
    }
    agent = settings.agent;
    const { username: _username, password: _password, tls: _tls, headers, ...rest } = options;
    const connection = { ca: settings.ca, cert: settings.cert, key: settings.key, pfx: settings.pfx, passphrase: settings.passphrase, rejectUnauthorized: settings.rejectUnauthorized, servername: settings.servername, auth: settings.auth, agent: settings.agent };
    const r = await httpCall(url, { ...rest, headers: { ...headers, ...settings.headers }, connection });
    const failure = podProxyFailure(url, options.method ?? 'GET', r, host, s.secrets);
    if (failure) throw failure;
    return r;
  };
  return {
    label: o.label ?? `${s.server} (context ${s.context}) pods/proxy in ${o.namespace}`,
    base: (member, apiUrl) => podProxyBase(s.server, o.namespace, member, podPortOf(apiUrl, fallback)),
    send,
    carriesBasicAuth: false,
    secrets: s.secrets,
    close: async () => agent?.destroy(),
  };
}
