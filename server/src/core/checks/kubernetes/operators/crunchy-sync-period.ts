import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { CRUNCHY_HEAD, CRUNCHY_SET, crunchyClusters, crunchyTiming } from './crunchy';
import { label, rangeOf } from './helpers';

export const crunchySyncPeriod: Check<KubernetesModel> = {
  id: 'crunchy/sync-period',
  defaultSeverity: 'warning',
  docs: {
    title: 'patroni.syncPeriodSeconds is not less than leaderLeaseDurationSeconds',
    summary:
      'Crunchy PGO uses `patroni.syncPeriodSeconds` as Patroni\'s `loop_wait` and `patroni.leaderLeaseDurationSeconds` as its `ttl`. Its API documents that the sync period must be less than the lease, but the CRD does not enforce it: the resource is accepted, the leader cannot renew its lease before it expires, and Patroni shortens the loop at run time.\n\n' +
      'Keep `syncPeriodSeconds + 2 × retry_timeout <= leaderLeaseDurationSeconds`, for instance the defaults 10 and 30.',
    bad: `${CRUNCHY_HEAD}  patroni:\n    leaderLeaseDurationSeconds: 30\n    syncPeriodSeconds: 30\n${CRUNCHY_SET}      replicas: 2\n`,
    good: `${CRUNCHY_HEAD}  patroni:\n    leaderLeaseDurationSeconds: 30\n    syncPeriodSeconds: 10\n${CRUNCHY_SET}      replicas: 2\n`,
  },
  check(ctx) {
    for (const doc of crunchyClusters(ctx.model)) {
      const t = crunchyTiming(doc);
      if (t.loop_wait < t.ttl) continue;
      const anchor = t.written.has('syncPeriodSeconds') ? 'syncPeriodSeconds' : 'leaderLeaseDurationSeconds';
      ctx.report({
        ...rangeOf(doc, ['spec', 'patroni', anchor]),
        message: `${label(doc)}: syncPeriodSeconds (${t.loop_wait}) must be less than leaderLeaseDurationSeconds (${t.ttl}); the leader cannot renew its lease in time. Lower syncPeriodSeconds or raise leaderLeaseDurationSeconds.`,
      });
    }
  },
};
