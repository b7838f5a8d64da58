// The operators' own actions as ActionSpecs for live/src/actions/run.ts: CloudNativePG promote,
// restart and fencing, and PGO's switchover, each a merge patch through client-node's
// CustomObjectsApi, exactly as the operator's plugin or documentation sends it; the new state is
// recognised in what the operator writes back (status, pod labels and annotations). Zalando's
// clusters are acted on through Patroni's REST API on the pods, reached through the API server's
// pod proxy (pod-proxy.ts, live/src/actions/connect.ts).
import type * as K8s from '@kubernetes/client-node';
import type { ActionSpec } from '../actions/run';
import type { Preflight } from '../actions/model';
import type { ClusterState } from '../model';
import { unreachable } from '../model';
import { DEFAULT_TIMEOUT_MS } from '../provider';
import { mask } from '../secrets';
import type { Resource } from './cluster';
import { callOptions, closePool, describeFailure } from './calls';
import type { PdbLike } from './action-facts';
import { factsOf, withActionFacts } from './action-facts';
import type { CnpgAction, CnpgActionOptions, CrunchySwitchoverOptions } from './action-preflight';
import { cnpgPreflight, crunchyInstanceOf, crunchySwitchoverPreflight } from './action-preflight';
import { cnpgFencingPatch, cnpgPromotePatch, cnpgRestartPatch, crunchySwitchoverPatch, MERGE_PATCH, newTrigger } from './action-patches';
import type { OperatorKind } from './operators';
import { OPERATOR_KINDS } from './operators';
import type { KubernetesOptions } from './options';
import { CNPG_HEALTHY } from './postgres-operators';
import type { PodLike } from './pods';
import type { KubeSession } from './session';
import { KubeconfigError, openSession } from './session';
import { readOperators } from './read';

export interface KubeActionOptions {
  /** Kubeconfig and context; the namespace is the cluster's own. */
  kube: KubernetesOptions;
  /** The operator cluster, `namespace/name` as its ClusterState names it. */
  cluster: string;
  /** Deadline of each read and of the patch. */
  timeoutMs?: number;
  /** The clock stamped into annotations and status (tests pass a fixed one). */
  now?: () => Date;
}

/** An action spec and the function that closes its connections. */
export type KubeActionSpec = ActionSpec & { close(): Promise<void> };

const kindOf = (operator: string): OperatorKind => OPERATOR_KINDS.find((k) => k.operator === operator) as OperatorKind;

/** One operator cluster, read and patched through one session of its namespace. */
class ClusterHandle {
  private opened?: Promise<KubeSession>;
  readonly namespace: string;
  readonly name: string;
  readonly timeoutMs: number;
  readonly source: string;

  constructor(
    private readonly o: KubeActionOptions,
    readonly kind: OperatorKind,
    private readonly withPdbs: boolean,
  ) {
    [this.namespace, this.name] = o.cluster.includes('/') ? (o.cluster.split('/', 2) as [string, string]) : [o.kube.namespace ?? 'default', o.cluster];
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.source = `kube-context ${o.kube.context ?? '(current)'} ${kind.plural}.${kind.group} ${this.namespace}/${this.name}`;
  }

  session(): Promise<KubeSession> {
    this.opened ??= openSession({ ...this.o.kube, namespace: this.namespace });
    this.opened.catch(() => (this.opened = undefined));
    return this.opened;
  }

  signal(outer?: AbortSignal): AbortSignal {
    return outer ? AbortSignal.any([AbortSignal.timeout(this.timeoutMs), outer]) : AbortSignal.timeout(this.timeoutMs);
  }

  private failure(s: KubeSession, err: unknown, signal: AbortSignal): string {
    return mask(describeFailure(err, new URL(s.server).host, this.timeoutMs, s.secrets, signal).message, s.secrets);
  }

