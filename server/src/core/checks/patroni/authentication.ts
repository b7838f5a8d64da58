import type { PatroniModel } from '../../documents/yaml/patroni';
import { keyRange, recordAt } from '../../documents/yaml/patroni';
import type { Check } from '../../types';

export const authentication: Check<PatroniModel> = {
  id: 'patroni/authentication',
  defaultSeverity: 'error',
  docs: {
    title: 'postgresql.authentication lacks the superuser or replication role',
    summary:
      'Patroni connects to PostgreSQL as `postgresql.authentication.superuser` and creates replicas with `postgresql.authentication.replication`. `patroni --validate-config` rejects a configuration without both, and a member without the replication role cannot clone or stream from the leader.\n\nAdd both roles with `username` and `password` (or provide them through `PATRONI_SUPERUSER_*` and `PATRONI_REPLICATION_*` environment variables and turn this check off for the file).',
    bad: 'postgresql:\n  data_dir: /data\n  authentication:\n    superuser:\n      username: postgres\n',
    good: 'postgresql:\n  data_dir: /data\n  authentication:\n    superuser:\n      username: postgres\n    replication:\n      username: replicator\n',
  },
  check(ctx) {
    const m = ctx.model;
    if (m.document?.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return; // what is missing may only be hidden by the syntax error
    if (!recordAt(m, ['postgresql']) && !(m.config && 'postgresql' in m.config)) return;
    const auth = recordAt(m, ['postgresql', 'authentication']);
    const missing = ['superuser', 'replication'].filter((role) => !auth || !recordAt(m, ['postgresql', 'authentication', role]));
    if (missing.length === 0) return;
    const r = keyRange(m, auth ? ['postgresql', 'authentication'] : ['postgresql']);
    if (!r) return;
    const what = missing.map((x) => `\`${x}\``).join(' and ');
    ctx.report({ start: r.start, end: r.end, message: `postgresql.authentication has no ${what} role; add ${missing.length > 1 ? 'them' : 'it'} with a username and password so Patroni can manage and replicate PostgreSQL.` });
  },
};
