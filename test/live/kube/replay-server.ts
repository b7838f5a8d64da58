// A stand-in for the Kubernetes API server, for the Kubernetes provider's tests: no API server can
// run on these machines, so this HTTPS server answers the calls the provider makes (lists, watch
// streams) in the API server's own shapes, from recorded objects (recordings/, see its README).
// What it imitates: bearer-token and client-certificate authentication (401), per-namespace
// authorization (403, checked before the path is routed, as the real one does), 404 for kinds
// not installed, resourceVersions, label selectors, and watches that replay history from a
// resourceVersion and stay open until they time out or the test ends them. And the writes the
// actions make: PATCH of an object or of its status subresource, as a JSON merge patch (RFC 7386)
// or a JSON patch (RFC 6902), with the API server's optimistic lock (a resourceVersion in the
// patch that is not the stored one: 409) — each recorded with its method, content type and body.
// And the pod proxy subresource (./pod-proxy.ts), authorized per verb on `pods/proxy`.
import { createServer } from 'node:https';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { matches } from './label-selector';
import { PROXY_PATH, forwardToPod, podTarget, proxyVerb } from './pod-proxy';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** One request as the server received it; `body` only for writes. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  watch: boolean;
  user?: string;
  status: number;
  at: number;
  contentType?: string;
  body?: string;
}

/** A kind the server serves: `group` empty for the core API; its versions share one store. */
export interface Served {
  group: string;
  versions: string[];
  plural: string;
  kind: string;
  namespaced: boolean;
}

export interface ReplayOptions {
  port: number;
  key: string;
  cert: string;
  /** Client certificates signed by this CA are accepted as the user their CN names. */
  clientCa?: string;
  /**
   * Bearer token → what it may read: `*` everything; else the namespaces, and the cluster-scoped
   * kinds (by plural) it may list.
   */
  tokens: Record<string, '*' | { namespaces: string[]; cluster?: string[] }>;
}

