// Following a context through client-node's Watch instead of polling it: list once for the
// resourceVersions, then watch every served kind and its pods from there. A stream that ends is
// reopened from the last version seen (the server replays what was missed), after a pause that
// doubles while streams keep failing; a version the server has forgotten (410 Gone) means list again.
import type * as K8s from '@kubernetes/client-node';
import { Lister } from './read';
import type { KubeSession } from './session';
import { OPERATOR_KINDS, podsPath, resourcePath } from './operators';

export interface WatchTuning {
  /** Deadline of the lists that start each watch. */
  timeoutMs: number;
  /** First and longest pause before a failed stream is reopened. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long the server may keep one stream open before it is reopened anyway (kubectl: a few minutes). */
  streamSeconds?: number;
  /** Silence after which a stream is taken for dead and reopened. */
  quietMs?: number;
}

/**
 * kube-apiserver sends a bookmark on an idle stream about once a minute, and nothing else while
 * nothing changes: a stream may stay quiet that long. client-node gives up on a stream after 30 s
 * without data, which on a quiet cluster reopened every stream (a TLS handshake each) every 30 s.
 */
const QUIET_MS = 90_000;

interface Target {
  path: string;
  query: Record<string, string>;
  /** Lists the collection again for a fresh resourceVersion. */
  relist(): Promise<string | undefined>;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** client-node's Watch, tolerating `quietMs` of silence on a stream. */
function quietWatch(session: KubeSession, quietMs: number): K8s.Watch {
  const watch = new session.k8s.Watch(session.kc);
  // A private field of the library's Watch (its own default: 30 s), hence the cast.
  (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = quietMs;
  return watch;
}

/**
 * Watches the operators' resources and pods of the session's scope; `changed` is called (at most
 * every 50 ms) when any of them changes. Returns the function that stops every stream.
 */
export function watchOperators(openSession: () => Promise<KubeSession>, changed: () => void, tuning: WatchTuning): () => void {
  const stop = new AbortController();
  const minBackoff = tuning.minBackoffMs ?? 500;
  const maxBackoff = tuning.maxBackoffMs ?? 30_000;
  const controllers = new Set<AbortController>();
  let pending: NodeJS.Timeout | undefined;
  const bump = () => {
    if (pending || stop.signal.aborted) return;
    pending = setTimeout(() => {
      pending = undefined;
      if (!stop.signal.aborted) changed();
    }, 50);
  };

  const lister = (session: KubeSession) => new Lister({ session, signal: AbortSignal.any([AbortSignal.timeout(tuning.timeoutMs), stop.signal]), timeoutMs: tuning.timeoutMs, observedAt: '' });

  async function targets(session: KubeSession): Promise<Array<{ target: Target; version: string }>> {
    const l = lister(session);
    const ns = session.namespace;
    const out: Array<{ target: Target; version: string }> = [];
    const served = (await Promise.all(OPERATOR_KINDS.map(async (k) => ({ k, r: await l.resources(k).catch(() => undefined) })))).filter((x) => x.r);
    for (const { k, r } of served) {
      // Lists gathered namespace by namespace have no single version to watch from: those are left to polling.
      if (!r?.version) continue;
      out.push({ target: { path: resourcePath(k, ns), query: {}, relist: async () => (await lister(session).resources(k))?.version }, version: r.version });
    }
    for (const selector of new Set(served.map((x) => x.k.podSelector))) {
      const pods = await l.pods(selector).catch(() => undefined);
      if (pods?.version) out.push({ target: { path: podsPath(ns), query: { labelSelector: selector }, relist: async () => (await lister(session).pods(selector)).version }, version: pods.version });
    }
    return out;
  }

  async function follow(watch: K8s.Watch, target: Target, version: string): Promise<void> {
    let rv: string | undefined = version;
    let backoff = minBackoff;
    while (!stop.signal.aborted) {
      if (rv === undefined) {
        rv = await target.relist().catch(() => undefined);
        if (rv !== undefined) bump();
      }
      let gone = false;
      let ctl: AbortController | undefined;
      const opened = Date.now();
      const err = await new Promise<unknown>((resolve) => {
        if (rv === undefined) return resolve(new Error('no resourceVersion'));
        const query = { ...target.query, resourceVersion: rv, allowWatchBookmarks: 'true', timeoutSeconds: String(tuning.streamSeconds ?? 300) };
        watch
          .watch(
            target.path,
            query,
            (type, obj: { metadata?: { resourceVersion?: string }; code?: number }) => {
              if (type === 'ERROR') {
                // The server no longer has history from rv: the only way back is a new list.
                if (obj?.code === 410) gone = true;
                return;
              }
              if (obj?.metadata?.resourceVersion) rv = obj.metadata.resourceVersion;
              if (type !== 'BOOKMARK') bump();
            },
            (e) => resolve(e),
          )
          .then(
            (c) => {
              ctl = c;
              controllers.add(c);
              if (stop.signal.aborted) c.abort();
            },
            resolve,
          );
      });
      if (ctl) controllers.delete(ctl);
      if (stop.signal.aborted) return;
      const status = (err as { statusCode?: number } | undefined)?.statusCode;
      if (gone || status === 410) rv = undefined;
      // A stream that ended on its own after running a while is the normal cycle; one that failed at once backs off.
      const failed = err !== null && err !== undefined && (err as { name?: string }).name !== 'TimeoutError';
      backoff = failed && Date.now() - opened < 10_000 ? Math.min(backoff * 2, maxBackoff) : minBackoff;
      await sleep(failed ? backoff : minBackoff, stop.signal);
    }
  }

  void (async () => {
    let backoff = minBackoff;
    while (!stop.signal.aborted) {
      try {
        const session = await openSession();
        const list = await targets(session);
        if (list.length === 0) throw new Error('nothing to watch');
        const watch = quietWatch(session, tuning.quietMs ?? QUIET_MS);
        await Promise.all(list.map((t) => follow(watch, t.target, t.version)));
        return;
      } catch {
        // Not reachable yet, or nothing served: try again later; polling covers the meantime.
        await sleep(backoff, stop.signal);
        backoff = Math.min(backoff * 2, maxBackoff);
      }
    }
  })();

  return () => {
    stop.abort();
    clearTimeout(pending);
    for (const c of controllers) c.abort();
    controllers.clear();
  };
}
