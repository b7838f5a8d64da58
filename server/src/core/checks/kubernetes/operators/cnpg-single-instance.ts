import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { CNPG_HEAD, cnpgClusters } from './cnpg';
import { isWritten, label, rangeOf, setEdit } from './helpers';

export const cnpgSingleInstance: Check<KubernetesModel> = {
  id: 'cnpg/single-instance',
  defaultSeverity: 'warning',
  docs: {
    title: 'A CloudNativePG Cluster with one instance has no standby',
    summary:
      'With `instances: 1` (the default when the field is left out) there is no standby to promote: a node failure, a drain or a PostgreSQL crash is an outage until the pod is rescheduled and its volume is reattached, and a lost volume means restoring from backup.\n\n' +
      'Use `instances: 3` for a primary and two standbys (2 is the minimum for failover). Ignore this warning for development clusters.',
    bad: `${CNPG_HEAD}  instances: 1\n`,
    good: `${CNPG_HEAD}  instances: 3\n`,
  },
  check(ctx) {
    for (const c of cnpgClusters(ctx.model)) {
      if (c.instances !== 1) continue;
      const written = isWritten(c.doc, ['spec', 'instances']);
      const edit = written ? setEdit(c.doc, ctx.model.file.text, ['spec', 'instances'], 3) : undefined;
      ctx.report({
        ...rangeOf(c.doc, ['spec', 'instances']),
        message: `${label(c.doc)} has ${written ? '' : 'no instances field, so '}1 instance: there is no standby to fail over to. Set instances to 3 (at least 2) for high availability.`,
        fixes: edit ? [{ title: 'Set instances to 3', edits: [edit], preferred: true }] : [],
      });
    }
  },
};
