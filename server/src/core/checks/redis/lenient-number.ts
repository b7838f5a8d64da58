import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { sentinelView } from './sentinel-rules';

export const lenientNumber: Check<RedisModel> = {
  id: 'sentinel/lenient-number',
  defaultSeverity: 'warning',
  docs: {
    title: 'A Sentinel number with trailing text, silently cut to its leading digits',
    summary:
      'Sentinel reads ports, quorums and times with C\'s `atoi`: `5s` becomes 5 milliseconds, `30000ms` becomes 30000 and `abc` becomes 0. ' +
      'It starts without complaint, with a value you did not mean. Write plain numbers (times are in milliseconds).',
    bad: 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster 5s\n',
    good: 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster 5000\n',
  },
  check(ctx) {
    for (const i of sentinelView(ctx.model).issues) if (i.kind === 'lenient') ctx.report(i);
  },
};
