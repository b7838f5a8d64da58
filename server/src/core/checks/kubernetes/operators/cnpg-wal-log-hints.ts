import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { valueAt } from '../../../documents/yaml/kubernetes';
import { postgresBoolean } from '../../../postgres';
import type { Check } from '../../../types';
import { CNPG_HEAD, cnpgClusters } from './cnpg';
import { label, rangeOf, setEdit } from './helpers';

export { postgresBoolean };

const PATH = ['spec', 'postgresql', 'parameters', 'wal_log_hints'] as const;

export const cnpgWalLogHints: Check<KubernetesModel> = {
  id: 'cnpg/wal-log-hints',
  defaultSeverity: 'error',
  docs: {
    title: 'wal_log_hints is off (or not a boolean) on a Cluster with several instances',
    summary:
      'CloudNativePG turns `wal_log_hints` on so that `pg_rewind` can bring a former primary back as a standby after a failover. Its admission webhook rejects a Cluster with more than one instance that sets it off, and any value that is not a PostgreSQL boolean.\n\n' +
      'Remove the parameter or set it to `"on"`.',
    bad: `${CNPG_HEAD}  instances: 3\n  postgresql:\n    parameters:\n      wal_log_hints: "off"\n`,
    good: `${CNPG_HEAD}  instances: 3\n  postgresql:\n    parameters:\n      wal_log_hints: "on"\n`,
  },
  check(ctx) {
    for (const c of cnpgClusters(ctx.model)) {
      const raw = valueAt(c.doc, PATH);
      if (raw === undefined) continue;
      const on = postgresBoolean(raw);
      if (on === true || (on === false && c.instances <= 1)) continue;
      const edit = setEdit(c.doc, ctx.model.file.text, PATH, 'on');
      ctx.report({
        ...rangeOf(c.doc, PATH),
        message:
          on === undefined
            ? `${label(c.doc)}: wal_log_hints "${String(raw)}" is not a PostgreSQL boolean; the CloudNativePG webhook rejects this Cluster. Set it to "on".`
            : `${label(c.doc)}: wal_log_hints must be on when instances > 1 (pg_rewind needs it to rejoin a former primary); the CloudNativePG webhook rejects this Cluster. Set it to "on" or remove it.`,
        fixes: edit ? [{ title: 'Set wal_log_hints to "on"', edits: [{ ...edit, newText: '"on"' }], preferred: true }] : [],
      });
    }
  },
};