  /** The provider's read of the namespace, this cluster's state, and the facts the pre-flights need. Never rejects. */
  async read(outer?: AbortSignal): Promise<ClusterState> {
    const now = (this.o.now ?? (() => new Date()))();
    const full = `${this.namespace}/${this.name}`;
    let s: KubeSession;
    try {
      s = await this.session();
    } catch (err) {
      return unreachable('kubernetes', full, this.source, err instanceof KubeconfigError ? err.message : String((err as Error).message), now);
    }
    const signal = this.signal(outer);
    try {
      const states = await readOperators({ session: s, signal, timeoutMs: this.timeoutMs, observedAt: now.toISOString() });
      const state = states.find((x) => x.name === full && x.details?.operator === this.kind.operator);
      if (!state) return unreachable('kubernetes', full, s.source, `no ${this.kind.kind} ${full} (${this.kind.plural}.${this.kind.group}) in context ${s.context}`, now);
      if (state.error) return state;
      const core = s.kc.makeApiClient(s.k8s.CoreV1Api);
      const opts = callOptions(s.k8s, signal, s.pool);
      const [resource, pods, pdbs] = await Promise.all([
        this.get(s, signal),
        core.listNamespacedPod({ namespace: this.namespace, labelSelector: this.kind.podSelector }, opts).then((l) => l.items as PodLike[]),
        this.withPdbs ? this.pdbs(s, signal) : Promise.resolve(undefined),
      ]);
      return withActionFacts(state, { resource, pods, pdbs });
    } catch (err) {
      return unreachable('kubernetes', full, s.source, this.failure(s, err, signal), now);
    }
  }

  /** The namespace's PodDisruptionBudgets; undefined when they may not be listed (the pre-flight says so). */
  private async pdbs(s: KubeSession, signal: AbortSignal): Promise<PdbLike[] | undefined> {
    const policy = s.kc.makeApiClient(s.k8s.PolicyV1Api);
    try {
      return (await policy.listNamespacedPodDisruptionBudget({ namespace: this.namespace }, callOptions(s.k8s, signal, s.pool))).items as PdbLike[];
    } catch {
      return undefined;
    }
  }

  async get(s: KubeSession, signal: AbortSignal): Promise<Resource> {
    const custom = s.kc.makeApiClient(s.k8s.CustomObjectsApi);
    const k = this.kind;
    return (await custom.getNamespacedCustomObject({ group: k.group, version: k.version, namespace: this.namespace, plural: k.plural, name: this.name }, callOptions(s.k8s, signal, s.pool))) as Resource;
  }

  /** A JSON merge patch of the resource or of its status subresource, as the operators' tools send it. */
  async patch(s: KubeSession, body: object, status: boolean, signal: AbortSignal): Promise<Resource> {
    const custom = s.kc.makeApiClient(s.k8s.CustomObjectsApi);
    const k = this.kind;
    const param = { group: k.group, version: k.version, namespace: this.namespace, plural: k.plural, name: this.name, body };
    const opts = mergePatch(s, signal);
    return (await (status ? custom.patchNamespacedCustomObjectStatus(param, opts) : custom.patchNamespacedCustomObject(param, opts))) as Resource;
  }

  /** Runs `fn` with a session and a deadline; its failure becomes an Error worded without credentials. */
  async call<T>(outer: AbortSignal | undefined, fn: (s: KubeSession, signal: AbortSignal) => Promise<T>): Promise<T> {
    const s = await this.session();
    const signal = this.signal(outer);
    try {
      return await fn(s, signal);
    } catch (err) {
      throw new Error(this.failure(s, err, signal));
    }
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    if (opened) await opened.then((s) => closePool(s.pool), () => undefined);
  }
}

/**
 * client-node's patch calls announce application/json-patch+json, the first type the API lists;
 * a merge patch must say so, hence a middleware that sets the Content-Type after the request is built.
 */