interface WatchStream {
  path: string;
  served: Served;
  namespace?: string;
  selector?: string;
  res: ServerResponse;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** kube-apiserver's http.Server IdleTimeout, and its cacher's bookmark frequency. */
const IDLE_MS = 90_000;
const BOOKMARK_MS = 60_000;

export const CORE: Served[] = [
  { group: '', versions: ['v1'], plural: 'pods', kind: 'Pod', namespaced: true },
  { group: '', versions: ['v1'], plural: 'nodes', kind: 'Node', namespaced: false },
  { group: '', versions: ['v1'], plural: 'namespaces', kind: 'Namespace', namespaced: false },
];

// A collection, or one object (`…/plural/name`) and its status subresource (`…/name/status`).
const PATH = /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+)(?:\/(status))?)?$/;

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export class ReplayServer {
  readonly url: string;
  /** Every request: method, path and query, and who made it (never the token itself). */
  readonly requests: RecordedRequest[] = [];
  /** Called after each accepted PATCH with the stored result: tests act as the operator from here. */
  private readonly patchListeners = new Set<(o: KubeObject, sub: string | undefined) => void>();
  private readonly served = new Map<string, Served>();
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: Array<{ rv: number; served: Served; type: EventType; object: KubeObject }> = [];
  private readonly streams = new Set<WatchStream>();
  private readonly sockets = new Set<Socket>();
  private readonly idleTimers = new WeakMap<Socket, NodeJS.Timeout>();
  private rv = 1000;
  /** Watches asking to start before this resourceVersion get 410 Gone, as after etcd compaction. */
  private compactedBefore = 0;
  /** Every answer waits this long: an overloaded or unreachable-but-accepting API server. */
  private stallMs = 0;
  /** `user verb resource` that RBAC refuses, whatever the user's grant. */
  private readonly denied = new Set<string>();
  /** Run before each read is answered: tests bring objects up to date with a real system from here. */
  private readonly readHooks = new Set<(path: string) => Promise<void>>();

  private constructor(
    private readonly server: Server,
    private readonly options: ReplayOptions,
  ) {
    this.url = `https://127.0.0.1:${options.port}`;
    for (const s of CORE) this.serve(s);
  }

  static async start(options: ReplayOptions): Promise<ReplayServer> {
    const server = createServer({ key: options.key, cert: options.cert, ca: options.clientCa, requestCert: Boolean(options.clientCa), rejectUnauthorized: false });
    // kube-apiserver keeps a connection idle between requests for 90 s and announces no Keep-Alive
    // timeout, so clients keep theirs as long as they choose; Node's default closes after 5 s.
    server.keepAliveTimeout = 0;
    const replay = new ReplayServer(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      replay.closeWhenIdle(req.socket, res);
      replay.handle(req, res);
    });
    server.on('secureConnection', (s: Socket) => {
      replay.sockets.add(s);
      s.on('close', () => replay.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => resolve());
    });
    return replay;
  }

  /** Closes the connection IDLE_MS after its last answer unless another request comes, as kube-apiserver does. */
  private closeWhenIdle(socket: Socket, res: ServerResponse): void {
    clearTimeout(this.idleTimers.get(socket));
    res.on('close', () => {
      const timer = setTimeout(() => socket.destroy(), IDLE_MS);
      timer.unref();
      this.idleTimers.set(socket, timer);
    });
  }

  private key(s: Pick<Served, 'group' | 'plural'>): string {
    return `${s.plural}.${s.group}`;
  }

  serve(s: Served): void {
    this.served.set(this.key(s), s);
    if (!this.objects.has(this.key(s))) this.objects.set(this.key(s), new Map());
  }

  /** Stops serving a kind: its operator is uninstalled (lists and watches get 404). */
  unserve(s: Pick<Served, 'group' | 'plural'>): void {
    this.served.delete(this.key(s));
  }

  private servedFor(o: KubeObject): Served {
    const [group, version] = o.apiVersion?.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
    const s = [...this.served.values()].find((x) => x.group === group && version !== undefined && x.versions.includes(version) && x.kind === o.kind);
    if (!s) throw new Error(`no served kind for ${o.apiVersion} ${o.kind}`);
    return s;
  }

  /** Adds or replaces an object and pushes ADDED or MODIFIED to the watches it matches. */
  put(o: KubeObject): KubeObject {
    const s = this.servedFor(o);
    const store = this.objects.get(this.key(s)) ?? new Map<string, KubeObject>();
    this.objects.set(this.key(s), store);
    const id = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const type: EventType = store.has(id) ? 'MODIFIED' : 'ADDED';
    const copy = structuredClone(o);
    copy.metadata.resourceVersion = String(++this.rv);
    store.set(id, copy);
    this.emit(s, type, copy);
    return copy;
  }

  /** Changes a stored object in place (as a controller would) and pushes MODIFIED. */
  update(apiVersion: string, kind: string, namespace: string | undefined, name: string, change: (o: KubeObject) => void): KubeObject {
    const o = this.get(apiVersion, kind, namespace, name);
    const copy = structuredClone(o);
    change(copy);
    return this.put(copy);
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject {
    const s = this.servedFor({ apiVersion, kind, metadata: { name } });
    const o = this.objects.get(this.key(s))?.get(`${namespace ?? ''}/${name}`);
    if (!o) throw new Error(`no ${kind} ${namespace ?? ''}/${name}`);
    return o;
  }

  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): void {
    const o = this.get(apiVersion, kind, namespace, name);
    const s = this.servedFor(o);
    this.objects.get(this.key(s))?.delete(`${namespace ?? ''}/${name}`);
    const gone = structuredClone(o);
    gone.metadata.resourceVersion = String(++this.rv);
    this.emit(s, 'DELETED', gone);
  }

  /** Ends every open watch stream, as the API server does when a watch's timeout passes. */
  endWatches(): void {
    for (const w of this.streams) w.res.end();
    this.streams.clear();
  }

  /** Calls `fn` after every accepted PATCH; returns the function that stops it. */
  onPatch(fn: (o: KubeObject, sub: string | undefined) => void): () => void {
    this.patchListeners.add(fn);
    return () => this.patchListeners.delete(fn);
  }

  /** RBAC refuses `verb` on `resource` (`pods/proxy`) to `user` (as `requests` names it) until the returned function is called. */
  deny(user: string, verb: string, resource: string): () => void {
    const rule = `${user} ${verb} ${resource}`;
    this.denied.add(rule);
    return () => this.denied.delete(rule);
  }

  /** Calls `fn` with the path of every GET (watches excepted) before it is answered; returns the function that stops it. */
  beforeRead(fn: (path: string) => Promise<void>): () => void {
    this.readHooks.add(fn);
    return () => this.readHooks.delete(fn);
  }

  /** Makes every answer wait `ms` (0: answer at once again). */
  stall(ms: number): void {
    this.stallMs = ms;
  }

  /** Forgets history: watches from an older resourceVersion are answered 410 Gone. */
  compact(): void {
    this.compactedBefore = this.rv + 1;
    this.history.length = 0;
  }

  /** Open watch streams, all of them or those on one path. */
  openWatches(path?: string): number {
    return [...this.streams].filter((w) => path === undefined || w.path === path).length;
  }

  async stop(): Promise<void> {
    this.endWatches();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private emit(s: Served, type: EventType, object: KubeObject): void {
    this.history.push({ rv: Number(object.metadata.resourceVersion), served: s, type, object });
    for (const w of this.streams) if (w.served === s && this.visible(object, w.namespace, w.selector)) this.send(w.res, type, object);
  }

  private visible(o: KubeObject, namespace: string | undefined, selector: string | undefined): boolean {
    return (namespace === undefined || o.metadata.namespace === namespace) && matches(selector, o.metadata.labels ?? {});
  }

  private send(res: ServerResponse, type: string, object: unknown): void {
    res.write(`${JSON.stringify({ type, object })}\n`);
  }

  private user(req: IncomingMessage): { name: string; grant: ReplayOptions['tokens'][string] } | undefined {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const token = auth.slice('Bearer '.length);
      const grant = this.options.tokens[token];
      return grant ? { name: `token#${Object.keys(this.options.tokens).indexOf(token)}`, grant } : undefined;
    }
    const socket = req.socket as TLSSocket;
    if (this.options.clientCa && socket.authorized) return { name: `cert:${socket.getPeerCertificate().subject?.CN ?? '?'}`, grant: '*' };
    return undefined;
  }

  private reply(res: ServerResponse, code: number, body: unknown): number {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    return code;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    // Reads have no body; a write's is read in full before it is answered.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = req.method === 'GET' ? undefined : Buffer.concat(chunks).toString('utf8');
      const go = () => {
        if (this.stallMs <= 0) return this.answer(req, res, body);
        const timer = setTimeout(() => this.answer(req, res, body), this.stallMs);
        res.on('close', () => clearTimeout(timer));
      };
      const u = new URL(req.url ?? '/', this.url);
      if (req.method !== 'GET' || !this.readHooks.size || ['true', '1'].includes(u.searchParams.get('watch') ?? '')) return go();
      void Promise.all([...this.readHooks].map((fn) => fn(u.pathname).catch(() => undefined))).then(go);
    });
  }

  private answer(req: IncomingMessage, res: ServerResponse, body: string | undefined): void {
    if (res.destroyed) return;
    const u = new URL(req.url ?? '/', this.url);
    const watch = ['true', '1'].includes(u.searchParams.get('watch') ?? '');
    const method = req.method ?? 'GET';
    const log: RecordedRequest = { method, path: u.pathname, query: u.search, watch, user: undefined, status: 0, at: Date.now() };
    if (body !== undefined) Object.assign(log, { contentType: req.headers['content-type'], body });
    this.requests.push(log);
    const user = this.user(req);
    if (!user) {
      log.status = this.reply(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    log.user = user.name;
    const proxied = PROXY_PATH.exec(u.pathname);
    if (proxied) {
      this.proxy(req, res, log, user, proxied, u.search, body);
      return;
    }
    const m = PATH.exec(u.pathname);
    const [, group = '', version = 'v1', namespace, plural, name, sub] = m ?? [];
    const grant = user.grant;
    const allowed = grant === '*' || (namespace !== undefined ? grant.namespaces.includes(namespace) : (grant.cluster ?? []).includes(plural ?? ''));
    if (!allowed) {
      const where = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      const verb = method === 'PATCH' ? 'patch' : watch ? 'watch' : name ? 'get' : 'list';
      log.status = this.reply(res, 403, status(403, 'Forbidden', `${plural ?? 'resource'}${group ? `.${group}` : ''} is forbidden: User "${user.name}" cannot ${verb} resource "${plural}" in API group "${group}" ${where}`));
      return;
    }
    const s = m ? this.served.get(this.key({ group, plural })) : undefined;
    if (!s || !s.versions.includes(version) || (namespace !== undefined && !s.namespaced) || (name === undefined && method !== 'GET')) {
      log.status = this.reply(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    if (name !== undefined) {
      log.status = this.one(s, namespace, name, sub, method, log.contentType, body, res);
      return;
    }
    const selector = u.searchParams.get('labelSelector') ?? undefined;
    if (watch) {
      log.status = this.openWatch(u.pathname, s, namespace, selector, u.searchParams, res);
      return;
    }
    const core = s.group === '';
    const items = [...(this.objects.get(this.key(s))?.values() ?? [])]
      .filter((o) => this.visible(o, namespace, selector))
      .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`))
      // Typed core lists leave kind and apiVersion out of their items; custom resource lists keep them.
      .map((o) => (core ? { ...o, kind: undefined, apiVersion: undefined } : o));
    log.status = this.reply(res, 200, { apiVersion: core ? 'v1' : `${s.group}/${version}`, kind: `${s.kind}List`, metadata: { resourceVersion: String(this.rv) }, items });
  }

  /** The pod proxy subresource: RBAC on `pods/proxy` with the method's verb, then the pod's own answer. */
  private proxy(req: IncomingMessage, res: ServerResponse, log: RecordedRequest, user: { name: string; grant: ReplayOptions['tokens'][string] }, m: RegExpExecArray, query: string, body: string | undefined): void {
    const [, namespace, segment, path = '/'] = m;
    const target = podTarget(segment);
    const verb = proxyVerb(log.method);
    const grant = user.grant;
    if (!target || (grant !== '*' && !grant.namespaces.includes(namespace)) || this.denied.has(`${user.name} ${verb} pods/proxy`)) {
      const name = target?.pod ?? segment;
      log.status = this.reply(res, 403, status(403, 'Forbidden', `pods "${name}" is forbidden: User "${user.name}" cannot ${verb} resource "pods/proxy" in API group "" in the namespace "${namespace}"`));
      return;
    }
    const pod = this.objects.get(this.key({ group: '', plural: 'pods' }))?.get(`${namespace}/${target.pod}`);
    if (!pod) {
      log.status = this.reply(res, 404, status(404, 'NotFound', `pods "${target.pod}" not found`));
      return;
    }
    const ip = (pod.status as { podIP?: string } | undefined)?.podIP;
    if (!ip) {
      log.status = this.reply(res, 503, status(503, 'ServiceUnavailable', `pod ${target.pod} has no IP`));
      return;
    }
    void forwardToPod(req, res, { scheme: target.scheme, ip, port: target.port, path, query, method: log.method, body }).then((code) => (log.status = code));
  }

  /** GET or PATCH of one object (`sub`: its status subresource). */
  private one(s: Served, namespace: string | undefined, name: string, sub: string | undefined, method: string, contentType: string | undefined, body: string | undefined, res: ServerResponse): number {
    const stored = this.objects.get(this.key(s))?.get(`${namespace ?? ''}/${name}`);
    const what = `${s.plural}${s.group ? `.${s.group}` : ''}`;
    if (!stored) return this.reply(res, 404, status(404, 'NotFound', `${what} "${name}" not found`));
    if (method === 'GET') return this.reply(res, 200, stored);
    if (method !== 'PATCH') return this.reply(res, 405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));
    let patched: KubeObject;
    try {
      const doc = JSON.parse(body ?? '') as unknown;
      const type = (contentType ?? '').split(';')[0].trim();
      if (type === 'application/merge-patch+json') patched = mergePatch(structuredClone(stored), doc) as KubeObject;
      else if (type === 'application/json-patch+json') patched = jsonPatch(structuredClone(stored), doc as JsonPatchOp[]) as KubeObject;
      else return this.reply(res, 415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`));
    } catch (e) {
      return this.reply(res, 422, status(422, 'Invalid', `the patch could not be applied: ${(e as Error).message}`));
    }
    const asked = patched.metadata?.resourceVersion;
    if (asked !== undefined && asked !== stored.metadata.resourceVersion) {
      return this.reply(res, 409, status(409, 'Conflict', `Operation cannot be fulfilled on ${what} "${name}": the object has been modified; please apply your changes to the latest version and try again`));
    }
    // The status subresource takes only status; the object itself takes everything but status.
    const result = sub ? { ...structuredClone(stored), status: patched.status } : { ...patched, status: structuredClone(stored.status) };
    if (result.status === undefined) delete result.status;
    result.metadata = { ...result.metadata, name: stored.metadata.name, namespace: stored.metadata.namespace };
    const saved = this.put(result as KubeObject);
    for (const fn of this.patchListeners) fn(saved, sub);
    return this.reply(res, 200, saved);
  }

  private openWatch(path: string, s: Served, namespace: string | undefined, selector: string | undefined, q: URLSearchParams, res: ServerResponse): number {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const from = Number(q.get('resourceVersion') ?? '0');
    if (from && from < this.compactedBefore) {
      this.send(res, 'ERROR', status(410, 'Expired', `too old resource version: ${from} (${this.compactedBefore})`));
      res.end();
      return 200;
    }
    // Without a version a watch starts with every object as ADDED; with one, with what came after it.
    if (!from) for (const o of this.objects.get(this.key(s))?.values() ?? []) if (this.visible(o, namespace, selector)) this.send(res, 'ADDED', o);
    for (const e of this.history) if (e.rv > from && e.served === s && this.visible(e.object, namespace, selector)) this.send(res, e.type, e.object);
    const stream: WatchStream = { path, served: s, namespace, selector, res };
    this.streams.add(stream);
    const seconds = Number(q.get('timeoutSeconds') ?? '0');
    const timer = seconds > 0 ? setTimeout(() => res.end(), seconds * 1000) : undefined;
    // A quiet stream gets a bookmark about once a minute, with the version the server is at.
    const bookmarks = q.get('allowWatchBookmarks') === 'true' ? setInterval(() => this.send(res, 'BOOKMARK', { kind: s.kind, apiVersion: s.group ? `${s.group}/${s.versions[0]}` : 'v1', metadata: { resourceVersion: String(this.rv) } }), BOOKMARK_MS) : undefined;
    res.on('close', () => {
      clearTimeout(timer);
      clearInterval(bookmarks);
      this.streams.delete(stream);
    });
    return 200;
  }
}

