import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { CNPG_HEAD, cnpgClusters } from './cnpg';
import { intAt, label, rangeOf } from './helpers';

export const cnpgMinSyncReplicas: Check<KubernetesModel> = {
  id: 'cnpg/min-sync-replicas',
  defaultSeverity: 'error',
  docs: {
    title: 'minSyncReplicas is greater than maxSyncReplicas',
    summary:
      'CloudNativePG\'s admission webhook rejects a Cluster whose `minSyncReplicas` exceeds `maxSyncReplicas`. `maxSyncReplicas` defaults to 0, so writing only `minSyncReplicas` is rejected too.\n\n' +
      'Set `maxSyncReplicas` to at least `minSyncReplicas` (and below `instances`), or move to the `postgresql.synchronous` stanza.',
    bad: `${CNPG_HEAD}  instances: 3\n  minSyncReplicas: 1\n`,
    good: `${CNPG_HEAD}  instances: 3\n  minSyncReplicas: 1\n  maxSyncReplicas: 1\n`,
  },
  check(ctx) {
    for (const c of cnpgClusters(ctx.model)) {
      const min = intAt(c.doc, ['spec', 'minSyncReplicas']);
      const max = intAt(c.doc, ['spec', 'maxSyncReplicas']) ?? 0;
      if (min === undefined || min <= max) continue;
      ctx.report({
        ...rangeOf(c.doc, ['spec', 'minSyncReplicas']),
        message: `${label(c.doc)}: minSyncReplicas (${min}) is greater than maxSyncReplicas (${max}${intAt(c.doc, ['spec', 'maxSyncReplicas']) === undefined ? ', its default' : ''}); the CloudNativePG webhook rejects this Cluster. Set maxSyncReplicas to at least ${min} or lower minSyncReplicas.`,
      });
    }
  },
};
