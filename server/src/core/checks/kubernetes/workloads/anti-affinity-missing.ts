import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check, Fix } from '../../../types';
import { appendListItem, insertUnder } from '../yaml-edit';
import type { HaWorkload } from './helpers';
import { HOSTNAME, POD_SPEC, ZONE, haWorkloads, identifyingLabels, spreadTerms, workloadRange } from './helpers';

/** Fixes that spread a workload's pods: required anti-affinity per node, or a soft spread over zones. */
export function spreadFixes(w: HaWorkload, text: string): Fix[] {
  const labels = identifyingLabels(w);
  if (Object.keys(labels).length === 0) return [];
  const fixes: Fix[] = [];
  const term = { labelSelector: { matchLabels: labels }, topologyKey: HOSTNAME };
  const anti = insertUnder(w.doc, text, [...POD_SPEC, 'affinity'], { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } });
  if (anti) fixes.push({ title: `Add a required podAntiAffinity on ${HOSTNAME}`, edits: [anti], preferred: true });
  const spread = { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } };
  const tsc = appendListItem(w.doc, text, [...POD_SPEC, 'topologySpreadConstraints'], spread);
  if (tsc) fixes.push({ title: `Add a topologySpreadConstraint on ${ZONE}`, edits: [tsc] });
  return fixes;
}

export const antiAffinityMissing: Check<KubernetesModel> = {
  id: 'kubernetes/anti-affinity-missing',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: 'An HA workload has no pod anti-affinity and no topology spread',
    summary:
      'Without `podAntiAffinity` or a `topologySpreadConstraints` entry on `kubernetes.io/hostname` or `topology.kubernetes.io/zone`, the scheduler is free to put every replica on the same node. The manifest looks highly available, but one node failure or drain takes all replicas down at once.\n\n' +
      'Add a required `podAntiAffinity` term on `kubernetes.io/hostname` whose `labelSelector` matches the pod\'s own labels (one replica per node), or a topology spread constraint over zones. The zone constraint offered as a quick fix uses `whenUnsatisfiable: ScheduleAnyway`: with `DoNotSchedule`, a cluster with fewer zones than replicas, or a zone outage, would leave replicas Pending.',
    bad: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n        - name: db\n          image: postgres:16\n',
    good: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector:\n                matchLabels:\n                  app: db\n              topologyKey: kubernetes.io/hostname\n      containers:\n        - name: db\n          image: postgres:16\n',
  },
  check(ctx) {
    for (const w of haWorkloads(ctx.model)) {
      const spreads = spreadTerms(w).some((t) => t.source !== 'spread' || t.term.topologyKey === HOSTNAME || t.term.topologyKey === ZONE || t.term.topologyKey === 'failure-domain.beta.kubernetes.io/zone');
      if (spreads) continue;
      ctx.report({
        ...workloadRange(w.doc),
        message: `${[w.doc.kind, w.doc.name].filter(Boolean).join(' ')} has ${w.replicas} replicas but no podAntiAffinity and no topologySpreadConstraints on ${HOSTNAME} or ${ZONE}: all replicas may land on one node. Add a required podAntiAffinity on ${HOSTNAME} selecting the pod's own labels.`,
        fixes: spreadFixes(w, ctx.model.file.text),
      });
    }
  },
};
