import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { intAt, label, rangeOf, setEdit } from './helpers';
import { OT_GROUP, otResources } from './otredis';

export const otredisReplicationSize: Check<KubernetesModel> = {
  id: 'otredis/replication-size',
  defaultSeverity: 'warning',
  docs: {
    title: 'A RedisReplication has fewer than 2 Redis pods',
    summary:
      'A RedisReplication runs one master and `clusterSize - 1` replicas. With `clusterSize: 1` there is no replica for Sentinel to promote, so losing the pod loses the service (and, without persistence, the data).\n\n' +
      'Set `clusterSize` to 2 or more (3 keeps a replica while another is being rebuilt).',
    bad: `apiVersion: ${OT_GROUP}/v1beta2\nkind: RedisReplication\nmetadata:\n  name: redis\nspec:\n  clusterSize: 1\n`,
    good: `apiVersion: ${OT_GROUP}/v1beta2\nkind: RedisReplication\nmetadata:\n  name: redis\nspec:\n  clusterSize: 3\n`,
  },
  check(ctx) {
    for (const doc of otResources(ctx.model, 'RedisReplication')) {
      const size = intAt(doc, ['spec', 'clusterSize']);
      if (size === undefined || size >= 2 || size < 1) continue;
      const edit = setEdit(doc, ctx.model.file.text, ['spec', 'clusterSize'], 3);
      ctx.report({
        ...rangeOf(doc, ['spec', 'clusterSize']),
        message: `${label(doc)}: clusterSize ${size} runs a master without a replica, so there is nothing to fail over to. Set clusterSize to 2 or more.`,
        fixes: edit ? [{ title: 'Set clusterSize to 3', edits: [edit], preferred: true }] : [],
      });
    }
  },
};
