import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { valueAt } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { CNPG_HEAD, cnpgClusters } from './cnpg';
import { label, rangeOf, setValuesFix } from './helpers';

export const cnpgAntiAffinityPreferred: Check<KubernetesModel> = {
  id: 'cnpg/anti-affinity-preferred',
  defaultSeverity: 'information',
  docs: {
    title: 'CloudNativePG instances are only preferably spread over nodes',
    summary:
      'CloudNativePG\'s pod anti-affinity type defaults to `preferred`: the scheduler tries to place each instance on a different node but places them together when it cannot (too few nodes, a node full, nodes drained at the same time). The cluster then runs with the primary and a standby on one node and nothing says so.\n\n' +
      'When the Kubernetes cluster has at least as many schedulable nodes as instances, set `affinity.podAntiAffinityType: required`. Keep `preferred` knowingly on small clusters, where `required` would leave instances Pending. This is advice, reported whether `preferred` is written or left as the default.',
    bad: `${CNPG_HEAD}  instances: 3\n`,
    good: `${CNPG_HEAD}  instances: 3\n  affinity:\n    podAntiAffinityType: required\n`,
  },
  check(ctx) {
    for (const c of cnpgClusters(ctx.model)) {
      if (c.instances < 2) continue;
      if (valueAt(c.doc, ['spec', 'affinity', 'enablePodAntiAffinity']) === false) continue;
      const type = valueAt(c.doc, ['spec', 'affinity', 'podAntiAffinityType']);
      if (type !== undefined && type !== null && type !== 'preferred') continue;
      const written = type === 'preferred';
      const fix = setValuesFix(c.doc, ctx.model.file.text, 'Set podAntiAffinityType to required', ['spec', 'affinity'], { podAntiAffinityType: 'required' });
      ctx.report({
        ...rangeOf(c.doc, written ? ['spec', 'affinity', 'podAntiAffinityType'] : ['spec', 'instances']),
        message: `${label(c.doc)}: pod anti-affinity is ${written ? '' : 'left at its default, '}preferred, so the scheduler may still co-locate instances on one node. Set affinity.podAntiAffinityType to required when there are at least ${c.instances} nodes.`,
        fixes: fix ? [fix] : [],
      });
    }
  },
};
