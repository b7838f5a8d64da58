import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { PathSegment } from '../../../documents/yaml/yaml-document';
import type { Check, Fix } from '../../../types';
import { intAt, label, rangeOf, setEdit } from './helpers';
import type { PatroniTiming } from '../../patroni/timing-rule';
import { patroniTiming } from '../../patroni/timing-rule';
import { ZALANDO_HEAD, zalandoClusters } from './zalando';

const KEYS = ['ttl', 'loop_wait', 'retry_timeout'] as const;

export const zalandoPatroniTiming: Check<KubernetesModel> = {
  id: 'zalando/patroni-timing',
  defaultSeverity: 'warning',
  docs: {
    title: 'spec.patroni ttl, loop_wait and retry_timeout break Patroni\'s timing rule',
    summary:
      'The operator passes `spec.patroni.ttl`, `loop_wait` and `retry_timeout` to Patroni unchanged. Patroni needs `loop_wait + 2 × retry_timeout <= ttl` so the leader can renew its lock after a loop and two rounds of retries, and it needs `ttl >= 20`, `loop_wait >= 1`, `retry_timeout >= 3`. Values that break these are silently adjusted at run time, so the cluster does not run with what the manifest says, and a short DCS hiccup can cost the leader its lock.\n\n' +
      'Raise `ttl` or lower `loop_wait`/`retry_timeout`; the message shows the values Patroni will actually use.',
    bad: `${ZALANDO_HEAD}  numberOfInstances: 2\n  patroni:\n    ttl: 30\n    loop_wait: 10\n    retry_timeout: 15\n`,
    good: `${ZALANDO_HEAD}  numberOfInstances: 2\n  patroni:\n    ttl: 40\n    loop_wait: 10\n    retry_timeout: 15\n`,
  },
  check(ctx) {
    for (const c of zalandoClusters(ctx.model)) {
      const path = (k: string): PathSegment[] => ['spec', 'patroni', k];
      const written: Partial<PatroniTiming> = {};
      for (const k of KEYS) {
        const n = intAt(c.doc, path(k));
        if (n !== undefined) written[k] = n;
      }
      if (Object.keys(written).length === 0) continue;
      const verdict = patroniTiming(written);
      if (verdict.changes.length === 0) continue;
      const asked = { ttl: 30, loop_wait: 10, retry_timeout: 10, ...written };
      const anchor = written.ttl !== undefined ? 'ttl' : written.retry_timeout !== undefined ? 'retry_timeout' : 'loop_wait';
      const fixes: Fix[] = [];
      const ttlNeeded = Math.max(20, Math.max(asked.loop_wait, 1) + 2 * Math.max(asked.retry_timeout, 3));
      if (asked.loop_wait >= 1 && asked.retry_timeout >= 3 && verdict.ruleBroken) {
        const edit = setEdit(c.doc, ctx.model.file.text, path('ttl'), ttlNeeded);
        if (edit) fixes.push({ title: `Raise ttl to ${ttlNeeded}`, edits: [edit], preferred: true });
      }
      const rule = verdict.ruleBroken ? `loop_wait + 2 × retry_timeout = ${asked.loop_wait} + 2 × ${asked.retry_timeout} exceeds ttl ${asked.ttl}` : 'a value is below Patroni\'s minimum (ttl 20, loop_wait 1, retry_timeout 3)';
      ctx.report({
        ...rangeOf(c.doc, path(anchor)),
        message: `${label(c.doc)}: ${rule}; Patroni will run with ${verdict.changes.join(', ')}. ${verdict.ruleBroken ? `Raise ttl to at least ${ttlNeeded} or lower loop_wait/retry_timeout.` : 'Use at least the minimums.'}`,
        fixes,
      });
    }
  },
};
