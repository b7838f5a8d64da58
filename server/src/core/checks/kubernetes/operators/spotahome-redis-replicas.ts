import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { label, rangeOf, setEdit } from './helpers';
import { SPOTAHOME_HEAD, redisFailovers } from './spotahome';

export const spotahomeRedisReplicas: Check<KubernetesModel> = {
  id: 'spotahome/redis-replicas',
  defaultSeverity: 'warning',
  docs: {
    title: 'A RedisFailover runs a single Redis pod',
    summary:
      '`redis.replicas` counts every Redis pod, master included. With 1 there is no replica for the Sentinels to promote: the Sentinels watch a master they can never replace.\n\n' +
      'Use `redis.replicas: 2` or more (the operator uses 3 when the field is left out or not positive).',
    bad: `${SPOTAHOME_HEAD}  sentinel:\n    replicas: 3\n  redis:\n    replicas: 1\n`,
    good: `${SPOTAHOME_HEAD}  sentinel:\n    replicas: 3\n  redis:\n    replicas: 3\n`,
  },
  check(ctx) {
    for (const f of redisFailovers(ctx.model)) {
      if (f.redis >= 2) continue;
      const edit = setEdit(f.doc, ctx.model.file.text, ['spec', 'redis', 'replicas'], 3);
      ctx.report({
        ...rangeOf(f.doc, ['spec', 'redis', 'replicas']),
        message: `${label(f.doc)}: redis.replicas 1 runs a master without a replica, so the Sentinels have nothing to promote. Set redis.replicas to 2 or more.`,
        fixes: edit ? [{ title: 'Set redis.replicas to 3', edits: [edit], preferred: true }] : [],
      });
    }
  },
};
