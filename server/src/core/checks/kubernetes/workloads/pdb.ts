import type { KubeDocument, KubernetesModel } from '../../../documents/yaml/kubernetes';
import { isRecord, valueAt } from '../../../documents/yaml/kubernetes';
import type { LabelSelector } from '../../../types';
import type { HaWorkload } from './helpers';
import { HA_KINDS, haWorkload, selectorOf, selects, sameNamespace } from './helpers';

/** A PodDisruptionBudget document of the file being checked. */
export interface PdbDoc {
  doc: KubeDocument;
  selector: LabelSelector | undefined;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

const intOrString = (v: unknown): number | string | undefined => (typeof v === 'number' || typeof v === 'string' ? v : undefined);

export function pdbDocs(model: KubernetesModel): PdbDoc[] {
  const out: PdbDoc[] = [];
  for (const doc of model.documents) {
    const spec = valueAt(doc, ['spec']);
    if (doc.kind !== 'PodDisruptionBudget' || !isRecord(spec)) continue;
    out.push({ doc, selector: selectorOf(spec.selector), minAvailable: intOrString(spec.minAvailable), maxUnavailable: intOrString(spec.maxUnavailable) });
  }
  return out;
}

/** Every StatefulSet, Deployment and ReplicaSet of the file, whatever its replicas (a missing `replicas` is 1). */
export function fileWorkloads(model: KubernetesModel): HaWorkload[] {
  const out: HaWorkload[] = [];
  for (const doc of model.documents) {
    if (!doc.kind || !HA_KINDS.has(doc.kind)) continue;
    const replicas = valueAt(doc, ['spec', 'replicas']);
    const w = haWorkload(doc) ?? (replicas === undefined || replicas === 1 ? oneReplica(doc) : undefined);
    if (w) out.push(w);
  }
  return out;
}

/** The workloads of `workloads` (from `fileWorkloads`) whose pods a PDB selects. */
export function selectedWorkloads(workloads: readonly HaWorkload[], pdb: PdbDoc): HaWorkload[] {
  return workloads.filter((w) => sameNamespace(w.doc.namespace, pdb.doc.namespace) && selects(pdb.selector, w.podLabels));
}

function oneReplica(doc: KubeDocument): HaWorkload | undefined {
  const labels = valueAt(doc, ['spec', 'template', 'metadata', 'labels']);
  const podLabels: Record<string, string> = {};
  if (isRecord(labels)) for (const [k, v] of Object.entries(labels)) podLabels[k] = String(v);
  return { doc, replicas: 1, podSpec: {}, podLabels, containers: [] };
}
