// What an action needs to know beyond what the tree shows: the resource's annotations and switchover
// fields, each pod's restart annotation and instance name, and the PodDisruptionBudgets with the
// members they cover. Read by the action itself (the provider's read stays as it is) and added to
// the state's details, so that the pre-flights stay pure functions of one ClusterState.
import type { ClusterState } from '../model';
import type { Resource } from './cluster';
import { obj, str } from './cluster';
import type { PodLike } from './pods';

/** kubectl cnpg restart sets this on the Cluster; the operator copies it to each pod it has restarted. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
/** kubectl cnpg fencing: a JSON list of fenced instances, `["*"]` for all of them. */
export const FENCED_INSTANCES = 'cnpg.io/fencedInstances';
/** PGO switches over when this annotation takes a value its status has not recorded yet. */
export const TRIGGER_SWITCHOVER = 'postgres-operator.crunchydata.com/trigger-switchover';
export const CRUNCHY_INSTANCE = 'postgres-operator.crunchydata.com/instance';

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key?: string; operator?: string; values?: string[] }>;
}

export interface PdbLike {
  metadata?: { name?: string };
  spec?: { selector?: LabelSelector; minAvailable?: number | string; maxUnavailable?: number | string };
  status?: { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; expectedPods?: number };
}

/** A PodDisruptionBudget as the pre-flight reads it: how many more pods it lets go, and whose. */
export interface PdbFact {
  name: string;
  disruptionsAllowed?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
  /** The members (pods) its selector picks. */
  members: string[];
}

/** Crunchy's spec.patroni.switchover, the trigger annotation, and the trigger its status has recorded. */
export interface SwitchoverFact {
  enabled: boolean;
  targetInstance?: string;
  type?: string;
  trigger?: string;
  completed?: string;
}

/** What withActionFacts adds to `details` (all optional: a fact not read is absent). */
export interface ActionFacts {
  /** Fenced instances, `['*']` for all; `invalid` when the annotation is not a JSON list. */
  fencedInstances?: string[] | 'invalid';
  restartedAt?: string;
  podRestartedAt?: Record<string, string>;
  /** Crunchy: pod → instance (the StatefulSet PGO names as targetInstance). */
  instanceOf?: Record<string, string>;
  switchover?: SwitchoverFact;
  primaryUpdateStrategy?: string;
  primaryUpdateMethod?: string;
  pdbs?: PdbFact[];
  resourceVersion?: string;
}

/** Whether `labels` satisfy a LabelSelector (matchLabels and matchExpressions), as the API server decides. */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  // A PDB with no selector (or an empty one) selects every pod of its namespace (policy/v1).
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const key = e.key ?? '';
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!(key in labels) || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (key in labels && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!(key in labels)) return false;
        break;
      case 'DoesNotExist':
        if (key in labels) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** The fenced instances the annotation lists; `invalid` where CloudNativePG itself would reject it. */
export function parseFenced(value: string | undefined): string[] | 'invalid' {
  if (value === undefined) return [];
  try {
    const list = JSON.parse(value) as unknown;
    if (Array.isArray(list) && list.every((x) => typeof x === 'string')) return [...new Set(list)].sort();
  } catch {
    /* below */
  }
  return 'invalid';
}

function switchoverOf(res: Resource): SwitchoverFact {
  const spec = obj(obj(obj(res.spec).patroni).switchover);
  const status = obj(obj(res.status).patroni);
  return {
    enabled: spec.enabled === true,
    targetInstance: str(spec.targetInstance),
    type: str(spec.type),
    trigger: str(res.metadata?.annotations?.[TRIGGER_SWITCHOVER]),
    completed: str(status.switchover),
  };
}

export interface FactSources {
  resource?: Resource;
  pods?: readonly PodLike[];
  pdbs?: readonly PdbLike[];
}

/** The facts of one operator cluster, from its resource, its pods and the namespace's PDBs. Pure. */
export function actionFacts(state: ClusterState, src: FactSources): ActionFacts {
  const facts: ActionFacts = {};
  const members = new Set(state.members.map((m) => m.name));
  const pods = (src.pods ?? []).filter((p) => members.has(p.metadata?.name ?? ''));
  const annotations = (p: PodLike) => (p.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {};
  const res = src.resource;
  if (res) {
    const ann = res.metadata?.annotations ?? {};
    facts.resourceVersion = res.metadata?.resourceVersion;
    if (state.details?.operator === 'cnpg') {
      facts.fencedInstances = parseFenced(ann[FENCED_INSTANCES]);
      facts.restartedAt = ann[RESTARTED_AT];
      facts.primaryUpdateStrategy = str(obj(res.spec).primaryUpdateStrategy);
      facts.primaryUpdateMethod = str(obj(res.spec).primaryUpdateMethod);
    }
    if (state.details?.operator === 'crunchy') facts.switchover = switchoverOf(res);
  }
  if (src.pods) {
    facts.podRestartedAt = Object.fromEntries(pods.flatMap((p) => (annotations(p)[RESTARTED_AT] ? [[p.metadata?.name ?? '', annotations(p)[RESTARTED_AT]]] : [])));
    if (state.details?.operator === 'crunchy') facts.instanceOf = Object.fromEntries(pods.flatMap((p) => (p.metadata?.labels?.[CRUNCHY_INSTANCE] ? [[p.metadata?.name ?? '', p.metadata.labels[CRUNCHY_INSTANCE]]] : [])));
  }
  if (src.pdbs) {
    facts.pdbs = src.pdbs
      .map((b) => ({
        name: b.metadata?.name ?? '',
        disruptionsAllowed: b.status?.disruptionsAllowed,
        currentHealthy: b.status?.currentHealthy,
        desiredHealthy: b.status?.desiredHealthy,
        members: pods.filter((p) => selects(b.spec?.selector, p.metadata?.labels ?? {})).map((p) => p.metadata?.name ?? ''),
      }))
      .filter((b) => b.members.length > 0);
  }
  return facts;
}

/** The state with the facts in its details. */
export function withActionFacts(state: ClusterState, src: FactSources): ClusterState {
  const facts = actionFacts(state, src);
  const details: Record<string, unknown> = { ...(state.details ?? {}) };
  for (const [k, v] of Object.entries(facts)) if (v !== undefined) details[k] = v;
  return { ...state, details };
}

/** The facts back from a state's details (what withActionFacts put there). */
export function factsOf(state: ClusterState): ActionFacts {
  return (state.details ?? {}) as ActionFacts;
}
