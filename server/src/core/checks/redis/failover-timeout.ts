import { shown } from '../../shown';
import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { sentinelView } from './sentinel-rules';
import { DEFAULT_DOWN_AFTER_MS, masterSetting } from './timing';

export const failoverTimeout: Check<RedisModel> = {
  id: 'sentinel/failover-timeout',
  defaultSeverity: 'warning',
  docs: {
    title: '`failover-timeout` shorter than `down-after-milliseconds`',
    summary:
      '`sentinel failover-timeout` bounds each step of a failover: how long the elected Sentinel waits for the chosen replica to report its ' +
      'promotion before giving up, how long replicas get to follow the new master, and (doubled) how long before the same master may be ' +
      'failed over again. When it is shorter than `down-after-milliseconds`, a failover is aborted sooner than an outage is even detected, and ' +
      'a slow promotion (a large dataset, a loaded host) ends in repeated aborted attempts while the group has no master. Keep it a few times ' +
      'larger than `down-after-milliseconds` (the defaults are 30000 and 180000).',
    bad: 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster 30000\nsentinel failover-timeout mymaster 5000\n',
    good: 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster 30000\nsentinel failover-timeout mymaster 180000\n',
  },
  check(ctx) {
    for (const m of sentinelView(ctx.model).masters.values()) {
      const timeout = masterSetting(m, 'failover-timeout');
      if (!timeout || timeout.directive.generated || timeout.value <= 0) continue;
      const downAfter = masterSetting(m, 'down-after-milliseconds')?.value ?? DEFAULT_DOWN_AFTER_MS;
      if (downAfter > 0 && timeout.value < downAfter) {
        const t = timeout.directive.args[1];
        ctx.report({ start: t.start, end: t.end, message: `failover-timeout ${timeout.value} for '${shown(m.name)}' is shorter than its down-after-milliseconds (${downAfter}): a slow promotion is aborted and retried while the group has no master. Use a few times ${downAfter}, e.g. ${downAfter * 3}.` });
      }
    }
  },
};
