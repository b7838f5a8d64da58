import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { sentinelView } from './sentinel-rules';

export const invalidQuorum: Check<RedisModel> = {
  id: 'sentinel/invalid-quorum',
  defaultSeverity: 'error',
  docs: {
    title: 'A `sentinel monitor` quorum that is not a number of 1 or more',
    summary:
      'The last argument of `sentinel monitor` is the quorum: how many Sentinels must agree that the master is unreachable before it is ' +
      'declared objectively down. Sentinel reads it as a number and refuses to start when it is 0, negative or not a number ' +
      '("Quorum must be 1 or greater."). With three Sentinels use 2.',
    bad: 'sentinel monitor mymaster 10.0.0.1 6379 0\n',
    good: 'sentinel monitor mymaster 10.0.0.1 6379 2\n',
  },
  check(ctx) {
    for (const i of sentinelView(ctx.model).issues) if (i.kind === 'quorum') ctx.report(i);
  },
};
