import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { valueAt } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { CNPG_HEAD, cnpgClusters } from './cnpg';
import { label, rangeOf, setEdit } from './helpers';

export const cnpgSupervisedSingleInstance: Check<KubernetesModel> = {
  id: 'cnpg/supervised-single-instance',
  defaultSeverity: 'error',
  docs: {
    title: 'primaryUpdateStrategy supervised on a single-instance Cluster',
    summary:
      'With `primaryUpdateStrategy: supervised`, CloudNativePG waits for a person to switch over to an updated standby before it updates the primary. A single-instance Cluster has no standby to switch to, so the admission webhook rejects the combination.\n\n' +
      'Use `unsupervised` (the default) with one instance, or raise `instances` to at least 2.',
    bad: `${CNPG_HEAD}  instances: 1\n  primaryUpdateStrategy: supervised\n`,
    good: `${CNPG_HEAD}  instances: 3\n  primaryUpdateStrategy: supervised\n`,
  },
  check(ctx) {
    for (const c of cnpgClusters(ctx.model)) {
      if (valueAt(c.doc, ['spec', 'primaryUpdateStrategy']) !== 'supervised' || c.instances !== 1) continue;
      const edit = setEdit(c.doc, ctx.model.file.text, ['spec', 'primaryUpdateStrategy'], 'unsupervised');
      ctx.report({
        ...rangeOf(c.doc, ['spec', 'primaryUpdateStrategy']),
        message: `${label(c.doc)}: primaryUpdateStrategy supervised is not allowed with a single instance (no standby to switch over to); the CloudNativePG webhook rejects this Cluster. Use unsupervised or raise instances.`,
        fixes: edit ? [{ title: 'Set primaryUpdateStrategy to unsupervised', edits: [edit], preferred: true }] : [],
      });
    }
  },
};
