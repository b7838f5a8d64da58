import type { PatroniModel } from '../../documents/yaml/patroni';
import { keyRange, toBool, valueAt } from '../../documents/yaml/patroni';
import type { Check } from '../../types';
import { DCS_PATH, deletePairFix, parameters } from './helpers';

function syncModeOn(v: unknown): boolean {
  return v === 'quorum' || toBool(v) === true;
}

export const synchronousMode: Check<PatroniModel> = {
  id: 'patroni/synchronous-mode',
  defaultSeverity: 'warning',
  docs: {
    title: 'Synchronous replication settings that do not fit together',
    summary:
      '`synchronous_node_count` and `synchronous_mode_strict` only take effect with `synchronous_mode` on; without it the cluster replicates asynchronously and a failover can lose committed transactions, whatever the other two say. With `synchronous_mode` on, Patroni writes `synchronous_standby_names` itself and overwrites a value set in `parameters`.\n\nTurn `synchronous_mode` on (in `bootstrap.dcs`) when you want synchronous replicas, and leave `synchronous_standby_names` to Patroni.',
    bad: 'bootstrap:\n  dcs:\n    synchronous_mode_strict: true\n',
    good: 'bootstrap:\n  dcs:\n    synchronous_mode: true\n    synchronous_mode_strict: true\n',
  },
  check(ctx) {
    const m = ctx.model;
    const on = syncModeOn(valueAt(m, [...DCS_PATH, 'synchronous_mode']));
    if (!on) {
      const count = valueAt(m, [...DCS_PATH, 'synchronous_node_count']);
      const countRange = keyRange(m, [...DCS_PATH, 'synchronous_node_count']);
      if (count !== undefined && count !== null && countRange) {
        ctx.report({ ...countRange, message: 'synchronous_node_count has no effect while synchronous_mode is off; set synchronous_mode: true in bootstrap.dcs or remove it.' });
      }
      const strictRange = keyRange(m, [...DCS_PATH, 'synchronous_mode_strict']);
      if (strictRange && toBool(valueAt(m, [...DCS_PATH, 'synchronous_mode_strict'])) === true) {
        ctx.report({ ...strictRange, message: 'synchronous_mode_strict has no effect while synchronous_mode is off, so replication stays asynchronous; set synchronous_mode: true in bootstrap.dcs.' });
      }
      return;
    }
    for (const p of parameters(m)) {
      if (p.name !== 'synchronous_standby_names') continue;
      const r = keyRange(m, p.path);
      if (!r) continue;
      const fix = deletePairFix(m, p.path, 'Remove synchronous_standby_names');
      ctx.report({ ...r, message: 'With synchronous_mode on, Patroni manages synchronous_standby_names and overwrites this value; remove it.', fixes: fix ? [fix] : [] });
    }
  },
};
