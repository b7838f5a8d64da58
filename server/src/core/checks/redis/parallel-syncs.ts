import { shown } from '../../shown';
import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { sentinelView } from './sentinel-rules';
import { masterSetting } from './timing';

export const parallelSyncs: Check<RedisModel> = {
  id: 'sentinel/parallel-syncs',
  defaultSeverity: 'warning',
  docs: {
    title: '`parallel-syncs` of 0 or less: replicas never follow the new master',
    summary:
      'After a failover Sentinel points the remaining replicas at the new master, `parallel-syncs` of them at a time. Sentinel accepts 0 or a ' +
      'negative number, but then no replica is ever reconfigured: they keep replicating from the failed master until the failover times out, ' +
      'and read traffic sent to them gets stale data. Use 1 (the default) to keep most replicas serving during the resynchronisation, or more ' +
      'for a faster recovery when replicas do not serve reads.',
    bad: 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel parallel-syncs mymaster 0\n',
    good: 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel parallel-syncs mymaster 1\n',
  },
  check(ctx) {
    for (const m of sentinelView(ctx.model).masters.values()) {
      const s = masterSetting(m, 'parallel-syncs');
      if (!s || s.directive.generated || s.value > 0) continue;
      const t = s.directive.args[1];
      ctx.report({
        start: t.start,
        end: t.end,
        message: `parallel-syncs ${s.value} for '${shown(m.name)}': after a failover no replica is reconfigured to follow the new master. Use 1 or more.`,
        fixes: [{ title: 'Set parallel-syncs to 1', edits: [{ start: t.start, end: t.end, newText: '1' }], preferred: true }],
      });
    }
  },
};
