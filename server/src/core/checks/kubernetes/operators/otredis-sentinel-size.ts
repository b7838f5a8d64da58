import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check, Fix } from '../../../types';
import { intAt, label, rangeOf, setEdit } from './helpers';
import { OT_SENTINEL_HEAD, otResources } from './otredis';
import { sentinelCountProblem } from './redis-sizes';

export const otredisSentinelSize: Check<KubernetesModel> = {
  id: 'otredis/sentinel-size',
  defaultSeverity: 'warning',
  docs: {
    title: 'A RedisSentinel has fewer than 3 or an even number of Sentinels',
    summary:
      'A Redis failover must be authorised by a majority of all Sentinels. With `clusterSize` 1 or 2, losing one Sentinel (or the node it runs on) leaves no majority, so the master is never replaced; an even count such as 4 survives no more failures than 3 and can split two against two.\n\n' +
      'Use an odd `clusterSize` of 3 or more (the operator\'s default is 3) and spread the Sentinel pods over nodes.',
    bad: `${OT_SENTINEL_HEAD}  clusterSize: 2\n`,
    good: `${OT_SENTINEL_HEAD}  clusterSize: 3\n`,
  },
  check(ctx) {
    for (const doc of otResources(ctx.model, 'RedisSentinel')) {
      const size = intAt(doc, ['spec', 'clusterSize']);
      if (size === undefined || size < 1) continue;
      const problem = sentinelCountProblem(size);
      if (!problem) continue;
      const target = size < 3 ? 3 : size + 1;
      const edit = setEdit(doc, ctx.model.file.text, ['spec', 'clusterSize'], target);
      const fixes: Fix[] = edit ? [{ title: `Set clusterSize to ${target}`, edits: [edit], preferred: true }] : [];
      ctx.report({
        ...rangeOf(doc, ['spec', 'clusterSize']),
        message: `${label(doc)}: ${problem}. Set clusterSize to ${target}: an odd number of 3 or more.`,
        fixes,
      });
    }
  },
};
