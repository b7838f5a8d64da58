import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { sentinelView } from './sentinel-rules';
import { serverIssues } from './server-rules';

function value(format: 'sentinel' | 'redis'): Check<RedisModel> {
  return {
    id: `${format}/value`,
    defaultSeverity: 'error',
    docs: {
      title: 'Values Redis refuses: yes/no, numbers, sizes, enums, ports, times',
      summary:
        'Redis validates every value when it loads the file and stops at the first bad one: switches take only `yes` or `no`, numbers must be ' +
        'plain integers within the setting\'s bounds (no leading zeros, no `+`), sizes take the units b, k, kb, m, mb, g, gb, options take one of ' +
        'their listed words, and `replicaof` needs a port from 0 to 65535. Sentinel refuses times of 0 or less (`down-after-milliseconds`, ' +
        '`failover-timeout`), ports outside 0-65535, switches other than yes/no and a `myid` that is not 40 characters long.',
      bad: format === 'sentinel' ? 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster 0\n' : 'appendonly true\n',
      good: format === 'sentinel' ? 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster 5000\n' : 'appendonly yes\n',
    },
    check(ctx) {
      for (const i of serverIssues(ctx.model)) if (i.kind === 'value') ctx.report(i);
      if (format !== 'sentinel') return;
      for (const i of sentinelView(ctx.model).issues) if (i.kind === 'value') ctx.report(i);
    },
  };
}

export const sentinelValue = value('sentinel');
export const redisValue = value('redis');
