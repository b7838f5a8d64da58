import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { CNPG_HEAD, cnpgClusters } from './cnpg';
import { intAt, label, rangeOf } from './helpers';

export const cnpgMaxSyncReplicas: Check<KubernetesModel> = {
  id: 'cnpg/max-sync-replicas',
  defaultSeverity: 'error',
  docs: {
    title: 'maxSyncReplicas is not lower than instances',
    summary:
      'CloudNativePG\'s admission webhook rejects a Cluster whose `maxSyncReplicas` is equal to or greater than `instances`: the primary cannot wait for more synchronous standbys than the cluster has standbys, and with every standby synchronous, losing any one of them would stop writes.\n\n' +
      'Keep `maxSyncReplicas` at most `instances - 1` (and in practice below it, so one standby can be down without blocking commits), or raise `instances`.',
    bad: `${CNPG_HEAD}  instances: 2\n  maxSyncReplicas: 2\n`,
    good: `${CNPG_HEAD}  instances: 3\n  minSyncReplicas: 1\n  maxSyncReplicas: 1\n`,
  },
  check(ctx) {
    for (const c of cnpgClusters(ctx.model)) {
      const max = intAt(c.doc, ['spec', 'maxSyncReplicas']);
      if (max === undefined || max < c.instances) continue;
      ctx.report({
        ...rangeOf(c.doc, ['spec', 'maxSyncReplicas']),
        message: `${label(c.doc)}: maxSyncReplicas (${max}) must be lower than instances (${c.instances}); the CloudNativePG webhook rejects this Cluster. Set maxSyncReplicas to at most ${Math.max(c.instances - 1, 0)} or raise instances.`,
      });
    }
  },
};
