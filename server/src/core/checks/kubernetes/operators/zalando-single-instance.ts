import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { label, rangeOf, setEdit } from './helpers';
import { ZALANDO_HEAD, zalandoClusters } from './zalando';

export const zalandoSingleInstance: Check<KubernetesModel> = {
  id: 'zalando/single-instance',
  defaultSeverity: 'warning',
  docs: {
    title: 'A Zalando postgresql cluster with one instance has no replica',
    summary:
      'With `numberOfInstances: 1` the operator runs a single Spilo pod: Patroni has no replica to promote, so a node failure or a drain is an outage until the pod comes back on another node with its volume.\n\n' +
      'Use `numberOfInstances: 2` or more (3 lets one replica be down while another can still take over). Ignore this warning for development clusters.',
    bad: `${ZALANDO_HEAD}  numberOfInstances: 1\n`,
    good: `${ZALANDO_HEAD}  numberOfInstances: 2\n`,
  },
  check(ctx) {
    for (const c of zalandoClusters(ctx.model)) {
      if (c.instances !== 1) continue;
      const edit = setEdit(c.doc, ctx.model.file.text, ['spec', 'numberOfInstances'], 2);
      ctx.report({
        ...rangeOf(c.doc, ['spec', 'numberOfInstances']),
        message: `${label(c.doc)} has numberOfInstances 1: Patroni has no replica to fail over to. Set numberOfInstances to 2 or more for high availability.`,
        fixes: edit ? [{ title: 'Set numberOfInstances to 2', edits: [edit], preferred: true }] : [],
      });
    }
  },
};
