import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { isRecord, valueAt } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { CNPG_HEAD, cnpgClusters } from './cnpg';
import { label, rangeOf } from './helpers';

export const cnpgNoBackup: Check<KubernetesModel> = {
  id: 'cnpg/no-backup',
  defaultSeverity: 'information',
  docs: {
    title: 'A CloudNativePG Cluster has no backup configured',
    summary:
      'Standbys protect against losing a node, not against losing data: a dropped table or a corrupted primary replicates to every standby. Without `spec.backup` (barman object store or volume snapshots) and without a backup plugin in `spec.plugins`, there is no WAL archive and no way to restore to a point in time.\n\n' +
      'Configure `spec.backup` or a backup plugin (such as the Barman Cloud plugin), and a ScheduledBackup.',
    bad: `${CNPG_HEAD}  instances: 3\n`,
    good: `${CNPG_HEAD}  instances: 3\n  backup:\n    volumeSnapshot:\n      className: csi-snapclass\n`,
  },
  check(ctx) {
    for (const c of cnpgClusters(ctx.model)) {
      if (isRecord(valueAt(c.doc, ['spec', 'backup']))) continue;
      const plugins = valueAt(c.doc, ['spec', 'plugins']);
      if (Array.isArray(plugins) && plugins.length > 0) continue;
      ctx.report({
        ...rangeOf(c.doc, ['metadata', 'name']),
        message: `${label(c.doc)} has no spec.backup and no backup plugin: there is no WAL archive and no point-in-time recovery. Configure spec.backup or a backup plugin, and schedule backups.`,
      });
    }
  },
};
