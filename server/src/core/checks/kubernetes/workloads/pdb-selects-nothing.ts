import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { keyRangeAt } from '../../../documents/yaml/kubernetes';
import type { Check, WorkloadFact } from '../../../types';
import { workloadIndex } from './selector-index';
import type { PdbDoc } from './pdb';
import { pdbDocs } from './pdb';

const rangeOf = (p: PdbDoc) => keyRangeAt(p.doc, p.selector ? ['spec', 'selector'] : ['spec']);

const DB = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  replicas: 3\n  template:\n    metadata:\n      labels:\n        app: db\n---\n';
const PDB_BAD = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: db\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: dbb\n';
const PDB_GOOD = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: db\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: db\n';

/** What the PDB's namespace holds: known workloads, and whether any of them has pods it selects. */
function targets(p: PdbDoc, workloads: readonly WorkloadFact[]): { known: number; selected: number } {
  const index = workloadIndex(workloads);
  return { known: index.count(p.doc.namespace), selected: index.selectedBy(p.doc.namespace, p.selector).length };
}

export const pdbSelectsNothing: Check<KubernetesModel> = {
  id: 'kubernetes/pdb-selects-nothing',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: 'A PodDisruptionBudget selects no known workload',
    summary:
      'A PodDisruptionBudget protects only the pods its `selector` matches in its own namespace. A selector with a typo, a label the pod template does not carry, or no selector at all protects nothing, and drains evict the workload it was written for without limit.\n\nMake `spec.selector.matchLabels` equal to labels of the workload\'s pod template, in the same namespace.',
    bad: DB + PDB_BAD,
    good: DB + PDB_GOOD,
  },
  check(ctx) {
    const workloads = ctx.workspace.workloads();
    for (const p of pdbDocs(ctx.model)) {
      const t = targets(p, workloads);
      if (!p.selector) {
        ctx.report({ ...rangeOf(p), message: 'This PodDisruptionBudget has no selector, so it selects no pods and protects nothing. Add spec.selector.matchLabels with the pod labels of the workload it is for.' });
      } else if (t.known > 0 && t.selected === 0) {
        ctx.report({ ...rangeOf(p), message: `This PodDisruptionBudget's selector matches none of the ${t.known} workload(s) known in namespace ${p.doc.namespace ?? 'default'}, so it protects nothing. Make it select the pod template labels of the workload it is for.` });
      }
    }
  },
};

export const pdbTargetUnknown: Check<KubernetesModel> = {
  id: 'kubernetes/pdb-target-unknown',
  scope: 'region',
  defaultSeverity: 'information',
  docs: {
    title: 'A PodDisruptionBudget whose workload is not in the workspace',
    summary:
      'No workload of the PodDisruptionBudget\'s namespace is known (the workload may come from an operator, a Helm chart or a file outside the workspace), so whether its selector matches anything cannot be checked. Open the folder holding the workload to have the selector verified.',
    bad: PDB_BAD,
  },
  check(ctx) {
    const workloads = ctx.workspace.workloads();
    for (const p of pdbDocs(ctx.model)) {
      if (!p.selector || targets(p, workloads).known > 0) continue;
      ctx.report({ ...rangeOf(p), message: `No workload of namespace ${p.doc.namespace ?? 'default'} is known, so whether this selector matches any pods cannot be checked. Open the files declaring the workload to have it verified.` });
    }
  },
};
