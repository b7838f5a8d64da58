// One API call under a deadline, and what its failure means for the person reading the tree:
// the API server's status codes and the network's errors, worded without any credential.
import type * as K8s from '@kubernetes/client-node';
import { Agent } from 'undici';
import { mask } from '../secrets';
import type { ClientNode } from './session';

export type FailureKind = 'not-found' | 'unauthorized' | 'forbidden' | 'timeout' | 'cancelled' | 'network' | 'tls' | 'http';

/** A failed call, already worded; `kind` decides what the read does with it. */
export class KubeCallError extends Error {
  readonly kind: FailureKind;
  readonly status?: number;
  constructor(kind: FailureKind, message: string, status?: number) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
}

type Dispatcher = NonNullable<ReturnType<K8s.RequestContext['getDispatcher']>>;

/**
 * How long an idle connection is kept: past the 30 s between two reads of a watched context, short
 * of the 90 s after which kube-apiserver closes it (the client should be the one to close). The
 * library's agents keep one 4 s, so every read of a watched context opened a TLS connection per
 * call and paid the handshake again.
 */
export const KEEP_ALIVE_MS = 45_000;

/** The connection pool a session's calls share (each watch stream keeps a connection of its own). */
export interface SharedPool {
  /** The session's credentials, for the pool's own agent; without it the first call's agent is kept. */
  readonly kc?: K8s.KubeConfig;
  dispatcher?: Dispatcher;
  making?: Promise<Dispatcher | undefined>;
}

/** The TLS settings client-node would give its agent, kept by an agent that holds connections longer. */
async function longLivedAgent(kc: K8s.KubeConfig): Promise<Dispatcher | undefined> {
  const https: Record<string, unknown> = {};
  await kc.applyToHTTPSOptions(https);
  const tls = Object.fromEntries(['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'].filter((k) => https[k] !== undefined).map((k) => [k, https[k]]));
  const made = kc.createDispatcherOptions(kc.getCurrentCluster(), tls);
  // Through a proxy the library's own dispatcher is kept as it is.
  if (made.type !== 'agent') return undefined;
  return new Agent({ connect: made.connect, keepAliveTimeout: KEEP_ALIVE_MS }) as unknown as Dispatcher;
}

/**
 * Puts the pool's dispatcher on a call the library prepared: it makes a new TLS agent for every
 * request, which would open a connection (and build a TLS context) per call, every refresh.
 */
async function usePool(ctx: K8s.RequestContext, pool: SharedPool | undefined): Promise<void> {
  const made = ctx.getDispatcher();
  if (!made || !pool) return;
  if (!pool.dispatcher) {
    const own = pool.kc ? await (pool.making ??= longLivedAgent(pool.kc).catch(() => undefined)) : undefined;
    pool.dispatcher ??= own ?? made;
  }
  if (made !== pool.dispatcher) {
    ctx.setDispatcher(pool.dispatcher);
    made.close().catch(() => undefined);
  }
}

/**
 * The per-call options that make client-node's fetch honour `signal` (its calls have no deadline
 * of their own) and share `pool`. The object-parameter API hands these options to the observable
 * layer, hence an observable middleware.
 */
export function callOptions(k8s: ClientNode, signal: AbortSignal, pool?: SharedPool): K8s.ConfigurationOptions {
  const middleware: K8s.ObservableMiddleware = {
    pre: (ctx) => {
      ctx.setSignal(signal);
      return new k8s.Observable(usePool(ctx, pool).then(() => ctx));
    },
    post: (res) => new k8s.Observable(Promise.resolve(res)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}

/** Closes the pool's connections (the reader is closed, or its kubeconfig changed). */
export async function closePool(pool: SharedPool): Promise<void> {
  const d = pool.dispatcher ?? (await pool.making);
  pool.dispatcher = undefined;
  pool.making = undefined;
  await d?.close().catch(() => undefined);
}

const TLS_CODES = /^(UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|CERT_|ERR_TLS_|ERR_SSL_)/;

function networkError(code: string | undefined, where: string): KubeCallError | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return new KubeCallError('network', `connection refused ${where}`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new KubeCallError('network', `host not found ${where}`);
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return new KubeCallError('network', `connection reset by ${where}`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new KubeCallError('network', `no route to ${where}`);
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new KubeCallError('timeout', `connection to ${where} timed out`);
    default:
      if (code && TLS_CODES.test(code)) return new KubeCallError('tls', `TLS: the certificate of ${where} is not trusted (${code}); check the cluster's certificate-authority in the kubeconfig`);
      return undefined;
  }
}

/** The message of the API server's Status object; client-node hands the body over parsed or as text. */
function statusMessage(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const m = (parsed as { message?: unknown } | undefined)?.message;
  return typeof m === 'string' && m.length > 0 ? m : undefined;
}

/**
 * Words any error a call can end with. `where` is the API server's host; `timeoutMs` what the
 * deadline was; `secrets` are masked from whatever text the server or the library supplied.
 */
export function describeFailure(err: unknown, where: string, timeoutMs: number, secrets: readonly string[], signal?: AbortSignal): KubeCallError {
  if (err instanceof KubeCallError) return err;
  const e = err as { code?: unknown; body?: unknown; headers?: unknown; name?: string; cause?: { code?: string; name?: string }; message?: string };
  // Before the status codes: a DOMException carries a numeric legacy code too (23 for a timeout).
  const aborted = e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.cause?.name === 'AbortError' || e?.cause?.name === 'TimeoutError';
  if (aborted) {
    const reason = (signal?.reason as { name?: string } | undefined)?.name;
    if (reason && reason !== 'TimeoutError') return new KubeCallError('cancelled', `cancelled (${where})`);
    return new KubeCallError('timeout', `timed out after ${timeoutMs} ms (${where})`);
  }
  // client-node's ApiException: the HTTP status, the body and the response headers.
  if (typeof e?.code === 'number' && e.code >= 100 && e.code < 600 && 'headers' in e) {
    const status = e.code;
    const said = statusMessage(e.body);
    if (status === 401) return new KubeCallError('unauthorized', `authentication failed (401 Unauthorized) at ${where}: the user's token or certificate was refused`, 401);
    if (status === 403) return new KubeCallError('forbidden', `forbidden (403) at ${where}${said ? `: ${mask(said, secrets)}` : ''}`, 403);
    if (status === 404) return new KubeCallError('not-found', `not found (404) at ${where}`, 404);
    return new KubeCallError('http', `HTTP ${status} from ${where}${said ? `: ${mask(said, secrets)}` : ''}`, status);
  }
  const net = networkError(e?.cause?.code ?? (typeof e?.code === 'string' ? e.code : undefined), where);
  if (net) return net;
  const text = e?.message ?? String(err);
  return new KubeCallError('http', `${mask(text, secrets)} (${where})`);
}
