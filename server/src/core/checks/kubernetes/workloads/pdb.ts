import type { KubeDocument, KubernetesModel } from '../../../documents/yaml/kubernetes';
import { isRecord, valueAt } from '../../../documents/yaml/kubernetes';
import type { LabelSelector, WorkspaceView } from '../../../types';
import { fileNameOf } from '../../../workspace';
import type { HaWorkload } from './helpers';
import { HA_KINDS, haWorkload, selectorOf } from './helpers';
import { LabelIndex, workloadIndex } from './selector-index';
import type { SystemKind } from './systems';
import { systemOf } from './systems';

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

/** A workload a PDB selects, as the budget rules judge it: from this file or from another workspace file. */
export interface PdbTarget {
  kind: string;
  name: string | undefined;
  replicas: number;
  system: SystemKind | undefined;
  /** The name of the file declaring it, when that is another file of the workspace. */
  file?: string;
}

/**
 * The workloads whose pods a PDB selects (same namespace, selector matching the pod labels): those of
 * `local` (from `fileWorkloads`) first, then the StatefulSets, Deployments and ReplicaSets of the
 * workspace's other files.
 */
export function pdbTargets(local: readonly HaWorkload[], workspace: WorkspaceView, uri: string, pdb: PdbDoc): PdbTarget[] {
  const ns = pdb.doc.namespace;
  const out: PdbTarget[] = localIndex(local)
    .selectedBy(ns, pdb.selector)
    .map((w) => ({ kind: w.doc.kind ?? '', name: w.doc.name, replicas: w.replicas, system: systemOf(w) }));
  for (const w of workloadIndex(workspace.workloads()).selectedBy(ns, pdb.selector)) {
    if (w.uri === uri || !HA_KINDS.has(w.kind) || w.replicas === undefined) continue;
    out.push({ kind: w.kind, name: w.name, replicas: w.replicas, system: w.system, file: fileNameOf(w.uri) });
  }
  return out;
}

const localIndexes = new WeakMap<readonly HaWorkload[], LabelIndex<HaWorkload>>();

/** The index of a file's workloads (from `fileWorkloads`), built once for all its budgets. */
function localIndex(local: readonly HaWorkload[]): LabelIndex<HaWorkload> {
  let index = localIndexes.get(local);
  if (!index) localIndexes.set(local, (index = new LabelIndex(local, (w) => w.doc.namespace, (w) => w.podLabels)));
  return index;
}

/** "StatefulSet zk", with "(in zk.yaml)" for a workload of another file. */
export function targetName(t: PdbTarget): string {
  return `${t.kind} ${t.name ?? ''}`.trimEnd() + (t.file ? ` (in ${t.file})` : '');
}

function oneReplica(doc: KubeDocument): HaWorkload | undefined {
  const labels = valueAt(doc, ['spec', 'template', 'metadata', 'labels']);
  const podLabels: Record<string, string> = {};
  if (isRecord(labels)) for (const [k, v] of Object.entries(labels)) podLabels[k] = String(v);
  return { doc, replicas: 1, podSpec: {}, podLabels, containers: [] };
}
