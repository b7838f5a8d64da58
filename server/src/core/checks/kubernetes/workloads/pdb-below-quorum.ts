import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { valueRangeAt } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { majority, scaled } from './helpers';
import { fileWorkloads, pdbDocs, pdbTargets } from './pdb';

export const pdbBelowQuorum: Check<KubernetesModel> = {
  id: 'kubernetes/pdb-below-quorum',
  // Reads the replicas of workloads in the file's other documents (and in the workspace's other files).
  scope: 'document',
  defaultSeverity: 'warning',
  docs: {
    title: 'A PodDisruptionBudget lets a quorum system lose its majority',
    summary:
      'For etcd, ZooKeeper, Consul, Redis Sentinel or Patroni on Raft, the budget must keep a majority of members running: `minAvailable` at least ⌊n/2⌋+1, or `maxUnavailable` at most n minus that. A looser budget lets a drain evict enough members to stop the cluster from electing a leader or accepting writes.\n\nSet `minAvailable` to the majority of the replicas (2 of 3, 3 of 5). The workload is looked for in the same file and in the other files of the workspace.',
    bad: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: zk\nspec:\n  replicas: 5\n  template:\n    metadata:\n      labels:\n        app: zk\n    spec:\n      containers:\n        - name: zk\n          image: zookeeper:3.9\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: zk\nspec:\n  minAvailable: 2\n  selector:\n    matchLabels:\n      app: zk\n',
    good: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: zk\nspec:\n  replicas: 5\n  template:\n    metadata:\n      labels:\n        app: zk\n    spec:\n      containers:\n        - name: zk\n          image: zookeeper:3.9\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: zk\nspec:\n  minAvailable: 3\n  selector:\n    matchLabels:\n      app: zk\n',
  },
  check(ctx) {
    const pdbs = pdbDocs(ctx.model);
    const local = pdbs.length > 0 ? fileWorkloads(ctx.model) : [];
    for (const p of pdbs) {
      for (const w of pdbTargets(local, ctx.workspace, ctx.file.uri, p)) {
        const system = w.system;
        // Two members cannot keep a majority through any disruption; quorum-replicas reports that.
        if (!system?.quorum || w.replicas < 3) continue;
        const need = majority(w.replicas);
        const min = scaled(p.minAvailable, w.replicas);
        const max = scaled(p.maxUnavailable, w.replicas);
        const field = min !== undefined && min < need ? 'minAvailable' : max !== undefined && max > w.replicas - need ? 'maxUnavailable' : undefined;
        if (!field) continue;
        const r = valueRangeAt(p.doc, ['spec', field]);
        const newText = String(field === 'minAvailable' ? need : w.replicas - need);
        const where = w.file ? ` (in ${w.file})` : '';
        ctx.report({
          ...r,
          message: `${system.name} ${w.name ?? ''}${where} has ${w.replicas} members and needs ${need} running, but ${field} ${String(field === 'minAvailable' ? p.minAvailable : p.maxUnavailable)} lets a drain take it below that majority. Set ${field} to ${newText}.`,
          fixes: need < w.replicas ? [{ title: `Set ${field} to ${newText}`, edits: [{ ...r, newText }], preferred: true }] : undefined,
        });
        break;
      }
    }
  },
};
