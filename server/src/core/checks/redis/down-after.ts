import { shown } from '../../shown';
import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { sentinelView } from './sentinel-rules';
import { masterSetting } from './timing';

export const MIN_DOWN_AFTER_MS = 1000;
export const MAX_DOWN_AFTER_MS = 300000;

export const downAfter: Check<RedisModel> = {
  id: 'sentinel/down-after',
  defaultSeverity: 'warning',
  docs: {
    title: '`down-after-milliseconds` so low that failovers flap, or so high that outages last minutes',
    summary:
      '`sentinel down-after-milliseconds` is how long the master may stay silent before a Sentinel considers it down. Below one second, a ' +
      'fork for a snapshot, a slow disk, a short network hiccup or a busy script is enough to trigger failovers that lose the writes acknowledged ' +
      'in between and disconnect every client. Above five minutes a dead master stays unnoticed for that long. Values from 5000 to 30000 ' +
      '(the default) suit most deployments.',
    bad: 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster 200\n',
    good: 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster 5000\n',
  },
  check(ctx) {
    for (const m of sentinelView(ctx.model).masters.values()) {
      const s = masterSetting(m, 'down-after-milliseconds');
      if (!s || s.directive.generated || s.value <= 0) continue;
      const t = s.directive.args[1];
      if (s.value < MIN_DOWN_AFTER_MS) {
        ctx.report({ start: t.start, end: t.end, message: `down-after-milliseconds ${s.value} for '${shown(m.name)}' is under ${MIN_DOWN_AFTER_MS} ms: a short pause of the master (fork, slow disk, network hiccup) triggers a failover. Use 5000 or more.` });
      } else if (s.value > MAX_DOWN_AFTER_MS) {
        ctx.report({ start: t.start, end: t.end, message: `down-after-milliseconds ${s.value} for '${shown(m.name)}' leaves a dead master unnoticed for over ${MAX_DOWN_AFTER_MS / 60000} minutes. Use 5000-30000.` });
      }
    }
  },
};
