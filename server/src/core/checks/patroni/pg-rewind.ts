import type { PatroniModel } from '../../documents/yaml/patroni';
import { isTruthy, keyRange, valueAt, valueRange } from '../../documents/yaml/patroni';
import { postgresBoolean } from '../../postgres';
import type { Check } from '../../types';
import { parameters, replaceFix } from './helpers';

function hasDataChecksums(initdb: unknown): boolean {
  if (!Array.isArray(initdb)) return false;
  return initdb.some((o) => (typeof o === 'string' && /^(data-checksums|k)$/.test(o.trim())) || (typeof o === 'object' && o !== null && ('data-checksums' in o || 'k' in o)));
}

export const pgRewind: Check<PatroniModel> = {
  id: 'patroni/pg-rewind',
  defaultSeverity: 'warning',
  docs: {
    title: 'use_pg_rewind is on but pg_rewind cannot work',
    summary:
      'pg_rewind needs either data page checksums (`initdb --data-checksums`) or `wal_log_hints = on`. Patroni turns `wal_log_hints` on by default; when the file turns it off and the cluster is initialised without checksums, rewinding a former primary fails and Patroni must re-clone it from scratch (or leaves it broken unless `remove_data_directory_on_rewind_failure` is set).\n\nSet `wal_log_hints: "on"` in `bootstrap.dcs.postgresql.parameters`, or add `data-checksums` to `bootstrap.initdb` before the cluster is created.',
    bad: 'bootstrap:\n  dcs:\n    postgresql:\n      use_pg_rewind: true\n      parameters:\n        wal_log_hints: "off"\n',
    good: 'bootstrap:\n  dcs:\n    postgresql:\n      use_pg_rewind: true\n      parameters:\n        wal_log_hints: "on"\n',
  },
  check(ctx) {
    const m = ctx.model;
    // Patroni reads use_pg_rewind with Python's bool(); wal_log_hints is PostgreSQL's to read.
    const rewind = [['bootstrap', 'dcs', 'postgresql', 'use_pg_rewind'], ['postgresql', 'use_pg_rewind']].find((p) => isTruthy(valueAt(m, p)));
    if (!rewind) return;
    if (hasDataChecksums(valueAt(m, ['bootstrap', 'initdb']))) return;
    for (const p of parameters(m)) {
      if (p.name !== 'wal_log_hints' || postgresBoolean(p.value) !== false) continue;
      const r = valueRange(m, p.path) ?? keyRange(m, p.path);
      if (!r) continue;
      ctx.report({
        start: r.start,
        end: r.end,
        message: 'use_pg_rewind is on, but wal_log_hints is off and bootstrap.initdb has no data-checksums: pg_rewind will fail. Set wal_log_hints to "on" (or initialise with data-checksums).',
        fixes: [replaceFix('Set wal_log_hints to "on"', r.start, r.end, '"on"')],
      });
    }
  },
};
