import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { valueAt } from '../../../documents/yaml/kubernetes';
import { isRecord } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { CNPG_HEAD, cnpgClusters } from './cnpg';
import { intAt, label, rangeOf } from './helpers';

export const cnpgSynchronousConflict: Check<KubernetesModel> = {
  id: 'cnpg/synchronous-conflict',
  defaultSeverity: 'error',
  docs: {
    title: 'minSyncReplicas/maxSyncReplicas and postgresql.synchronous are both set',
    summary:
      'CloudNativePG has two ways to configure synchronous replication: the legacy `minSyncReplicas`/`maxSyncReplicas` fields and the `postgresql.synchronous` stanza. Its admission webhook rejects a Cluster that uses both.\n\n' +
      'Keep one. The `postgresql.synchronous` stanza is the current one: remove `minSyncReplicas` and `maxSyncReplicas` (or set them to 0).',
    bad: `${CNPG_HEAD}  instances: 3\n  maxSyncReplicas: 1\n  postgresql:\n    synchronous:\n      method: any\n      number: 1\n`,
    good: `${CNPG_HEAD}  instances: 3\n  postgresql:\n    synchronous:\n      method: any\n      number: 1\n`,
  },
  check(ctx) {
    for (const c of cnpgClusters(ctx.model)) {
      if (!isRecord(valueAt(c.doc, ['spec', 'postgresql', 'synchronous']))) continue;
      const legacy = (['minSyncReplicas', 'maxSyncReplicas'] as const).filter((k) => (intAt(c.doc, ['spec', k]) ?? 0) > 0);
      if (legacy.length === 0) continue;
      ctx.report({
        ...rangeOf(c.doc, ['spec', legacy[0]]),
        message: `${label(c.doc)}: ${legacy.join(' and ')} cannot be combined with postgresql.synchronous; the CloudNativePG webhook rejects this Cluster. Remove ${legacy.join(' and ')} and keep the synchronous stanza.`,
      });
    }
  },
};
