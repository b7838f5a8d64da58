import type { PatroniModel } from '../../documents/yaml/patroni';
import { keyRange, toInt, valueAt, valueRange } from '../../documents/yaml/patroni';
import type { Check, Fix } from '../../types';
import { DCS_PATH, replaceFix } from './helpers';
import { PATRONI_DEFAULTS as DEFAULTS } from './timing-rule';
import type { PatroniTiming } from './timing-rule';

type Timing = keyof PatroniTiming;

export const timing: Check<PatroniModel> = {
  id: 'patroni/timing',
  defaultSeverity: 'warning',
  docs: {
    title: 'loop_wait + 2 × retry_timeout is greater than ttl',
    summary:
      'The leader must be able to renew its lock before the lock expires, even when one loop and two rounds of retries are spent first: `loop_wait + 2 * retry_timeout <= ttl`. When the rule is broken, Patroni rewrites `loop_wait` (and if needed `retry_timeout`) at run time, so the cluster does not run with the values you wrote, and a leader can lose its lock during a short DCS hiccup, causing needless failovers.\n\nRaise `ttl` or lower `loop_wait`/`retry_timeout`. The quick fixes do either.',
    bad: 'bootstrap:\n  dcs:\n    ttl: 30\n    loop_wait: 10\n    retry_timeout: 15\n',
    good: 'bootstrap:\n  dcs:\n    ttl: 40\n    loop_wait: 10\n    retry_timeout: 15\n',
  },
  check(ctx) {
    const m = ctx.model;
    const written = (k: Timing) => valueAt(m, [...DCS_PATH, k]) !== undefined;
    if (!(['ttl', 'loop_wait', 'retry_timeout'] as Timing[]).some(written)) return;
    const get = (k: Timing): number | undefined => {
      const v = valueAt(m, [...DCS_PATH, k]);
      return v === undefined || v === null ? DEFAULTS[k] : toInt(v);
    };
    const ttl = get('ttl');
    const loopWait = get('loop_wait');
    const retry = get('retry_timeout');
    if (ttl === undefined || loopWait === undefined || retry === undefined) return;
    if (loopWait + 2 * retry <= ttl) return;
    const anchor: Timing = written('ttl') ? 'ttl' : written('retry_timeout') ? 'retry_timeout' : 'loop_wait';
    const range = keyRange(m, [...DCS_PATH, anchor]);
    if (!range) return;
    const needed = loopWait + 2 * retry;
    const fixes: Fix[] = [];
    const ttlValue = written('ttl') ? valueRange(m, [...DCS_PATH, 'ttl']) : undefined;
    if (ttlValue) fixes.push(replaceFix(`Raise ttl to ${Math.max(needed, 20)}`, ttlValue.start, ttlValue.end, String(Math.max(needed, 20))));
    const lowered = ttl - 2 * retry;
    const loopValue = written('loop_wait') ? valueRange(m, [...DCS_PATH, 'loop_wait']) : undefined;
    if (loopValue && lowered >= 1) fixes.push(replaceFix(`Lower loop_wait to ${lowered}`, loopValue.start, loopValue.end, String(lowered), fixes.length === 0));
    ctx.report({
      start: range.start,
      end: range.end,
      message: `loop_wait + 2 × retry_timeout = ${loopWait} + 2 × ${retry} = ${needed} exceeds ttl = ${ttl}; Patroni will shorten loop_wait/retry_timeout at run time. Raise ttl to at least ${needed} or lower loop_wait/retry_timeout.`,
      fixes,
    });
  },
};
