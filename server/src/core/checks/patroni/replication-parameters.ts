import type { PatroniModel } from '../../documents/yaml/patroni';
import { toInt, valueRange } from '../../documents/yaml/patroni';
import { postgresBoolean } from '../../postgres';
import type { Check } from '../../types';
import { parameters, replaceFix } from './helpers';

const WAL_LEVELS = ['replica', 'logical', 'hot_standby'];
const WATCHED = new Set(['wal_level', 'hot_standby', 'max_wal_senders', 'max_replication_slots']);

export const replicationParameters: Check<PatroniModel> = {
  id: 'patroni/replication-parameters',
  defaultSeverity: 'warning',
  docs: {
    title: 'A PostgreSQL parameter breaks streaming replication',
    summary:
      'Replicas need `wal_level` `replica` or `logical`, `hot_standby = on` (Patroni queries its replicas), and enough WAL senders and replication slots: Patroni requires at least 3 `max_wal_senders` and 4 `max_replication_slots`. Patroni does not apply values that break these rules — it replaces them with its defaults and logs a warning — so the value in the file is misleading at best.\n\nUse `wal_level: replica`, `hot_standby: "on"`, and at least one WAL sender and slot per member plus spares for backups (10 is a common choice).',
    bad: 'bootstrap:\n  dcs:\n    postgresql:\n      parameters:\n        wal_level: minimal\n        max_wal_senders: 0\n',
    good: 'bootstrap:\n  dcs:\n    postgresql:\n      parameters:\n        wal_level: replica\n        max_wal_senders: 10\n',
  },
  check(ctx) {
    for (const p of parameters(ctx.model)) {
      // Look the range up only for the few names this check reads: a lookup scans the mapping.
      if (!WATCHED.has(p.name)) continue;
      const r = valueRange(ctx.model, p.path);
      if (!r) continue;
      const report = (message: string, fixTitle: string, newText: string) =>
        ctx.report({ start: r.start, end: r.end, message, fixes: [replaceFix(fixTitle, r.start, r.end, newText)] });
      if (p.name === 'wal_level' && typeof p.value === 'string' && !WAL_LEVELS.includes(p.value.trim().toLowerCase())) {
        report(`wal_level '${p.value}' does not allow streaming replicas; Patroni ignores it. Use replica (or logical).`, 'Set wal_level to replica', 'replica');
      } else if (p.name === 'hot_standby' && postgresBoolean(p.value) === false) {
        report('hot_standby is off, but Patroni must query its replicas; it ignores this value. Set it to "on".', 'Set hot_standby to "on"', '"on"');
      } else if (p.name === 'max_wal_senders' && (toInt(p.value) ?? 3) < 3) {
        report(`max_wal_senders ${String(p.value)} is below the 3 Patroni requires (one per replica plus spares); Patroni ignores it. Use 10 or the number of members plus spares.`, 'Set max_wal_senders to 10', '10');
      } else if (p.name === 'max_replication_slots' && (toInt(p.value) ?? 4) < 4) {
        report(`max_replication_slots ${String(p.value)} is below the 4 Patroni requires (one per member and permanent slot); Patroni ignores it. Use 10 or more.`, 'Set max_replication_slots to 10', '10');
      }
    }
  },
};
