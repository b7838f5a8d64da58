// One HTTP(S) GET/POST for the providers: a deadline on the whole exchange, TLS options, basic auth, a size cap.
import type { Agent, IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { RequestOptions as HttpsRequestOptions } from 'node:https';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';

export interface TlsOptions {
  /** PEM file of the CA that signed the server's certificate. */
  caFile?: string;
  /** PEM files of a client certificate and its key, for servers that ask for one. */
  certFile?: string;
  keyFile?: string;
  /** false accepts any server certificate (self-signed labs); never the default. */
  verify?: boolean;
}

export interface HttpOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  timeoutMs: number;
  signal?: AbortSignal;
  username?: string;
  password?: string;
  tls?: TlsOptions;
  body?: string;
  headers?: Record<string, string>;
  /** Responses longer than this are cut off with an error (a wrong endpoint must not fill memory). */
  maxBytes?: number;
  /**
   * Connection settings a relay supplies as they are (the kubeconfig's CA, client certificate and
   * proxy agent for the Kubernetes API server): they take precedence over `tls`.
   */
  connection?: Pick<HttpsRequestOptions, 'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'rejectUnauthorized' | 'servername' | 'auth'> & { agent?: Agent };
}

/** How a request reaches its server: `httpCall` itself, or a relay built on it (the Kubernetes API server's pod proxy). */
export type HttpSend = (url: string, options: HttpOptions) => Promise<HttpResponse>;

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP exchange that failed before a response: refused, timed out, TLS, too large. Its message names the endpoint, never a credential. */
export class HttpError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

function describe(err: NodeJS.ErrnoException, where: string): HttpError {
  switch (err.code) {
    case 'ECONNREFUSED':
      return new HttpError(`connection refused ${where}`, err.code);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new HttpError(`host not found ${where}`, err.code);
    case 'ECONNRESET':
      return new HttpError(`connection reset by ${where}`, err.code);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new HttpError(`no route to ${where}`, err.code);
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
      return new HttpError(`the server requires a client certificate (${where})`, err.code);
    default:
      return new HttpError(`${err.message} (${where})`, err.code ?? 'EHTTP');
  }
}

/** Performs one request; rejects with HttpError on anything but a complete response within the deadline. */
export function httpCall(url: string, options: HttpOptions): Promise<HttpResponse> {
  const u = new URL(url);
  const where = u.host;
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9, */*;q=0.1', ...options.headers };
  const username = options.username ?? (u.username ? decodeURIComponent(u.username) : undefined);
  const password = options.password ?? (u.password ? decodeURIComponent(u.password) : undefined);
  if (username !== undefined || password !== undefined) headers.authorization = `Basic ${Buffer.from(`${username ?? ''}:${password ?? ''}`).toString('base64')}`;
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  const tls = options.tls ?? {};
  const isHttps = u.protocol === 'https:';
  if (!isHttps && u.protocol !== 'http:') return Promise.reject(new HttpError(`unsupported URL scheme '${u.protocol}' (http: or https:)`, 'EPROTO'));
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const base = {
      method: options.method ?? 'GET',
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port || (isHttps ? 443 : 80),
      path: `${u.pathname}${u.search}`,
      headers,
      agent: false as const,
    };
    const { agent, ...given } = options.connection ?? {};
    const relayed = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as typeof given;
    const req = isHttps
      ? httpsRequest({
          ...base,
          ca: tls.caFile ? readFileSync(tls.caFile) : undefined,
          cert: tls.certFile ? readFileSync(tls.certFile) : undefined,
          key: tls.keyFile ? readFileSync(tls.keyFile) : undefined,
          rejectUnauthorized: tls.verify !== false,
          ...relayed,
          ...(agent ? { agent } : {}),
        })
      : httpRequest({ ...base, ...(relayed.auth ? { auth: relayed.auth } : {}), ...(agent ? { agent } : {}) });
    const timer = setTimeout(() => {
      req.destroy();
      finish(() => reject(new HttpError(`timed out after ${options.timeoutMs} ms (${where})`, 'ETIMEDOUT')));
    }, options.timeoutMs);
    const onAbort = () => {
      req.destroy();
      finish(() => reject(new HttpError(`cancelled (${where})`, 'ABORT_ERR')));
    };
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) => finish(() => reject(describe(err, where))));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          req.destroy();
          finish(() => reject(new HttpError(`response larger than ${maxBytes} bytes (${where})`, 'E2BIG')));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => finish(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })));
      res.on('error', (err: NodeJS.ErrnoException) => finish(() => reject(describe(err, where))));
    });
    req.end(options.body);
  });
}

/** GETs JSON (through `send`, httpCall unless given); a non-2xx status or a body that is not JSON is an HttpError naming the status. */
export async function getJson<T = unknown>(url: string, options: HttpOptions, send: HttpSend = httpCall): Promise<T> {
  const res = await send(url, { ...options, method: 'GET' });
  if (res.status === 401 || res.status === 403) throw new HttpError(`authentication failed (${res.status}) at ${new URL(url).host}`, 'EAUTH');
  if (res.status < 200 || res.status >= 300) throw new HttpError(`HTTP ${res.status} from ${new URL(url).host}${new URL(url).pathname}`, `HTTP${res.status}`);
  try {
    return JSON.parse(res.body) as T;
  } catch {
    throw new HttpError(`not JSON from ${new URL(url).host}${new URL(url).pathname}`, 'EJSON');
  }
}
