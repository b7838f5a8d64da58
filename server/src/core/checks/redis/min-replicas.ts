import { shown } from '../../shown';
import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { string2ll } from '../../documents/redis/values';
import { lastSetting } from './settings';

export const minReplicas: Check<RedisModel> = {
  id: 'redis/min-replicas',
  defaultSeverity: 'warning',
  docs: {
    title: '`min-replicas-to-write` that is silently disabled by `min-replicas-max-lag 0`',
    summary:
      '`min-replicas-to-write N` makes a master refuse writes unless N replicas acknowledged the stream within `min-replicas-max-lag` seconds. ' +
      'It bounds how many writes an isolated master (the minority side of a partition) can accept and later lose at failover. Redis turns the ' +
      'whole feature off when either value is 0, so `min-replicas-max-lag 0` disables the protection that `min-replicas-to-write` seems to give. ' +
      'Use a lag of a few seconds (10 is the default). Keep N below the number of replicas, or a single replica outage stops all writes.',
    bad: 'min-replicas-to-write 1\nmin-replicas-max-lag 0\n',
    good: 'min-replicas-to-write 1\nmin-replicas-max-lag 10\n',
  },
  check(ctx) {
    const toWrite = lastSetting(ctx.model, 'min-replicas-to-write');
    const lag = lastSetting(ctx.model, 'min-replicas-max-lag');
    if (!toWrite || !lag || toWrite.args.length !== 1 || lag.args.length !== 1 || lag.generated) return;
    const n = string2ll(toWrite.args[0].value);
    if (n === undefined || n <= 0n || string2ll(lag.args[0].value) !== 0n) return;
    const t = lag.args[0];
    ctx.report({
      start: t.start,
      end: t.end,
      message: `'${shown(lag.tokens[0].value)} 0' turns off ${shown(toWrite.tokens[0].value)} ${n} (line ${toWrite.line + 1}): an isolated master keeps accepting writes that are lost at failover. Use a lag of a few seconds, e.g. 10.`,
      related: [{ start: toWrite.start, end: toWrite.end, message: `${shown(toWrite.tokens[0].value)} ${n}` }],
      fixes: [{ title: 'Set the lag to 10 seconds', edits: [{ start: t.start, end: t.end, newText: '10' }], preferred: true }],
    });
  },
};
