import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { isRecord, valueAt } from '../../../documents/yaml/kubernetes';
import type { Check, Fix } from '../../../types';
import { CRUNCHY_HEAD, CRUNCHY_SET, crunchyClusters } from './crunchy';
import { intAt, label, rangeOf, setEdit } from './helpers';

export const crunchySingleInstance: Check<KubernetesModel> = {
  id: 'crunchy/single-instance',
  defaultSeverity: 'warning',
  docs: {
    title: 'A Crunchy PostgresCluster runs one PostgreSQL instance in total',
    summary:
      'Each entry of `spec.instances` is an instance set whose `replicas` defaults to 1. When all sets together run a single PostgreSQL pod, Patroni has no replica to promote and a node failure or drain is an outage.\n\n' +
      'Set `replicas: 2` (or more) on the instance set, or add a second set; with more than one pod, also keep them on different nodes with anti-affinity or topology spread constraints.',
    bad: `${CRUNCHY_HEAD}${CRUNCHY_SET}`,
    good: `${CRUNCHY_HEAD}${CRUNCHY_SET}      replicas: 2\n`,
  },
  check(ctx) {
    for (const doc of crunchyClusters(ctx.model)) {
      const sets = valueAt(doc, ['spec', 'instances']);
      if (!Array.isArray(sets) || sets.length === 0) continue;
      let total = 0;
      sets.forEach((s, i) => (total += isRecord(s) ? (intAt(doc, ['spec', 'instances', i, 'replicas']) ?? 1) : 0));
      if (total !== 1) continue;
      const i = sets.findIndex((s, idx) => isRecord(s) && (intAt(doc, ['spec', 'instances', idx, 'replicas']) ?? 1) === 1);
      const path = ['spec', 'instances', i, 'replicas'];
      const written = valueAt(doc, path) !== undefined;
      const edit = setEdit(doc, ctx.model.file.text, path, 2);
      const fixes: Fix[] = edit ? [{ title: 'Set replicas to 2', edits: [edit], preferred: true }] : [];
      const setName = isRecord(sets[i]) && typeof sets[i].name === 'string' ? `instance set "${sets[i].name}"` : `instance set ${i + 1}`;
      ctx.report({
        ...(written ? rangeOf(doc, path) : rangeOf(doc, ['spec', 'instances', i, 'name'])),
        message: `${label(doc)} runs a single PostgreSQL instance (${setName} has ${written ? '' : 'the default of '}1 replica): Patroni has no replica to fail over to. Set replicas to 2 or more.`,
        fixes,
      });
    }
  },
};
