import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { intAt, label, rangeOf, setEdit } from './helpers';
import { OT_SENTINEL_HEAD, otResources } from './otredis';
import { majority } from './redis-sizes';

const QUORUM = ['spec', 'redisSentinelConfig', 'quorum'] as const;

/** The operator's defaults: clusterSize 3, quorum "2". */
function sentinelNumbers(doc: Parameters<typeof intAt>[0]): { size: number; quorum: number | undefined } {
  return { size: intAt(doc, ['spec', 'clusterSize']) ?? 3, quorum: intAt(doc, QUORUM) };
}

export const otredisQuorumImpossible: Check<KubernetesModel> = {
  id: 'otredis/quorum-impossible',
  defaultSeverity: 'error',
  docs: {
    title: 'redisSentinelConfig.quorum is greater than clusterSize',
    summary:
      'The quorum is how many Sentinels must agree that the master is down before a failover starts. With a quorum greater than the number of Sentinels (`clusterSize`), that agreement can never be reached: the master is never declared down and no failover ever happens.\n\n' +
      'Set `quorum` to a majority of `clusterSize` (2 of 3, 3 of 5).',
    bad: `${OT_SENTINEL_HEAD}  clusterSize: 3\n  redisSentinelConfig:\n    redisReplicationName: redis-replication\n    quorum: "4"\n`,
    good: `${OT_SENTINEL_HEAD}  clusterSize: 3\n  redisSentinelConfig:\n    redisReplicationName: redis-replication\n    quorum: "2"\n`,
  },
  check(ctx) {
    for (const doc of otResources(ctx.model, 'RedisSentinel')) {
      const { size, quorum } = sentinelNumbers(doc);
      if (quorum === undefined || quorum <= size) continue;
      const edit = setEdit(doc, ctx.model.file.text, [...QUORUM], String(majority(size)));
      ctx.report({
        ...rangeOf(doc, [...QUORUM]),
        message: `${label(doc)}: quorum ${quorum} is greater than clusterSize ${size}: the Sentinels can never agree the master is down, so no failover will ever happen. Set quorum to ${majority(size)}.`,
        fixes: edit ? [{ title: `Set quorum to ${majority(size)}`, edits: [edit], preferred: true }] : [],
      });
    }
  },
};

export const otredisQuorumMinority: Check<KubernetesModel> = {
  id: 'otredis/quorum-minority',
  defaultSeverity: 'warning',
  docs: {
    title: 'redisSentinelConfig.quorum is below a majority of clusterSize',
    summary:
      'With a quorum below a majority of the Sentinels, a minority that is cut off from the master (a network partition, one overloaded node) can declare it down. A failover still needs a majority to elect a leader, but the false alarms, flapping `+odown` events and needless failover attempts come from the low quorum.\n\n' +
      'Set `quorum` to a majority of `clusterSize` (2 of 3, 3 of 5).',
    bad: `${OT_SENTINEL_HEAD}  clusterSize: 5\n  redisSentinelConfig:\n    redisReplicationName: redis-replication\n    quorum: "2"\n`,
    good: `${OT_SENTINEL_HEAD}  clusterSize: 5\n  redisSentinelConfig:\n    redisReplicationName: redis-replication\n    quorum: "3"\n`,
  },
  check(ctx) {
    for (const doc of otResources(ctx.model, 'RedisSentinel')) {
      const { size, quorum } = sentinelNumbers(doc);
      if (quorum === undefined || quorum >= majority(size) || quorum > size) continue;
      const edit = setEdit(doc, ctx.model.file.text, [...QUORUM], String(majority(size)));
      ctx.report({
        ...rangeOf(doc, [...QUORUM]),
        message: `${label(doc)}: quorum ${quorum} is below a majority of ${size} Sentinels, so a minority can declare the master down. Set quorum to ${majority(size)}.`,
        fixes: edit ? [{ title: `Set quorum to ${majority(size)}`, edits: [edit], preferred: true }] : [],
      });
    }
  },
};