function mergePatch(s: KubeSession, signal: AbortSignal): K8s.ConfigurationOptions {
  const base = callOptions(s.k8s, signal, s.pool);
  const contentType: K8s.ObservableMiddleware = {
    pre: (ctx) => {
      ctx.setHeaderParam('Content-Type', MERGE_PATCH);
      return new s.k8s.Observable(Promise.resolve(ctx));
    },
    post: (res) => new s.k8s.Observable(Promise.resolve(res)),
  };
  return { ...base, middleware: [...((base.middleware as K8s.ObservableMiddleware[] | undefined) ?? []), contentType] };
}

const detail = (s: ClusterState, key: string): unknown => (s.details ?? {})[key];
const CONFLICT = /^HTTP 409 /;

/** One CloudNativePG action (`kubectl cnpg promote | restart | fencing on | fencing off`), ready for runAction. */
export function cnpgActionSpec(action: CnpgAction, o: KubeActionOptions & CnpgActionOptions): KubeActionSpec {
  const h = new ClusterHandle(o, kindOf('cnpg'), action === 'restart');
  const now = o.now ?? (() => new Date());
  let restartedAt: string | undefined;
  let fenced: string[] = [];
  const options: Record<string, string> = {};
  if (o.instance !== undefined) options.instance = o.instance;
  return {
    action: action === 'promote' ? 'promote' : action,
    kind: 'kubernetes',
    source: h.source,
    options,
    read: (signal) => h.read(signal),
    preflight: (s) => cnpgPreflight(s, action, o),
    perform: (_s, p, outer) =>
      h.call(outer, async (s, signal) => {
        const target = p.target ?? '*';
        if (action === 'promote') {
          // As the plugin: read, patch with the resourceVersion read, read again on a conflict.
          for (let attempt = 1; ; attempt++) {
            const cluster = await h.get(s, signal);
            if (cluster.status?.targetPrimary === target) return `${target} is already the target primary`;
            try {
              await h.patch(s, cnpgPromotePatch(cluster, target, now()), true, signal);
              return `node ${target} in cluster ${h.name} will be promoted`;
            } catch (err) {
              if (attempt >= 3 || !CONFLICT.test(describeFailure(err, '', 0, s.secrets).message)) throw err;
            }
          }
        }
        if (action === 'restart') {
          const body = cnpgRestartPatch(now());
          restartedAt = (body.metadata as { annotations: Record<string, string> }).annotations['kubectl.kubernetes.io/restartedAt'];
          await h.patch(s, body, false, signal);
          return `${h.name} restart requested (${restartedAt})`;
        }
        const cluster = await h.get(s, signal);
        const body = cnpgFencingPatch(cluster, action === 'fence', target);
        if (!body) throw new Error(`${target} is already ${action === 'fence' ? 'fenced' : 'unfenced'}`);
        const value = (body.metadata as { annotations: Record<string, string | null> }).annotations['cnpg.io/fencedInstances'];
        fenced = value ? (JSON.parse(value) as string[]) : [];
        await h.patch(s, body, false, signal);
        return `${target} ${action === 'fence' ? 'fenced' : 'unfenced'}`;
      }),
    verify: (before, after, p) => (action === 'promote' ? promoted(before, after, p) : action === 'restart' ? restarted(after, restartedAt) : fencingDone(after, p, fenced, action === 'fence')),
    close: () => h.close(),
  };
}

function promoted(before: ClusterState, after: ClusterState, p: Preflight): true | string {
  const target = p.target ?? '';
  const current = detail(after, 'currentPrimary');
  const phase = detail(after, 'phase');
  if (current !== target) return `the operator's current primary is still ${String(current ?? 'unknown')}${phase ? ` (phase "${String(phase)}")` : ''}`;
  if (phase !== CNPG_HEALTHY) return `${target} is the current primary; the operator reports "${String(phase)}"`;
  const m = after.members.find((x) => x.name === target);
  if (m?.role !== 'primary') return `${target} is not labelled primary yet`;
  if (m.health !== 'ok') return `${target} is primary but ${m.state}`;
  const old = after.members.find((x) => x.name === before.leader);
  if (old && old.name !== target && old.role === 'primary') return `${old.name} is still labelled primary`;
  return true;
}

