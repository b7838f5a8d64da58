import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { valueRangeAt } from '../../../documents/yaml/kubernetes';
import type { Check, Fix } from '../../../types';

interface Removed {
  /** The apiVersion to use instead, or undefined when the kind itself is gone. */
  use?: string;
  /** The kind to use instead, when it was renamed. */
  kind?: string;
  /** The Kubernetes release that stopped serving it. */
  removedIn: string;
}

const APPS = { use: 'apps/v1', removedIn: '1.16' };

/** apiVersion → kind (or '*') → what replaced it. From the Kubernetes deprecated API migration guide. */
const REMOVED: Record<string, Record<string, Removed>> = {
  'apps/v1alpha1': { PetSet: { use: 'apps/v1', kind: 'StatefulSet', removedIn: '1.5' } },
  'apps/v1beta1': { '*': APPS },
  'apps/v1beta2': { '*': APPS },
  'extensions/v1beta1': {
    Deployment: APPS,
    DaemonSet: APPS,
    ReplicaSet: APPS,
    StatefulSet: APPS,
    NetworkPolicy: { use: 'networking.k8s.io/v1', removedIn: '1.16' },
    Ingress: { use: 'networking.k8s.io/v1', removedIn: '1.22' },
    PodSecurityPolicy: { removedIn: '1.25' },
  },
  'policy/v1beta1': { PodDisruptionBudget: { use: 'policy/v1', removedIn: '1.25' }, PodSecurityPolicy: { removedIn: '1.25' } },
  'batch/v1beta1': { CronJob: { use: 'batch/v1', removedIn: '1.25' } },
  'batch/v2alpha1': { CronJob: { use: 'batch/v1', removedIn: '1.21' } },
  'coordination.k8s.io/v1beta1': { Lease: { use: 'coordination.k8s.io/v1', removedIn: '1.22' } },
  'networking.k8s.io/v1beta1': { Ingress: { use: 'networking.k8s.io/v1', removedIn: '1.22' }, IngressClass: { use: 'networking.k8s.io/v1', removedIn: '1.22' } },
  'rbac.authorization.k8s.io/v1beta1': { '*': { use: 'rbac.authorization.k8s.io/v1', removedIn: '1.22' } },
  'rbac.authorization.k8s.io/v1alpha1': { '*': { use: 'rbac.authorization.k8s.io/v1', removedIn: '1.22' } },
  'apiextensions.k8s.io/v1beta1': { CustomResourceDefinition: { use: 'apiextensions.k8s.io/v1', removedIn: '1.22' } },
  'scheduling.k8s.io/v1beta1': { PriorityClass: { use: 'scheduling.k8s.io/v1', removedIn: '1.22' } },
  'storage.k8s.io/v1beta1': { StorageClass: { use: 'storage.k8s.io/v1', removedIn: '1.22' }, CSIDriver: { use: 'storage.k8s.io/v1', removedIn: '1.22' } },
  'autoscaling/v2beta1': { HorizontalPodAutoscaler: { use: 'autoscaling/v2', removedIn: '1.25' } },
  'autoscaling/v2beta2': { HorizontalPodAutoscaler: { use: 'autoscaling/v2', removedIn: '1.26' } },
  'discovery.k8s.io/v1beta1': { EndpointSlice: { use: 'discovery.k8s.io/v1', removedIn: '1.25' } },
};

export function removedApi(apiVersion: string, kind: string): Removed | undefined {
  const table = REMOVED[apiVersion];
  return table ? (table[kind] ?? table['*']) : undefined;
}

export const deprecatedApi: Check<KubernetesModel> = {
  id: 'kubernetes/deprecated-api',
  scope: 'region',
  defaultSeverity: 'error',
  docs: {
    title: 'An apiVersion the API server no longer serves',
    summary:
      'Kubernetes stops serving beta API versions a few releases after the stable one appears: `kubectl apply` of a `policy/v1beta1` PodDisruptionBudget or an `apps/v1beta2` StatefulSet fails on any current cluster with "no matches for kind". Old examples and charts still carry them, and a PDB that never gets created leaves the database unprotected during node drains.\n\nChange `apiVersion` to the one named in the message (the quick fix does it). Check the fields that changed with it: `apps/v1` workloads require `spec.selector`, and `PetSet` became `StatefulSet`.',
    bad: 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: pg\nspec:\n  minAvailable: 2\n  selector:\n    matchLabels:\n      app: pg\n',
    good: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: pg\nspec:\n  minAvailable: 2\n  selector:\n    matchLabels:\n      app: pg\n',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const doc of ctx.model.documents) {
      if (!doc.apiVersion || !doc.kind) continue;
      const removed = removedApi(doc.apiVersion, doc.kind);
      if (!removed) continue;
      const r = valueRangeAt(doc, ['apiVersion']);
      const fixes: Fix[] = [];
      if (removed.use) {
        const q = text[r.start] === '"' || text[r.start] === "'" ? text[r.start] : '';
        const edits = [{ start: r.start, end: r.end, newText: `${q}${removed.use}${q}` }];
        if (removed.kind) {
          const k = valueRangeAt(doc, ['kind']);
          const kq = text[k.start] === '"' || text[k.start] === "'" ? text[k.start] : '';
          edits.push({ start: k.start, end: k.end, newText: `${kq}${removed.kind}${kq}` });
        }
        fixes.push({ title: `Use ${removed.use}${removed.kind ? ` ${removed.kind}` : ''}`, edits, preferred: true });
      }
      const instead = removed.use ? `use \`apiVersion: ${removed.use}\`${removed.kind ? ` with \`kind: ${removed.kind}\`` : ''}` : `\`${doc.kind}\` has no replacement in this API; remove the document or use its successor`;
      ctx.report({
        start: r.start,
        end: r.end,
        message: `\`${doc.apiVersion}\` ${doc.kind} is no longer served (removed in Kubernetes ${removed.removedIn}), so the API server rejects this document: ${instead}.`,
        fixes,
      });
    }
  },
};
