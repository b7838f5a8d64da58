import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check, Fix } from '../../../types';
import { appendDocument } from '../yaml-edit';
import type { HaWorkload } from './helpers';
import { exampleWorkload, haWorkloads, identifyingLabels, majority, workloadRange } from './helpers';
import { pdbIndex } from './selector-index';

const WEB = exampleWorkload('Deployment', 'web', 2, 'containers:\n  - name: web\n    image: nginx:1.25\n');
import { systemOf } from './systems';

function pdbFix(w: HaWorkload, text: string): Fix | undefined {
  const labels = identifyingLabels(w);
  if (Object.keys(labels).length === 0) return undefined;
  const quorum = systemOf(w)?.quorum === true && majority(w.replicas) < w.replicas;
  const metadata: Record<string, unknown> = { name: `${w.doc.name ?? 'workload'}-pdb` };
  if (w.doc.namespace !== undefined) metadata.namespace = w.doc.namespace;
  const spec: Record<string, unknown> = quorum ? { minAvailable: majority(w.replicas) } : { maxUnavailable: 1 };
  spec.selector = { matchLabels: labels };
  const edit = appendDocument(w.doc, text, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata, spec });
  return { title: `Add a PodDisruptionBudget (${quorum ? `minAvailable ${majority(w.replicas)}` : 'maxUnavailable 1'}) after this ${w.doc.kind}`, edits: [edit], preferred: true };
}

export const pdbMissing: Check<KubernetesModel> = {
  id: 'kubernetes/pdb-missing',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: 'An HA workload has no PodDisruptionBudget',
    summary:
      'Without a PodDisruptionBudget, a node drain (a cluster upgrade, the autoscaler removing a node) may evict every replica at once: the eviction API has nothing that tells it to wait until an evicted replica is back. HA that survives crashes can still be lost to routine maintenance.\n\n' +
      'Add a `policy/v1` PodDisruptionBudget in the same namespace whose selector matches the pods: `maxUnavailable: 1` for most workloads, `minAvailable` set to the majority for quorum systems. The check looks for the budget in every file of the workspace it knows; with a single file open it can only search that file.',
    bad: WEB,
    good: `${WEB}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web-pdb\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: web\n`,
  },
  check(ctx) {
    const pdbs = pdbIndex(ctx.workspace.pdbs());
    for (const w of haWorkloads(ctx.model)) {
      if (pdbs.selecting(w.doc.namespace, w.podLabels).length > 0) continue;
      const files = ctx.workspace.fileCount;
      const where = files <= 1 ? 'searched this file only, as no other manifest is known; open the folder to search the workspace' : `searched the ${files} manifest files known in the workspace`;
      const fix = pdbFix(w, ctx.model.file.text);
      ctx.report({
        ...workloadRange(w.doc),
        message: `No PodDisruptionBudget selects the pods of ${w.doc.kind} ${w.doc.name ?? ''} (${where}): a node drain may evict all ${w.replicas} replicas at once. Add a policy/v1 PodDisruptionBudget selecting its pod labels.`,
        fixes: fix ? [fix] : undefined,
      });
    }
  },
};
