import type { KubeDocument, KubernetesModel } from '../../../documents/yaml/kubernetes';
import { isRecord, keyRangeAt, valueAt, valueRangeAt } from '../../../documents/yaml/kubernetes';
import type { PathSegment } from '../../../documents/yaml/yaml-document';
import type { LabelSelector } from '../../../types';

export const HA_KINDS = new Set(['StatefulSet', 'Deployment', 'ReplicaSet']);

export const POD_SPEC: readonly PathSegment[] = ['spec', 'template', 'spec'];

/** A StatefulSet, Deployment or ReplicaSet with two or more replicas. */
export interface HaWorkload {
  doc: KubeDocument;
  replicas: number;
  podSpec: Record<string, unknown>;
  podLabels: Record<string, string>;
  containers: Container[];
}

export interface Container {
  index: number;
  /** 'containers' or 'initContainers'. */
  list: string;
  value: Record<string, unknown>;
}

function labelsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, val] of Object.entries(v)) out[k] = String(val);
  return out;
}

/** The workload of a document when it is HA (2+ replicas); a missing `replicas` means 1. */
export function haWorkload(doc: KubeDocument): HaWorkload | undefined {
  if (!doc.kind || !HA_KINDS.has(doc.kind)) return undefined;
  const replicas = valueAt(doc, ['spec', 'replicas']);
  const podSpec = valueAt(doc, POD_SPEC);
  if (typeof replicas !== 'number' || replicas < 2 || !isRecord(podSpec)) return undefined;
  return { doc, replicas, podSpec, podLabels: labelsOf(valueAt(doc, ['spec', 'template', 'metadata', 'labels'])), containers: containersOf(podSpec) };
}

/** The `containers` of a pod spec. */
export function containersOf(podSpec: Record<string, unknown>): Container[] {
  const containers: Container[] = [];
  if (Array.isArray(podSpec.containers)) podSpec.containers.forEach((c, index) => isRecord(c) && containers.push({ index, list: 'containers', value: c }));
  return containers;
}

export function haWorkloads(model: KubernetesModel): HaWorkload[] {
  const out: HaWorkload[] = [];
  for (const d of model.documents) {
    const w = haWorkload(d);
    if (w) out.push(w);
  }
  return out;
}

/** Where a workload's diagnostics point: its name, else its kind. */
export function workloadRange(doc: KubeDocument): { start: number; end: number } {
  return doc.name !== undefined ? valueRangeAt(doc, ['metadata', 'name']) : keyRangeAt(doc, ['kind']);
}

/** The labels that identify a workload's pods: the template labels its own selector uses, else all of them. */
export function identifyingLabels(w: HaWorkload): Record<string, string> {
  const selector = labelsOf(valueAt(w.doc, ['spec', 'selector', 'matchLabels']));
  const picked: Record<string, string> = {};
  for (const [k, v] of Object.entries(selector)) if (w.podLabels[k] === v) picked[k] = v;
  return Object.keys(picked).length > 0 ? picked : w.podLabels;
}

/** A metav1.LabelSelector from its YAML value; undefined when absent (a null selector). */
export function selectorOf(v: unknown): LabelSelector | undefined {
  if (!isRecord(v)) return undefined;
  const out: LabelSelector = {};
  if (isRecord(v.matchLabels)) out.matchLabels = labelsOf(v.matchLabels);
  if (Array.isArray(v.matchExpressions)) {
    out.matchExpressions = v.matchExpressions.filter(isRecord).map((e) => ({
      key: String(e.key ?? ''),
      operator: String(e.operator ?? ''),
      values: Array.isArray(e.values) ? e.values.map(String) : undefined,
    }));
  }
  return out;
}

const valueSets = new WeakMap<object, ReadonlySet<string>>();

/** An expression's values as a set, made once: a selector is tested against many workloads. */
function valueSet(e: { values?: string[] }): ReadonlySet<string> {
  let set = valueSets.get(e);
  if (!set) valueSets.set(e, (set = new Set(e.values ?? [])));
  return set;
}

/**
 * Whether a selector selects a set of labels, as the API server evaluates it: every matchLabels pair
 * and every expression must hold; an empty selector selects everything, a missing one nothing.
 */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !valueSet(e).has(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && valueSet(e).has(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Namespaces compare with a missing one read as "default" (where `kubectl apply` puts it without -n). */
export const sameNamespace = (a: string | undefined, b: string | undefined): boolean => (a ?? 'default') === (b ?? 'default');

export const majority = (n: number): number => Math.floor(n / 2) + 1;

/** An int-or-percent PDB value scaled to `total` (the disruption controller rounds percentages up). */
export function scaled(v: number | string | undefined, total: number): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)%$/.exec(v.trim());
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  return /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}

/** Each anti-affinity term (required and preferred) and spread constraint of a pod spec, with its path. */
export interface SpreadTerm {
  path: PathSegment[];
  term: Record<string, unknown>;
  source: 'required' | 'preferred' | 'spread';
}

export function spreadTerms(w: HaWorkload): SpreadTerm[] {
  const out: SpreadTerm[] = [];
  const anti = isRecord(w.podSpec.affinity) ? w.podSpec.affinity.podAntiAffinity : undefined;
  const base = [...POD_SPEC, 'affinity', 'podAntiAffinity'];
  if (isRecord(anti)) {
    const req = anti.requiredDuringSchedulingIgnoredDuringExecution;
    if (Array.isArray(req)) req.forEach((t, i) => isRecord(t) && out.push({ path: [...base, 'requiredDuringSchedulingIgnoredDuringExecution', i], term: t, source: 'required' }));
    const pref = anti.preferredDuringSchedulingIgnoredDuringExecution;
    if (Array.isArray(pref)) {
      pref.forEach((t, i) => {
        if (isRecord(t) && isRecord(t.podAffinityTerm)) out.push({ path: [...base, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'podAffinityTerm'], term: t.podAffinityTerm, source: 'preferred' });
      });
    }
  }
  const tsc = w.podSpec.topologySpreadConstraints;
  if (Array.isArray(tsc)) tsc.forEach((t, i) => isRecord(t) && out.push({ path: [...POD_SPEC, 'topologySpreadConstraints', i], term: t, source: 'spread' }));
  return out;
}

export const HOSTNAME = 'kubernetes.io/hostname';
export const ZONE = 'topology.kubernetes.io/zone';
export const REGION = 'topology.kubernetes.io/region';

/** A small manifest for the checks' documentation: a workload whose pod spec is `podSpec` (indented by 2 per level, from column 0). */
export function exampleWorkload(kind: string, name: string, replicas: number, podSpec: string): string {
  const spec = podSpec.trimEnd().split('\n').map((l) => `      ${l}`).join('\n');
  return `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n${spec}\n`;
}
