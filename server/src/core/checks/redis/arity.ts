import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { sentinelView } from './sentinel-rules';
import { serverIssues } from './server-rules';

function arity(format: 'sentinel' | 'redis'): Check<RedisModel> {
  return {
    id: `${format}/arity`,
    defaultSeverity: 'error',
    docs: {
      title: 'Directives with the wrong number of arguments',
      summary:
        'Most settings take exactly one argument; Redis refuses to start otherwise ("wrong number of arguments"). A value with spaces must be ' +
        'quoted, and a `#` comment after a value is not a comment for Redis: it becomes extra arguments. Each `sentinel` statement has a fixed ' +
        'argument list too, and Sentinel reports a wrong count as an unrecognized statement.',
      bad: format === 'sentinel' ? 'sentinel monitor mymaster 10.0.0.1 6379\n' : 'maxmemory 2gb # cap\n',
      good: format === 'sentinel' ? 'sentinel monitor mymaster 10.0.0.1 6379 2\n' : '# cap\nmaxmemory 2gb\n',
    },
    check(ctx) {
      for (const i of serverIssues(ctx.model)) if (i.kind === 'arity') ctx.report(i);
      if (format !== 'sentinel') return;
      for (const i of sentinelView(ctx.model).issues) if (i.kind === 'arity') ctx.report(i);
    },
  };
}

export const sentinelArity = arity('sentinel');
export const redisArity = arity('redis');
