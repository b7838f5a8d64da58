import type { PatroniModel } from '../../documents/yaml/patroni';
import { toInt, valueAt, valueRange } from '../../documents/yaml/patroni';
import type { Check } from '../../types';
import { DCS_PATH, replaceFix } from './helpers';

const MINIMUMS: readonly [string, number, string][] = [
  ['ttl', 20, 'seconds the leader lock lives'],
  ['loop_wait', 1, 'seconds between HA loops'],
  ['retry_timeout', 3, 'seconds of retries'],
];

export const timingMinimum: Check<PatroniModel> = {
  id: 'patroni/timing-minimum',
  defaultSeverity: 'error',
  docs: {
    title: 'ttl, loop_wait or retry_timeout is below the minimum Patroni allows',
    summary:
      'Patroni requires `ttl >= 20`, `loop_wait >= 1` and `retry_timeout >= 3`. `patroni --validate-config` rejects smaller values, and at run time Patroni replaces them with the minimum, so the cluster never runs with what the file says.\n\nUse at least the minimum; the quick fix sets it.',
    bad: 'bootstrap:\n  dcs:\n    ttl: 10\n',
    good: 'bootstrap:\n  dcs:\n    ttl: 20\n',
  },
  check(ctx) {
    for (const [key, min, what] of MINIMUMS) {
      const path = [...DCS_PATH, key];
      const n = toInt(valueAt(ctx.model, path));
      if (n === undefined || n >= min) continue;
      const r = valueRange(ctx.model, path);
      if (!r) continue;
      ctx.report({
        start: r.start,
        end: r.end,
        message: `${key} is ${n} but must be at least ${min} (${what}); Patroni rejects the value. Set it to ${min} or more.`,
        fixes: [replaceFix(`Set ${key} to ${min}`, r.start, r.end, String(min))],
      });
    }
  },
};
