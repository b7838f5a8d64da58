import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { sentinelView } from './sentinel-rules';

export const unknownMaster: Check<RedisModel> = {
  id: 'sentinel/unknown-master',
  defaultSeverity: 'error',
  docs: {
    title: 'A per-master `sentinel` directive naming a master that is not monitored',
    summary:
      'Directives such as `down-after-milliseconds`, `auth-pass` or `known-replica` apply to one monitored master, named in their first argument. ' +
      'When no `sentinel monitor` line defines that name, Sentinel refuses to start ("No such master with specified name."). Sentinel 7 reads ' +
      'all monitor lines first, so the order in the file does not matter, but the names must match exactly (they are case-sensitive). ' +
      'The quick fix picks the closest monitored name.',
    bad: 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel auth-pass mymastr s3cret\n',
    good: 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel auth-pass mymaster s3cret\n',
  },
  check(ctx) {
    for (const i of sentinelView(ctx.model).issues) if (i.kind === 'unknown-master') ctx.report(i);
  },
};
