import type { PatroniModel } from '../../documents/yaml/patroni';
import { keyRange } from '../../documents/yaml/patroni';
import type { Check } from '../../types';
import { deletePairFix, parameters } from './helpers';

const MANAGED: Record<string, string> = {
  listen_addresses: 'postgresql.listen',
  port: 'postgresql.listen',
  cluster_name: 'scope',
};

export const managedParameter: Check<PatroniModel> = {
  id: 'patroni/managed-parameter',
  defaultSeverity: 'warning',
  docs: {
    title: 'A PostgreSQL parameter that Patroni sets itself',
    summary:
      'Patroni derives `listen_addresses` and `port` from `postgresql.listen` and `cluster_name` from `scope`, and ignores values given in `parameters`. Setting them there suggests PostgreSQL listens somewhere it does not.\n\nRemove the parameter and set `postgresql.listen` (or `scope`) instead; the quick fix removes it.',
    bad: 'postgresql:\n  listen: 0.0.0.0:5432\n  parameters:\n    port: 5433\n',
    good: 'postgresql:\n  listen: 0.0.0.0:5433\n',
  },
  check(ctx) {
    for (const p of parameters(ctx.model)) {
      const owner = MANAGED[p.name];
      if (!owner) continue;
      const r = keyRange(ctx.model, p.path);
      if (!r) continue;
      const fix = deletePairFix(ctx.model, p.path, `Remove ${p.name}`);
      ctx.report({ start: r.start, end: r.end, message: `Patroni sets ${p.name} from ${owner} and ignores it here; remove it and set ${owner} instead.`, fixes: fix ? [fix] : [] });
    }
  },
};
