import type { KubeDocument, KubernetesModel } from '../../../documents/yaml/kubernetes';
import { intAt, resourcesOf } from './helpers';

/** A Zalando `postgresql` resource and its numberOfInstances (undefined when not written). */
export interface ZalandoCluster {
  doc: KubeDocument;
  instances: number | undefined;
}

export function zalandoClusters(model: KubernetesModel): ZalandoCluster[] {
  return resourcesOf(model, 'acid.zalan.do', 'postgresql').map((doc) => ({ doc, instances: intAt(doc, ['spec', 'numberOfInstances']) }));
}

export const ZALANDO_HEAD = 'apiVersion: acid.zalan.do/v1\nkind: postgresql\nmetadata:\n  name: acid-pg\nspec:\n  teamId: acid\n  postgresql:\n    version: "16"\n  volume:\n    size: 1Gi\n';

/** A Zalando setting as the operator reads it: ConfigMap values are strings, OperatorConfiguration values booleans. */
export function settingBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return undefined;
}

export type AntiAffinityState = { known: false } | { known: true; on: boolean; uri: string };

/** enable_pod_antiaffinity as the workspace's operator configuration sets it; on when any configuration turns it on. */
export function zalandoAntiAffinity(
  settings: readonly { operator: string; name: string; value: unknown; uri: string; namespaces?: string[] }[],
  model?: KubernetesModel,
  namespace?: string,
): AntiAffinityState {
  // Only an operator that watches the cluster's namespace decides for it.
  const ns = namespace ?? 'default';
  const found = settings.filter((s) => s.operator === 'zalando' && s.name === 'enable_pod_antiaffinity' && (!s.namespaces || s.namespaces.includes(ns)));
  if (found.length === 0) {
    // An OperatorConfiguration in this file that leaves the setting out runs with its default, off.
    const config = model && resourcesOf(model, 'acid.zalan.do', 'OperatorConfiguration').length > 0;
    return config ? { known: true, on: false, uri: model.file.uri } : { known: false };
  }
  const on = found.find((s) => settingBoolean(s.value) === true);
  return { known: true, on: on !== undefined, uri: (on ?? found[0]).uri };
}

export const WHERE_TO_SET =
  'set configuration.kubernetes.enable_pod_antiaffinity: true in the OperatorConfiguration, or enable_pod_antiaffinity: "true" in the operator ConfigMap';
