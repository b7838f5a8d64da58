import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { label, rangeOf, setEdit } from './helpers';
import { sentinelCountProblem } from './redis-sizes';
import { SPOTAHOME_HEAD, redisFailovers } from './spotahome';

export const spotahomeSentinelReplicas: Check<KubernetesModel> = {
  id: 'spotahome/sentinel-replicas',
  defaultSeverity: 'warning',
  docs: {
    title: 'A RedisFailover has fewer than 3 or an even number of Sentinels',
    summary:
      'A failover must be authorised by a majority of all Sentinels. With `sentinel.replicas` 1 or 2, losing one Sentinel leaves no majority and the master is never replaced; an even count survives no more failures than the odd count below it.\n\n' +
      'Use an odd `sentinel.replicas` of 3 or more (the operator uses 3 when the field is left out or not positive).',
    bad: `${SPOTAHOME_HEAD}  sentinel:\n    replicas: 2\n  redis:\n    replicas: 3\n`,
    good: `${SPOTAHOME_HEAD}  sentinel:\n    replicas: 3\n  redis:\n    replicas: 3\n`,
  },
  check(ctx) {
    for (const f of redisFailovers(ctx.model)) {
      const problem = sentinelCountProblem(f.sentinels);
      if (!problem) continue;
      const target = f.sentinels < 3 ? 3 : f.sentinels + 1;
      const edit = setEdit(f.doc, ctx.model.file.text, ['spec', 'sentinel', 'replicas'], target);
      ctx.report({
        ...rangeOf(f.doc, ['spec', 'sentinel', 'replicas']),
        message: `${label(f.doc)}: ${problem}. Set sentinel.replicas to ${target}: an odd number of 3 or more.`,
        fixes: edit ? [{ title: `Set sentinel.replicas to ${target}`, edits: [edit], preferred: true }] : [],
      });
    }
  },
};
