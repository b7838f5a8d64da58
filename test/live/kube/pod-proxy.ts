// The replay server's pod proxy subresource, `/api/v1/namespaces/NS/pods/[https:]POD[:PORT]/proxy/PATH`,
// as kube-apiserver serves it: the caller already authenticated and authorized (the verb is the
// method's: get, create, update, patch, delete on `pods/proxy`), the request goes to the pod's IP
// and the port named, with its method, query and body, and without the Authorization header the
// API server consumed. The pod's answer comes back as it is; a pod that cannot be reached is a
// 503 Status. Only loopback pod IPs are dialled: the recorded pods' private addresses never are.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export const PROXY_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/proxy(\/.*)?$/;

/** Hop-by-hop headers, and those the API server consumes itself. */
const DROPPED = new Set(['authorization', 'host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length']);

/** The verb RBAC checks for a proxied method (kube-apiserver's RequestInfo for connect requests). */
export function proxyVerb(method: string): string {
  return ({ POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<string, string>)[method] ?? 'get';
}

/** `[https:]name[:port]` of the path; the port defaults as kube-apiserver's does (the scheme's). */
export function podTarget(segment: string): { scheme: 'http' | 'https'; pod: string; port: number } | undefined {
  const m = /^(?:(https?):)?([^:]+)(?::(\d+))?$/.exec(decodeURIComponent(segment));
  if (!m) return undefined;
  const scheme = m[1] === 'https' ? 'https' : 'http';
  return { scheme, pod: m[2], port: m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80 };
}

const isLoopback = (ip: string) => /^127\./.test(ip) || ip === '::1';

export interface Forward {
  scheme: 'http' | 'https';
  ip: string;
  port: number;
  path: string;
  query: string;
  method: string;
  body?: string;
}

function unavailable(res: ServerResponse, message: string): number {
  res.writeHead(503, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'ServiceUnavailable', code: 503 }));
  return 503;
}

/** Sends the request on to the pod and its answer back; resolves with the status returned to the caller. */
export function forwardToPod(req: IncomingMessage, res: ServerResponse, f: Forward): Promise<number> {
  const dial = `dial tcp ${f.ip}:${f.port}`;
  if (!isLoopback(f.ip)) return Promise.resolve(unavailable(res, `error trying to reach service: ${dial}: connect: no route to host`));
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !DROPPED.has(k)) headers[k] = v;
  if (f.body !== undefined) headers['content-length'] = String(Buffer.byteLength(f.body));
  const options = { host: f.ip, port: f.port, method: f.method, path: `${f.path}${f.query}`, headers, timeout: 70_000 };
  return new Promise((resolve) => {
    const upstream = f.scheme === 'https' ? httpsRequest({ ...options, rejectUnauthorized: false }) : httpRequest(options);
    upstream.on('timeout', () => upstream.destroy(new Error('i/o timeout')));
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (res.headersSent) res.destroy();
      else resolve(unavailable(res, `error trying to reach service: ${dial}: ${err.code === 'ECONNREFUSED' ? 'connect: connection refused' : err.message}`));
    });
    upstream.on('response', (answer) => {
      const back: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !DROPPED.has(k)) back[k] = v;
      res.writeHead(answer.statusCode ?? 502, back);
      answer.pipe(res);
      resolve(answer.statusCode ?? 502);
    });
    // The caller gone, the pod is not waited for.
    res.on('close', () => upstream.destroy());
    upstream.end(f.body);
  });
}
