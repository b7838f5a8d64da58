import type { PatroniModel } from '../../documents/yaml/patroni';
import { keyRange } from '../../documents/yaml/patroni';
import type { Check } from '../../types';
import { parameters } from './helpers';

/** Parameters that must be equal on primary and replicas, so Patroni only takes them from the shared (DCS) configuration. */
const SHARED_ONLY = new Set([
  'max_connections',
  'max_locks_per_transaction',
  'max_worker_processes',
  'max_prepared_transactions',
  'wal_level',
  'track_commit_timestamp',
  'max_wal_senders',
  'max_replication_slots',
  'wal_keep_segments',
  'wal_keep_size',
  'wal_log_hints',
  'hot_standby',
]);

export const localParameter: Check<PatroniModel> = {
  id: 'patroni/local-parameter',
  defaultSeverity: 'warning',
  docs: {
    title: 'A cluster-wide PostgreSQL parameter set in the member\'s own configuration',
    summary:
      'Some parameters must hold the same value on the primary and every replica (`max_connections`, `max_wal_senders`, `max_replication_slots`, `wal_level`, `max_worker_processes`, `max_locks_per_transaction`, `max_prepared_transactions`, `track_commit_timestamp`, `wal_keep_*`, `wal_log_hints`, `hot_standby`). Patroni takes them only from the shared configuration in the DCS; in `postgresql.parameters` they have no effect.\n\nMove them to `bootstrap.dcs.postgresql.parameters` (for a new cluster) or set them with `patronictl edit-config` (for a running one).',
    bad: 'scope: demo\npostgresql:\n  parameters:\n    max_connections: 500\n',
    good: 'scope: demo\nbootstrap:\n  dcs:\n    postgresql:\n      parameters:\n        max_connections: 500\n',
  },
  check(ctx) {
    for (const p of parameters(ctx.model)) {
      if (p.shared || !SHARED_ONLY.has(p.name)) continue;
      const r = keyRange(ctx.model, p.path);
      if (!r) continue;
      ctx.report({ start: r.start, end: r.end, message: `${p.name} must be the same on every member, so Patroni ignores it in postgresql.parameters; move it to bootstrap.dcs.postgresql.parameters or set it with patronictl edit-config.` });
    }
  },
};
