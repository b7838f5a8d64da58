// One read of a context: every operator's resources in scope, the pods they label, the nodes' zones,
// each through client-node under the read's deadline; one ClusterState per resource.
import type * as K8s from '@kubernetes/client-node';
import type { ClusterState } from '../model';
import type { Resource } from './cluster';
import type { KubeCallError } from './calls';
import { callOptions, describeFailure } from './calls';
import type { OperatorKind } from './operators';
import { OPERATOR_KINDS } from './operators';
import type { NodeLike, PodLike } from './pods';
import { zonesOf } from './pods';
import type { KubeSession } from './session';

export interface ReadScope {
  session: KubeSession;
  signal: AbortSignal;
  timeoutMs: number;
  observedAt: string;
}

/** Server hosts whose node list was refused: asking on every read would only cost a call. */
const nodesRefused = new Set<string>();

export class Lister {
  private readonly custom: K8s.CustomObjectsApi;
  private readonly core: K8s.CoreV1Api;
  private readonly where: string;
  private fallback?: Promise<string[]>;

  constructor(private readonly scope: ReadScope) {
    const { k8s, kc, server } = scope.session;
    this.custom = kc.makeApiClient(k8s.CustomObjectsApi);
    this.core = kc.makeApiClient(k8s.CoreV1Api);
    this.where = new URL(server).host;
  }

  fail(err: unknown): KubeCallError {
    return describeFailure(err, this.where, this.scope.timeoutMs, this.scope.session.secrets, this.scope.signal);
  }

  private get opts(): K8s.ConfigurationOptions {
    return callOptions(this.scope.session.k8s, this.scope.signal, this.scope.session.pool);
  }

  /**
   * Lists in the session's namespace, else across all namespaces; where that is forbidden, in every
   * namespace the credentials may list (else `default`, as kubectl would), skipping those refused.
   */
  private async inScope<T>(all: () => Promise<T>, one: (ns: string) => Promise<T>): Promise<T[]> {
    const ns = this.scope.session.namespace;
    if (ns) return [await one(ns).catch((e: unknown) => Promise.reject(this.fail(e)))];
    let refused: KubeCallError;
    try {
      return [await all()];
    } catch (e) {
      refused = this.fail(e);
      if (refused.kind !== 'forbidden') throw refused;
    }
    this.fallback ??= this.core.listNamespace({}, this.opts).then(
      (l) => l.items.map((n) => n.metadata?.name ?? '').filter(Boolean),
      () => ['default'],
    );
    const found = await Promise.all(
      (await this.fallback).map((n) =>
        one(n).catch((e: unknown) => {
          const f = this.fail(e);
          if (f.kind === 'forbidden') return undefined;
          throw f;
        }),
      ),
    );
    const ok = found.filter((x): x is Awaited<T> => x !== undefined);
    if (ok.length === 0) throw refused;
    return ok;
  }

  /** A kind's resources; undefined when the kind is not served (its operator is not installed). */
  async resources(k: OperatorKind): Promise<{ items: Resource[]; version?: string } | undefined> {
    const base = { group: k.group, version: k.version, plural: k.plural };
    type List = { items?: Resource[]; metadata?: { resourceVersion?: string } };
    try {
      const lists = (await this.inScope(
        () => this.custom.listClusterCustomObject(base, this.opts),
        (namespace) => this.custom.listNamespacedCustomObject({ ...base, namespace }, this.opts),
      )) as List[];
      return { items: lists.flatMap((l) => l.items ?? []), version: lists.length === 1 ? lists[0].metadata?.resourceVersion : undefined };
    } catch (e) {
      const f = this.fail(e);
      if (f.kind === 'not-found') return undefined;
      throw f;
    }
  }

  async pods(labelSelector: string): Promise<{ items: PodLike[]; version?: string }> {
    const lists = await this.inScope(
      () => this.core.listPodForAllNamespaces({ labelSelector }, this.opts),
      (namespace) => this.core.listNamespacedPod({ namespace, labelSelector }, this.opts),
    );
    return { items: lists.flatMap((l) => l.items), version: lists.length === 1 ? lists[0].metadata?.resourceVersion : undefined };
  }

  /** Node name → zone; empty when nodes may not be listed (a namespaced role rarely may). */
  async zones(): Promise<Map<string, string>> {
    const key = `${this.scope.session.server} ${this.scope.session.context}`;
    if (nodesRefused.has(key)) return new Map();
    try {
      const nodes = await this.core.listNode({}, this.opts);
      return zonesOf(nodes.items as NodeLike[]);
    } catch (e) {
      if (this.fail(e).kind === 'forbidden') nodesRefused.add(key);
      return new Map();
    }
  }
}

const keyOf = (ns: string | undefined, name: string | undefined) => `${ns ?? ''}/${name ?? ''}`;

/** Reads every operator's clusters in scope. Throws a KubeCallError when the API server cannot be read at all. */
export async function readOperators(scope: ReadScope): Promise<ClusterState[]> {
  const lister = new Lister(scope);
  const listed = await Promise.allSettled(OPERATOR_KINDS.map((k) => lister.resources(k)));
  const failures = listed.flatMap((r) => (r.status === 'rejected' ? [lister.fail(r.reason)] : []));
  // A refusal of the credentials or the network is the answer for the whole context. A kind merely
  // forbidden is skipped, unless nothing could be listed: the API server answers 403 before it
  // looks whether a resource exists, so with no rights at all every kind is forbidden.
  const anyServed = listed.some((r) => r.status === 'fulfilled' && r.value !== undefined);
  const fatal = failures.find((f) => f.kind !== 'forbidden') ?? (anyServed ? undefined : failures[0]);
  if (fatal) throw fatal;
  const found: Array<{ kind: OperatorKind; items: Resource[] }> = [];
  listed.forEach((r, i) => {
    if (r.status === 'fulfilled' && r.value?.items.length) found.push({ kind: OPERATOR_KINDS[i], items: r.value.items });
  });
  const selectors = [...new Set(found.map((f) => f.kind.podSelector))];
  const podLists = new Map<string, { items: PodLike[] } | KubeCallError>();
  await Promise.all(
    selectors.map(async (s) => {
      try {
        podLists.set(s, await lister.pods(s));
      } catch (e) {
        podLists.set(s, lister.fail(e));
      }
    }),
  );
  const anyNode = [...podLists.values()].some((l) => !(l instanceof Error) && l.items.some((p) => p.spec?.nodeName));
  const zones = anyNode ? await lister.zones() : new Map<string, string>();
  const ctx = { source: scope.session.source, observedAt: scope.observedAt, zones };
  const states: ClusterState[] = [];
  for (const { kind, items } of found) {
    const pods = podLists.get(kind.podSelector);
    for (const res of items) {
      const name = keyOf(res.metadata?.namespace, res.metadata?.name);
      if (pods instanceof Error || pods === undefined) {
        const state = kind.state(res, [], ctx);
        states.push({ ...state, members: [], problems: [], health: 'error', error: `pods of ${name} could not be listed: ${pods?.message ?? 'no answer'}` });
        continue;
      }
      const mine = pods.items.filter((p) => p.metadata?.namespace === res.metadata?.namespace && kind.clusterOf(p.metadata?.labels ?? {}) === res.metadata?.name);
      states.push(kind.state(res, mine, ctx));
    }
  }
  return states;
}
