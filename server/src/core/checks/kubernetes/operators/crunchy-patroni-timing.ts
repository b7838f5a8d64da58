import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check, Fix } from '../../../types';
import { CRUNCHY_HEAD, CRUNCHY_SET, crunchyClusters, crunchyTiming } from './crunchy';
import { label, rangeOf, setEdit } from './helpers';
import { patroniTiming } from '../../patroni/timing-rule';

const NAMES: Record<string, string> = { ttl: 'leaderLeaseDurationSeconds', loop_wait: 'syncPeriodSeconds', retry_timeout: 'dynamicConfiguration.retry_timeout' };

export const crunchyPatroniTiming: Check<KubernetesModel> = {
  id: 'crunchy/patroni-timing',
  defaultSeverity: 'warning',
  docs: {
    title: 'The Patroni timing PGO derives from the PostgresCluster breaks Patroni\'s rule',
    summary:
      'Crunchy PGO runs Patroni with `ttl = patroni.leaderLeaseDurationSeconds`, `loop_wait = patroni.syncPeriodSeconds` and the `retry_timeout` of `patroni.dynamicConfiguration` (Patroni\'s default 10 when not set). Patroni needs `loop_wait + 2 × retry_timeout <= ttl` and `ttl >= 20`, `loop_wait >= 1`, `retry_timeout >= 3`; otherwise it adjusts the values at run time and the cluster does not run with what the manifest says.\n\n' +
      'Raise `leaderLeaseDurationSeconds` or lower `syncPeriodSeconds`/`retry_timeout`. The message shows the values Patroni will use.',
    bad: `${CRUNCHY_HEAD}  patroni:\n    leaderLeaseDurationSeconds: 25\n${CRUNCHY_SET}      replicas: 2\n`,
    good: `${CRUNCHY_HEAD}  patroni:\n    leaderLeaseDurationSeconds: 30\n${CRUNCHY_SET}      replicas: 2\n`,
  },
  check(ctx) {
    for (const doc of crunchyClusters(ctx.model)) {
      const t = crunchyTiming(doc);
      if (t.written.size === 0 || t.loop_wait >= t.ttl) continue;
      const verdict = patroniTiming(t);
      if (verdict.changes.length === 0) continue;
      const anchor = t.written.has('leaderLeaseDurationSeconds') ? 'leaderLeaseDurationSeconds' : t.written.has('syncPeriodSeconds') ? 'syncPeriodSeconds' : 'retry_timeout';
      const path = anchor === 'retry_timeout' ? ['spec', 'patroni', 'dynamicConfiguration', 'retry_timeout'] : ['spec', 'patroni', anchor];
      const needed = Math.max(20, Math.max(t.loop_wait, 1) + 2 * Math.max(t.retry_timeout, 3));
      const fixes: Fix[] = [];
      const edit = setEdit(doc, ctx.model.file.text, ['spec', 'patroni', 'leaderLeaseDurationSeconds'], needed);
      if (edit && t.loop_wait >= 1 && t.retry_timeout >= 3) fixes.push({ title: `Raise leaderLeaseDurationSeconds to ${needed}`, edits: [edit], preferred: true });
      const changes = verdict.changes.map((c) => `${NAMES[c.slice(0, c.indexOf(' '))]} (${c.slice(0, c.indexOf(' '))}) ${c.slice(c.indexOf(' ') + 1)}`);
      ctx.report({
        ...rangeOf(doc, path),
        message: `${label(doc)}: Patroni gets ttl ${t.ttl}, loop_wait ${t.loop_wait}, retry_timeout ${t.retry_timeout}, ${verdict.ruleBroken ? `and ${t.loop_wait} + 2 × ${t.retry_timeout} exceeds ${t.ttl}` : 'and a value is below Patroni\'s minimum (ttl 20, loop_wait 1, retry_timeout 3)'}; it will run with ${changes.join(', ')}. Raise leaderLeaseDurationSeconds to at least ${needed} or lower syncPeriodSeconds/retry_timeout.`,
        fixes,
      });
    }
  },
};
