import type { KubeDocument, KubernetesModel } from '../../../documents/yaml/kubernetes';
import { intAt, isWritten, resourcesOf } from './helpers';

/** A CloudNativePG Cluster and its instance count (the CRD's default is 1). */
export interface CnpgCluster {
  doc: KubeDocument;
  instances: number;
}

/** The Clusters of a file; one whose `instances` is not an integer is left to the schema check. */
export function cnpgClusters(model: KubernetesModel): CnpgCluster[] {
  const out: CnpgCluster[] = [];
  for (const doc of resourcesOf(model, 'postgresql.cnpg.io', 'Cluster')) {
    const instances = intAt(doc, ['spec', 'instances']);
    if (instances === undefined && isWritten(doc, ['spec', 'instances'])) continue;
    out.push({ doc, instances: instances ?? 1 });
  }
  return out;
}

export const CNPG_HEAD = 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n';
