import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { valueRangeAt } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { majority, scaled } from './helpers';
import { fileWorkloads, pdbDocs, pdbTargets, targetName } from './pdb';

export const pdbBlocksDrain: Check<KubernetesModel> = {
  id: 'kubernetes/pdb-blocks-drain',
  // Reads the replicas of workloads in the file's other documents (and in the workspace's other files).
  scope: 'document',
  defaultSeverity: 'warning',
  docs: {
    title: 'A PodDisruptionBudget that allows no disruption',
    summary:
      'With `maxUnavailable: 0`, or `minAvailable` equal to (or above) the replicas it selects, the budget never allows an eviction. `kubectl drain`, cluster upgrades and the autoscaler then wait forever on the node, and operators end up deleting the budget or the pod by hand — the opposite of a controlled failover.\n\nAllow one disruption: `maxUnavailable: 1`, or `minAvailable` below the replica count. Replica counts are read from the workloads the budget selects, in the same file or in other files of the workspace.',
    bad: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: db\nspec:\n  maxUnavailable: 0\n  selector:\n    matchLabels:\n      app: db\n',
    good: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: db\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: db\n',
  },
  check(ctx) {
    const pdbs = pdbDocs(ctx.model);
    const local = pdbs.length > 0 ? fileWorkloads(ctx.model) : [];
    for (const p of pdbs) {
      if (p.maxUnavailable !== undefined && scaled(p.maxUnavailable, 100) === 0) {
        const r = valueRangeAt(p.doc, ['spec', 'maxUnavailable']);
        ctx.report({ ...r, message: 'maxUnavailable 0 allows no voluntary eviction: node drains and upgrades block forever. Allow at least one pod to be unavailable.', fixes: [{ title: 'Set maxUnavailable to 1', edits: [{ ...r, newText: '1' }], preferred: true }] });
        continue;
      }
      if (p.minAvailable === undefined) continue;
      // Ranges need the document's nodes: found only for a budget that is reported.
      const r = () => valueRangeAt(p.doc, ['spec', 'minAvailable']);
      if (typeof p.minAvailable === 'string' && scaled(p.minAvailable, 100) !== undefined && scaled(p.minAvailable, 100)! >= 100) {
        ctx.report({ ...r(), message: `minAvailable ${p.minAvailable} allows no voluntary eviction: node drains block forever. Use a lower value, or maxUnavailable: 1.` });
        continue;
      }
      for (const w of pdbTargets(local, ctx.workspace, ctx.file.uri, p)) {
        const min = scaled(p.minAvailable, w.replicas);
        if (min === undefined || min < w.replicas) continue;
        const quorum = w.system?.quorum && w.replicas > 2 ? majority(w.replicas) : w.replicas - 1;
        const range = r();
        ctx.report({
          ...range,
          message: `minAvailable ${p.minAvailable} is not below the ${w.replicas} replica(s) of ${targetName(w)}: no pod may ever be evicted, so node drains block forever. Use minAvailable ${Math.max(quorum, 0)} or maxUnavailable 1.`,
          fixes: w.replicas > 1 ? [{ title: `Set minAvailable to ${quorum}`, edits: [{ ...range, newText: String(quorum) }], preferred: true }] : undefined,
        });
        break;
      }
    }
  },
};
