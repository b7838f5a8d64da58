import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { valueRangeAt } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { replaceScalar } from '../yaml-edit';
import { haWorkloads, majority } from './helpers';
import { systemOf } from './systems';

export const quorumReplicas: Check<KubernetesModel> = {
  id: 'kubernetes/quorum-replicas',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: 'A quorum system runs an even number of members, or fewer than 3',
    summary:
      'etcd, ZooKeeper, Consul servers, Redis Sentinel and Patroni with its Raft DCS need a majority of members to agree. Two members tolerate no failure (the majority of 2 is 2), and an even count tolerates no more failures than the odd count below it while adding one more member that can fail.\n\nRun 3 or 5 members (an odd number, at least 3).',
    bad: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: zk\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: zk\n          image: zookeeper:3.9\n',
    good: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: zk\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: zk\n          image: zookeeper:3.9\n',
  },
  check(ctx) {
    for (const w of haWorkloads(ctx.model)) {
      const system = systemOf(w);
      if (!system?.quorum || (w.replicas >= 3 && w.replicas % 2 === 1)) continue;
      const n = w.replicas;
      const target = Math.max(3, n % 2 === 0 ? n + 1 : n);
      const edit = replaceScalar(w.doc, ['spec', 'replicas'], target);
      ctx.report({
        ...valueRangeAt(w.doc, ['spec', 'replicas']),
        message: `${system.name} with ${n} members needs ${majority(n)} to agree and tolerates ${n - majority(n)} failure(s); ${n < 3 ? 'it has no fault tolerance' : `${n - 1} members tolerate as many`}. Use an odd number of at least 3 members (for example ${target}).`,
        fixes: edit ? [{ title: `Set replicas to ${target}`, edits: [edit], preferred: true }] : undefined,
      });
    }
  },
};
