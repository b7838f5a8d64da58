import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { sentinelView } from './sentinel-rules';

export const duplicateMaster: Check<RedisModel> = {
  id: 'sentinel/duplicate-master',
  defaultSeverity: 'error',
  docs: {
    title: 'Two `sentinel monitor` lines with the same master name',
    summary:
      'Master names identify the monitored groups: clients ask Sentinel for the address of `mymaster`. Sentinel refuses to start when a name ' +
      'is monitored twice ("Duplicate master name."). Give each group its own name, or delete the older line.',
    bad: 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel monitor mymaster 10.0.0.2 6379 2\n',
    good: 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel monitor cache 10.0.0.2 6379 2\n',
  },
  check(ctx) {
    for (const i of sentinelView(ctx.model).issues) if (i.kind === 'duplicate-master') ctx.report(i);
  },
};
