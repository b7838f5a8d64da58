import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { keyRangeAt } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { insertUnder } from '../yaml-edit';
import { HOSTNAME, POD_SPEC, haWorkloads, identifyingLabels, spreadTerms } from './helpers';
import { colocationMatters } from './systems';

export const antiAffinityPreferred: Check<KubernetesModel> = {
  id: 'kubernetes/anti-affinity-preferred',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: 'Only preferred (soft) anti-affinity on a quorum or failover system',
    summary:
      '`preferredDuringSchedulingIgnoredDuringExecution` is a wish: when nodes are short (a drain, an autoscaler scale-down, a node outage) the scheduler co-locates replicas anyway. For etcd, ZooKeeper, Consul and Redis Sentinel, two members on one node mean that node takes the majority with it; for Patroni/Spilo, the primary and its replica fail together.\n\n' +
      'Add a `requiredDuringSchedulingIgnoredDuringExecution` term on `kubernetes.io/hostname` (the quick fix does, keeping the preferred terms) (or a topology spread constraint with `whenUnsatisfiable: DoNotSchedule`), and make sure the cluster has at least as many nodes as replicas.',
    bad: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: etcd\nspec:\n  replicas: 3\n  template:\n    metadata:\n      labels:\n        app: etcd\n    spec:\n      affinity:\n        podAntiAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n            - weight: 100\n              podAffinityTerm:\n                labelSelector:\n                  matchLabels:\n                    app: etcd\n                topologyKey: kubernetes.io/hostname\n      containers:\n        - name: etcd\n          image: quay.io/coreos/etcd:v3.5.9\n',
    good: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: etcd\nspec:\n  replicas: 3\n  template:\n    metadata:\n      labels:\n        app: etcd\n    spec:\n      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector:\n                matchLabels:\n                  app: etcd\n              topologyKey: kubernetes.io/hostname\n      containers:\n        - name: etcd\n          image: quay.io/coreos/etcd:v3.5.9\n',
  },
  check(ctx) {
    for (const w of haWorkloads(ctx.model)) {
      const terms = spreadTerms(w);
      if (!terms.some((t) => t.source === 'preferred')) continue;
      const hard = terms.some((t) => t.source === 'required' || (t.source === 'spread' && t.term.whenUnsatisfiable !== 'ScheduleAnyway' && t.term.topologyKey === HOSTNAME));
      if (hard) continue;
      const system = colocationMatters(w);
      if (!system) continue;
      const consequence = system.quorum ? 'a node holding two members takes the majority with it' : 'the primary and a replica can fail together';
      const labels = identifyingLabels(w);
      const required = [{ labelSelector: { matchLabels: labels }, topologyKey: HOSTNAME }];
      // The preferred terms stay: they still help where the required one has nothing to say (zones, say).
      const edit = Object.keys(labels).length > 0 ? insertUnder(w.doc, ctx.model.file.text, [...POD_SPEC, 'affinity', 'podAntiAffinity'], { requiredDuringSchedulingIgnoredDuringExecution: required }) : undefined;
      ctx.report({
        ...keyRangeAt(w.doc, [...POD_SPEC, 'affinity', 'podAntiAffinity', 'preferredDuringSchedulingIgnoredDuringExecution']),
        fixes: edit ? [{ title: `Require one member per node (${HOSTNAME})`, edits: [edit], preferred: true }] : undefined,
        message: `${system.name} runs with only preferred pod anti-affinity: the scheduler may still co-locate members, and ${consequence}. Use requiredDuringSchedulingIgnoredDuringExecution on ${HOSTNAME}.`,
      });
    }
  },
};