function restarted(after: ClusterState, sent: string | undefined): true | string {
  const f = factsOf(after);
  if (f.restartedAt !== sent) return 'the Cluster does not carry the restart annotation sent';
  const pending = after.members.filter((m) => f.podRestartedAt?.[m.name] !== sent).map((m) => m.name);
  if (pending.length) return `not restarted yet: ${pending.join(', ')}`;
  const unready = after.members.filter((m) => m.health !== 'ok').map((m) => `${m.name} (${m.state})`);
  if (unready.length) return `restarted, not ready yet: ${unready.join(', ')}`;
  const phase = detail(after, 'phase');
  return phase === CNPG_HEALTHY ? true : `every instance restarted; the operator reports "${String(phase)}"`;
}

function fencingDone(after: ClusterState, p: Preflight, expected: readonly string[], on: boolean): true | string {
  const now = factsOf(after).fencedInstances;
  if (!Array.isArray(now) || now.join(',') !== expected.join(',')) return `the fenced instances are ${Array.isArray(now) ? now.join(', ') || 'none' : 'unreadable'}, not yet ${expected.join(', ') || 'none'}`;
  // A fenced instance's manager stops PostgreSQL and its pod turns not ready; unfenced, it is ready again.
  const targets = p.target === '*' ? after.members : after.members.filter((m) => m.name === p.target);
  const waiting = targets.filter((m) => (m.health === 'ok') === on).map((m) => m.name);
  if (waiting.length) return on ? `${waiting.join(', ')} still ready: PostgreSQL not stopped yet` : `${waiting.join(', ')} not ready yet`;
  return true;
}

/** PGO's switchover (or failover): spec.patroni.switchover and a new trigger annotation, ready for runAction. */
export function crunchySwitchoverSpec(o: KubeActionOptions & CrunchySwitchoverOptions): KubeActionSpec {
  const h = new ClusterHandle(o, kindOf('crunchy'), false);
  const now = o.now ?? (() => new Date());
  const type = o.type ?? 'Switchover';
  let trigger: string | undefined;
  const options: Record<string, string> = { type };
  if (o.instance !== undefined) options.instance = o.instance;
  return {
    action: type === 'Failover' ? 'failover' : 'switchover',
    kind: 'kubernetes',
    source: h.source,
    options,
    read: (signal) => h.read(signal),
    preflight: (s) => crunchySwitchoverPreflight(s, o),
    perform: (state, p, outer) =>
      h.call(outer, async (s, signal) => {
        const cluster = await h.get(s, signal);
        const instance = p.target ? crunchyInstanceOf(state, p.target) : undefined;
        trigger = newTrigger(cluster, now());
        await h.patch(s, crunchySwitchoverPatch(cluster, instance, type, trigger), false, signal);
        return `${type.toLowerCase()} ${instance ? `to ${instance} ` : ''}requested (${trigger})`;
      }),
    verify(before, after, p) {
      const sw = factsOf(after).switchover;
      if (sw?.completed !== trigger) return `PGO has not recorded the switchover yet (status.patroni.switchover: ${sw?.completed ?? 'none'})`;
      if (p.target) {
        const m = after.members.find((x) => x.name === p.target);
        if (m?.role !== 'primary') return `${p.target} is not labelled master yet`;
      } else if (!after.leader || after.leader === before.leader) return `${before.leader ?? 'no pod'} is still primary`;
      const old = after.members.find((x) => x.name === before.leader);
      if (old && old.name !== after.leader && old.role === 'primary') return `${old.name} is still labelled master`;
      const leader = after.members.find((x) => x.name === after.leader);
      return leader?.health === 'ok' ? true : `${after.leader} is primary but ${leader?.state ?? 'not listed'}`;
    },
    close: () => h.close(),
  };
}
