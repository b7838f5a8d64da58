import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { sentinelView } from './sentinel-rules';
import { serverIssues } from './server-rules';

function unknownDirective(format: 'sentinel' | 'redis'): Check<RedisModel> {
  return {
    id: `${format}/unknown-directive`,
    defaultSeverity: 'error',
    docs: {
      title: format === 'sentinel' ? 'Directives and `sentinel` sub-directives Sentinel does not know' : 'Directives Redis does not know',
      summary:
        'Redis stops at startup on the first directive it does not recognise ("Bad directive or wrong number of arguments"), and Sentinel does the same ' +
        'for an unknown `sentinel ...` statement ("Unrecognized sentinel configuration statement."). Usually it is a typo or a directive of a newer ' +
        'Redis version. The message proposes the closest known name, and the quick fix replaces it.' +
        (format === 'redis' ? ' `sentinel` lines are refused too unless the process runs as Sentinel.' : ''),
      bad: format === 'sentinel' ? 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milisecond mymaster 5000\n' : 'replicaof 10.0.0.1 6379\nmasterauht s3cret\n',
      good: format === 'sentinel' ? 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster 5000\n' : 'replicaof 10.0.0.1 6379\nmasterauth s3cret\n',
    },
    check(ctx) {
      for (const i of serverIssues(ctx.model)) if (i.kind === 'unknown') ctx.report(i);
      if (format !== 'sentinel') return;
      for (const i of sentinelView(ctx.model).issues) if (i.kind === 'unknown') ctx.report(i);
    },
  };
}

export const sentinelUnknownDirective = unknownDirective('sentinel');
export const redisUnknownDirective = unknownDirective('redis');
