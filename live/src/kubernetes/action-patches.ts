// The JSON merge patches (RFC 7386) the operators' own tools send, built from the object as read
// just before: what `kubectl cnpg promote`, `restart` and `fencing` send (cloudnative-pg
// internal/cmd/plugin, through controller-runtime's MergeFrom), and what PGO's documentation has
// you send for a switchover. Pure, so the exact bodies are unit-tested.
import type { Resource } from './cluster';
import { obj, str } from './cluster';
import { FENCED_INSTANCES, parseFenced, RESTARTED_AT, TRIGGER_SWITCHOVER } from './action-facts';

export const MERGE_PATCH = 'application/merge-patch+json';
/** CloudNativePG's phase while it changes the primary (api/v1 PhaseSwitchover). */
export const CNPG_SWITCHOVER = 'Switchover in progress';

/** Go's time.RFC3339 in UTC: seconds, `Z`. */
export const rfc3339 = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;
/** metav1.RFC3339Micro in UTC, as CloudNativePG stamps targetPrimaryTimestamp. */
export const rfc3339Micro = (d: Date): string => `${d.toISOString().slice(0, 23)}000Z`;

type Condition = { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string; observedGeneration?: number };

/**
 * The Ready condition as CloudNativePG sets it for a phase that is not healthy
 * (status.SetClusterReadyCondition through meta.SetStatusCondition); undefined when unchanged.
 */
function notReady(conditions: readonly Condition[], now: Date): Condition[] | undefined {
  const want = { type: 'Ready', status: 'False', reason: 'ClusterIsNotReady', message: 'Cluster Is Not Ready' };
  const out = conditions.map((c) => ({ ...c }));
  const i = out.findIndex((c) => c.type === 'Ready');
  if (i < 0) return [...out, { ...want, lastTransitionTime: rfc3339(now) }];
  const c = out[i];
  if (c.status === want.status && c.reason === want.reason && c.message === want.message) return undefined;
  out[i] = { ...c, ...want, lastTransitionTime: c.status === want.status ? c.lastTransitionTime : rfc3339(now) };
  return out;
}

/**
 * `kubectl cnpg promote`: a merge patch of the Cluster's status subresource naming the new target
 * primary, with the phase the plugin sets, and the resourceVersion read (controller-runtime's
 * optimistic lock: the API server answers 409 if the object changed meanwhile).
 */
export function cnpgPromotePatch(cluster: Resource, instance: string, now: Date): Record<string, unknown> {
  const status = obj(cluster.status);
  const conditions = notReady(Array.isArray(status.conditions) ? (status.conditions as Condition[]) : [], now);
  return {
    metadata: { resourceVersion: cluster.metadata?.resourceVersion },
    status: {
      ...(conditions ? { conditions } : {}),
      phase: CNPG_SWITCHOVER,
      phaseReason: `Switching over to ${instance}`,
      targetPrimary: instance,
      targetPrimaryTimestamp: rfc3339Micro(now),
    },
  };
}

/** `kubectl cnpg restart CLUSTER`: the restart annotation on the Cluster, which the operator rolls out to every pod. */
export function cnpgRestartPatch(now: Date): Record<string, unknown> {
  return { metadata: { annotations: { [RESTARTED_AT]: rfc3339(now) } } };
}

/**
 * `kubectl cnpg fencing on|off`: the fenced-instances annotation with the instance added or
 * removed, sorted, and removed altogether when the list empties. Undefined when nothing changes
 * (the plugin then sends nothing); throws where the plugin refuses.
 */
export function cnpgFencingPatch(cluster: Resource, on: boolean, instance: string): Record<string, unknown> | undefined {
  const current = parseFenced(cluster.metadata?.annotations?.[FENCED_INSTANCES]);
  if (current === 'invalid') throw new Error('the cnpg.io/fencedInstances annotation has an invalid syntax');
  let next: string[];
  if (on) {
    if (current.includes('*') || current.includes(instance)) return undefined;
    next = instance === '*' ? ['*'] : [...current, instance].sort();
  } else {
    if (!current.length) return undefined;
    if (instance === '*') next = [];
    else if (current.includes('*')) throw new Error('unfencing an instance while the whole cluster is fenced is not supported');
    else if (!current.includes(instance)) return undefined;
    else next = current.filter((x) => x !== instance);
  }
  return { metadata: { annotations: { [FENCED_INSTANCES]: next.length ? JSON.stringify(next) : null } } };
}

/**
 * PGO's switchover in one merge patch: spec.patroni.switchover enabled (with the target instance
 * and type), and the trigger annotation set to a new value. One request rather than the
 * documentation's two (`kubectl patch`, then `kubectl annotate`), so the operator never sees the
 * trigger next to a target left from an earlier switchover: a stale target or type is cleared.
 */
export function crunchySwitchoverPatch(cluster: Resource, instance: string | undefined, type: 'Switchover' | 'Failover', trigger: string): Record<string, unknown> {
  const current = obj(obj(obj(cluster.spec).patroni).switchover);
  const switchover: Record<string, unknown> = { enabled: true };
  if (instance) switchover.targetInstance = instance;
  else if (str(current.targetInstance)) switchover.targetInstance = null;
  if (type === 'Failover') switchover.type = 'Failover';
  else if (str(current.type) && current.type !== 'Switchover') switchover.type = null;
  return { metadata: { annotations: { [TRIGGER_SWITCHOVER]: trigger } }, spec: { patroni: { switchover } } };
}

/** A trigger value PGO has not seen: the time, as its documentation suggests, made unique if need be. */
export function newTrigger(cluster: Resource, now: Date): string {
  const seen = new Set([cluster.metadata?.annotations?.[TRIGGER_SWITCHOVER], str(obj(obj(cluster.status).patroni).switchover)]);
  let t = now.getTime();
  while (seen.has(new Date(t).toISOString())) t += 1;
  return new Date(t).toISOString();
}
