import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { valueAt } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { CNPG_HEAD, cnpgClusters } from './cnpg';
import { label, rangeOf, setEdit } from './helpers';

export const cnpgPdbDisabled: Check<KubernetesModel> = {
  id: 'cnpg/pdb-disabled',
  defaultSeverity: 'warning',
  docs: {
    title: 'enablePDB is false on a Cluster with several instances',
    summary:
      'CloudNativePG creates PodDisruptionBudgets that let a node drain evict one standby at a time and keep the primary until a switchover. With `enablePDB: false`, a drain (a node upgrade, an autoscaler scale-down) may evict the primary and standbys together.\n\n' +
      'Remove `enablePDB` or set it to true. Turning it off is meant for single-instance development clusters, whose primary PDB would block drains.',
    bad: `${CNPG_HEAD}  instances: 3\n  enablePDB: false\n`,
    good: `${CNPG_HEAD}  instances: 3\n  enablePDB: true\n`,
  },
  check(ctx) {
    for (const c of cnpgClusters(ctx.model)) {
      if (c.instances < 2 || valueAt(c.doc, ['spec', 'enablePDB']) !== false) continue;
      const edit = setEdit(c.doc, ctx.model.file.text, ['spec', 'enablePDB'], true);
      ctx.report({
        ...rangeOf(c.doc, ['spec', 'enablePDB']),
        message: `${label(c.doc)} has ${c.instances} instances but enablePDB is false: a node drain may evict the primary and its standbys at once. Set enablePDB to true.`,
        fixes: edit ? [{ title: 'Set enablePDB to true', edits: [edit], preferred: true }] : [],
      });
    }
  },
};
