import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { valueAt } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { CNPG_HEAD, cnpgClusters } from './cnpg';
import { label, rangeOf, setValuesFix } from './helpers';

export const cnpgAntiAffinityDisabled: Check<KubernetesModel> = {
  id: 'cnpg/anti-affinity-disabled',
  defaultSeverity: 'warning',
  docs: {
    title: 'affinity.enablePodAntiAffinity is false on a Cluster with several instances',
    summary:
      'CloudNativePG adds a pod anti-affinity rule on `kubernetes.io/hostname` between the instances of a Cluster unless `affinity.enablePodAntiAffinity` is false. Without it the scheduler may place the primary and its standbys on the same node, and one node failure or drain takes the whole cluster down.\n\n' +
      'Set `enablePodAntiAffinity: true` and, when the Kubernetes cluster has at least as many nodes as instances, `podAntiAffinityType: required` so the rule is enforced rather than merely preferred. The quick fix sets both.',
    bad: `${CNPG_HEAD}  instances: 3\n  affinity:\n    enablePodAntiAffinity: false\n`,
    good: `${CNPG_HEAD}  instances: 3\n  affinity:\n    enablePodAntiAffinity: true\n    podAntiAffinityType: required\n`,
  },
  check(ctx) {
    for (const c of cnpgClusters(ctx.model)) {
      if (c.instances < 2 || valueAt(c.doc, ['spec', 'affinity', 'enablePodAntiAffinity']) !== false) continue;
      const fix = setValuesFix(c.doc, ctx.model.file.text, 'Enable required pod anti-affinity', ['spec', 'affinity'], { enablePodAntiAffinity: true, podAntiAffinityType: 'required' });
      ctx.report({
        ...rangeOf(c.doc, ['spec', 'affinity', 'enablePodAntiAffinity']),
        message: `${label(c.doc)} has ${c.instances} instances but enablePodAntiAffinity is false: the primary and its standbys may run on one node. Set enablePodAntiAffinity to true and podAntiAffinityType to required.`,
        fixes: fix ? [fix] : [],
      });
    }
  },
};
