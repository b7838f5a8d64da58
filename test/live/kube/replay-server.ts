// A stand-in for the Kubernetes API server, for the Kubernetes provider's tests: no API server can
// run on these machines, so this HTTPS server answers the calls the provider makes (lists, watch
// streams) in the API server's own shapes, from recorded objects (recordings/, see its README).
// What it imitates: bearer-token and client-certificate authentication (401), per-namespace
// authorization (403, checked before the path is routed, as the real one does), 404 for kinds
// not installed, resourceVersions, label selectors, and watches that replay history from a
// resourceVersion and stay open until they time out or the test ends them.
import { createServer } from 'node:https';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { matches } from './label-selector';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
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

export const CORE: Served[] = [
  { group: '', versions: ['v1'], plural: 'pods', kind: 'Pod', namespaced: true },
  { group: '', versions: ['v1'], plural: 'nodes', kind: 'Node', namespaced: false },
  { group: '', versions: ['v1'], plural: 'namespaces', kind: 'Namespace', namespaced: false },
];

const PATH = /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)$/;

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export class ReplayServer {
  readonly url: string;
  /** Every request: method, path and query, and who made it (never the token itself). */
  readonly requests: Array<{ path: string; query: string; watch: boolean; user?: string; status: number; at: number }> = [];
  private readonly served = new Map<string, Served>();
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: Array<{ rv: number; served: Served; type: EventType; object: KubeObject }> = [];
  private readonly streams = new Set<WatchStream>();
  private readonly sockets = new Set<Socket>();
  private rv = 1000;
  /** Watches asking to start before this resourceVersion get 410 Gone, as after etcd compaction. */
  private compactedBefore = 0;
  /** Every answer waits this long: an overloaded or unreachable-but-accepting API server. */
  private stallMs = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: ReplayOptions,
  ) {
    this.url = `https://127.0.0.1:${options.port}`;
    for (const s of CORE) this.serve(s);
  }

  static async start(options: ReplayOptions): Promise<ReplayServer> {
    const server = createServer({ key: options.key, cert: options.cert, ca: options.clientCa, requestCert: Boolean(options.clientCa), rejectUnauthorized: false });
    const replay = new ReplayServer(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => replay.handle(req, res));
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
    if (this.stallMs <= 0) return this.answer(req, res);
    const timer = setTimeout(() => this.answer(req, res), this.stallMs);
    res.on('close', () => clearTimeout(timer));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    if (res.destroyed) return;
    const u = new URL(req.url ?? '/', this.url);
    const watch = ['true', '1'].includes(u.searchParams.get('watch') ?? '');
    const log = { path: u.pathname, query: u.search, watch, user: undefined as string | undefined, status: 0, at: Date.now() };
    this.requests.push(log);
    const user = this.user(req);
    if (!user) {
      log.status = this.reply(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    log.user = user.name;
    const m = PATH.exec(u.pathname);
    const [, group = '', version = 'v1', namespace, plural] = m ?? [];
    const grant = user.grant;
    const allowed = grant === '*' || (namespace !== undefined ? grant.namespaces.includes(namespace) : (grant.cluster ?? []).includes(plural ?? ''));
    if (!allowed) {
      const where = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      log.status = this.reply(res, 403, status(403, 'Forbidden', `${plural ?? 'resource'}${group ? `.${group}` : ''} is forbidden: User "${user.name}" cannot ${watch ? 'watch' : 'list'} resource "${plural}" in API group "${group}" ${where}`));
      return;
    }
    const s = m ? this.served.get(this.key({ group, plural })) : undefined;
    if (!s || !s.versions.includes(version) || (namespace !== undefined && !s.namespaced) || req.method !== 'GET') {
      log.status = this.reply(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
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
    res.on('close', () => {
      clearTimeout(timer);
      this.streams.delete(stream);
    });
    return 200;
  }
}
