import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { valueAt } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { CNPG_HEAD, cnpgClusters } from './cnpg';
import { intAt, label, rangeOf } from './helpers';

const SYNC = ['spec', 'postgresql', 'synchronous'] as const;
const count = (v: unknown): number => (Array.isArray(v) ? v.length : 0);

export const cnpgSynchronousNumber: Check<KubernetesModel> = {
  id: 'cnpg/synchronous-number',
  defaultSeverity: 'error',
  docs: {
    title: 'postgresql.synchronous.number is out of the range the webhook accepts',
    summary:
      'CloudNativePG\'s admission webhook rejects a `postgresql.synchronous` stanza whose `number` is not lower than `instances` plus the names listed in `standbyNamesPre` and `standbyNamesPost`: there would not be enough standbys to acknowledge a commit. With `failoverQuorum: true`, `number` must also be greater than the number of those external names, or no automatic failover could ever be proven safe.\n\n' +
      'Lower `number` (usually to 1 with 3 instances), or raise `instances`.',
    bad: `${CNPG_HEAD}  instances: 2\n  postgresql:\n    synchronous:\n      method: any\n      number: 2\n`,
    good: `${CNPG_HEAD}  instances: 3\n  postgresql:\n    synchronous:\n      method: any\n      number: 1\n`,
  },
  check(ctx) {
    for (const c of cnpgClusters(ctx.model)) {
      const number = intAt(c.doc, [...SYNC, 'number']);
      if (number === undefined) continue;
      const named = count(valueAt(c.doc, [...SYNC, 'standbyNamesPre'])) + count(valueAt(c.doc, [...SYNC, 'standbyNamesPost']));
      const range = rangeOf(c.doc, [...SYNC, 'number']);
      if (number >= c.instances + named) {
        ctx.report({
          ...range,
          message: `${label(c.doc)}: synchronous.number (${number}) must be lower than instances plus listed standby names (${c.instances} + ${named}); the CloudNativePG webhook rejects this Cluster. Lower number to at most ${Math.max(c.instances + named - 1, 0)} or raise instances.`,
        });
      } else if (valueAt(c.doc, [...SYNC, 'failoverQuorum']) === true && number <= named) {
        ctx.report({
          ...range,
          message: `${label(c.doc)}: with failoverQuorum, synchronous.number (${number}) must be greater than the standby names in standbyNamesPre/Post (${named}); the CloudNativePG webhook rejects this Cluster. Raise number to ${named + 1} or list fewer names.`,
        });
      }
    }
  },
};
