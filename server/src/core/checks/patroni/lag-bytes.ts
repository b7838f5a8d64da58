import type { PatroniModel } from '../../documents/yaml/patroni';
import { toInt, valueAt, valueRange } from '../../documents/yaml/patroni';
import type { Check, Fix } from '../../types';
import { DCS_PATH, replaceFix } from './helpers';

const UNITS: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

/** "16MB" → 16777216 (PostgreSQL's 1024-based units); undefined when it is not a size. */
export function sizeInBytes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]{1,2})?\s*$/.exec(text);
  if (!m) return undefined;
  const unit = UNITS[(m[2] ?? 'b').toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}

export const lagBytes: Check<PatroniModel> = {
  id: 'patroni/lag-bytes',
  defaultSeverity: 'error',
  docs: {
    title: 'maximum_lag_on_failover is not a plain number of bytes',
    summary:
      '`maximum_lag_on_failover` (and `maximum_lag_on_syncnode`) take an integer number of bytes. Patroni does not understand units here: `"16MB"` fails validation and at run time the default of 1 MB applies, so replicas you expected to be promotable are not.\n\nWrite the number of bytes; the quick fix converts the size (1 MB = 1048576).',
    bad: 'bootstrap:\n  dcs:\n    maximum_lag_on_failover: 16MB\n',
    good: 'bootstrap:\n  dcs:\n    maximum_lag_on_failover: 16777216\n',
  },
  check(ctx) {
    for (const key of ['maximum_lag_on_failover', 'maximum_lag_on_syncnode']) {
      const path = [...DCS_PATH, key];
      const v = valueAt(ctx.model, path);
      if (v === undefined || v === null || toInt(v) !== undefined) continue;
      const r = valueRange(ctx.model, path);
      if (!r) continue;
      const bytes = typeof v === 'string' ? sizeInBytes(v) : typeof v === 'number' ? Math.round(v) : undefined;
      const fixes: Fix[] = bytes === undefined ? [] : [replaceFix(`Replace with ${bytes} (bytes)`, r.start, r.end, String(bytes))];
      const hint = bytes === undefined ? '' : ` (${JSON.stringify(v)} is ${bytes})`;
      ctx.report({ ...r, message: `${key} must be an integer number of bytes, not ${JSON.stringify(v)}; Patroni would use its default instead. Write the byte count${hint}.`, fixes });
    }
  },
};