/** RFC 7386: objects merge key by key, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

/** RFC 6902, the operations the tests need (add, remove, replace, test) with JSON-pointer escapes. */
export function jsonPatch(doc: unknown, ops: JsonPatchOp[]): unknown {
  if (!Array.isArray(ops)) throw new Error('a JSON patch is a list of operations');
  for (const op of ops) {
    const keys = op.path.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    if (last === undefined) throw new Error(`bad path ${op.path}`);
    let parent = doc as Record<string, unknown>;
    for (const k of keys) {
      if (parent[k] === undefined || parent[k] === null || typeof parent[k] !== 'object') throw new Error(`no ${op.path}`);
      parent = parent[k] as Record<string, unknown>;
    }
    const list = Array.isArray(parent) ? (parent as unknown[]) : undefined;
    switch (op.op) {
      case 'test':
        if (JSON.stringify(parent[last]) !== JSON.stringify(op.value)) throw new Error(`test failed at ${op.path}`);
        break;
      case 'remove':
        if (!(last in parent)) throw new Error(`no ${op.path}`);
        if (list) list.splice(Number(last), 1);
        else delete parent[last];
        break;
      case 'replace':
        if (!(last in parent)) throw new Error(`no ${op.path}`);
        parent[last] = op.value;
        break;
      case 'add':
        if (list) list.splice(last === '-' ? list.length : Number(last), 0, op.value);
        else parent[last] = op.value;
        break;
      default:
        throw new Error(`unsupported op ${(op as { op: string }).op}`);
    }
  }
  return doc;
}
