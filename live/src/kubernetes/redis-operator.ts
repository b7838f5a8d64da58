// OT-CONTAINER-KIT's Redis operator (redis.redis.opstreelabs.in/v1beta2): RedisReplication,
// RedisSentinel and RedisCluster. Its pods carry `app`, `redis_setup_type` and `role` (the
// StatefulSet's part), and the operator keeps `redis-role: master|slave` on each data pod up to
// date from Redis itself (internal/controller/common/redis/heal.go).
import type { ClusterState, Member } from '../model';
import type { Resource } from './cluster';
import { byName, clusterState, num, obj, phaseProblem, primaryProblems, readinessProblem, str } from './cluster';
import type { PodLike } from './pods';
import { isReady, labelsOf, podMember, roleFromLabel } from './pods';
import type { MapContext } from './postgres-operators';

const REDIS_PORT = { portNames: /^redis(-client)?$/, defaultPort: 6379 };
const SENTINEL_PORT = { portNames: /^sentinel(-client)?$/, defaultPort: 26379 };

/** The OT resource a pod belongs to, by its setup type; undefined for pods of no OT resource. */
export function otClusterOf(labels: Record<string, string>): { kind: string; name: string } | undefined {
  const app = labels.app;
  switch (labels.redis_setup_type) {
    case 'replication':
      return app ? { kind: 'RedisReplication', name: app } : undefined;
    case 'sentinel':
      return app?.endsWith('-sentinel') ? { kind: 'RedisSentinel', name: app.slice(0, -'-sentinel'.length) } : undefined;
    case 'cluster': {
      // Leader and follower StatefulSets share the `cluster` label; `app` is `<name>-leader|follower`.
      const name = labels.cluster ?? app?.replace(/-(leader|follower)$/, '');
      return name ? { kind: 'RedisCluster', name } : undefined;
    }
    default:
      return undefined;
  }
}

function dataMembers(pods: readonly PodLike[], ctx: MapContext): Member[] {
  return pods.map((p) => podMember(p, roleFromLabel(labelsOf(p)['redis-role']), { ...REDIS_PORT, zones: ctx.zones })).sort(byName);
}

function base(res: Resource, ctx: MapContext, resourceName: string) {
  return { operator: 'ot-redis' as const, resource: res, resourceName, source: ctx.source, observedAt: ctx.observedAt };
}

export function redisReplicationState(res: Resource, pods: readonly PodLike[], ctx: MapContext): ClusterState {
  const members = dataMembers(pods, ctx);
  const wanted = num(res.spec?.clusterSize);
  const masterNode = str(obj(res.status).masterNode);
  const labelled = members.find((m) => m.role === 'primary')?.name;
  const problems = [...primaryProblems(members), ...readinessProblem(pods.filter(isReady).length, wanted, 'pods')];
  if (masterNode && labelled && masterNode !== labelled)
    problems.push({ code: 'primary-mismatch', severity: 'warning', message: `the operator's master is ${masterNode}, the pod labelled master is ${labelled}`, member: labelled });
  return clusterState({
    ...base(res, ctx, 'redisreplications.redis.redis.opstreelabs.in'),
    members,
    problems,
    leader: labelled ?? masterNode,
    details: { instances: wanted, readyInstances: pods.filter(isReady).length, masterNode },
  });
}

export function redisSentinelState(res: Resource, pods: readonly PodLike[], ctx: MapContext): ClusterState {
  const members = pods.map((p) => podMember(p, 'sentinel', { ...SENTINEL_PORT, zones: ctx.zones })).sort(byName);
  const wanted = num(res.spec?.clusterSize);
  const ready = pods.filter(isReady).length;
  const config = obj(res.spec?.redisSentinelConfig);
  return clusterState({
    ...base(res, ctx, 'redissentinels.redis.redis.opstreelabs.in'),
    members,
    problems: [...readinessProblem(ready, wanted, 'sentinels'), ...(wanted && ready === 0 ? [{ code: 'no-sentinel', severity: 'error' as const, message: 'no Sentinel pod is ready' }] : [])],
    details: {
      instances: wanted,
      readyInstances: ready,
      masterGroupName: str(config.masterGroupName),
      redisReplication: str(config.redisReplicationName),
      quorum: str(config.quorum) ?? num(config.quorum),
    },
  });
}

export function redisClusterState(res: Resource, pods: readonly PodLike[], ctx: MapContext): ClusterState {
  const members = dataMembers(pods, ctx).map((m) => {
    const part = labelsOf(pods.find((p) => p.metadata?.name === m.name) ?? {}).role;
    return part ? { ...m, group: part } : m;
  });
  const spec = obj(res.spec);
  const status = obj(res.status);
  const size = num(spec.clusterSize);
  const leaders = num(obj(spec.redisLeader).replicas) ?? size;
  const followers = num(obj(spec.redisFollower).replicas) ?? size;
  const readyLeaders = num(status.readyLeaderReplicas);
  const readyFollowers = num(status.readyFollowerReplicas);
  const wanted = leaders !== undefined && followers !== undefined ? leaders + followers : undefined;
  const ready = readyLeaders !== undefined || readyFollowers !== undefined ? (readyLeaders ?? 0) + (readyFollowers ?? 0) : pods.filter(isReady).length;
  // A Redis Cluster has one master per shard: several are expected, none is the failure.
  const masters = members.filter((m) => m.role === 'primary');
  const problems = [
    ...(masters.length === 0 ? [{ code: 'no-primary', severity: 'error' as const, message: 'no pod is labelled master' }] : []),
    ...primaryProblems(masters).filter((p) => p.code === 'primary-not-ready'),
    ...readinessProblem(ready, wanted, 'pods'),
    ...phaseProblem(str(status.state), 'Ready', /Failed/, str(status.reason)),
  ];
  return clusterState({
    ...base(res, ctx, 'redisclusters.redis.redis.opstreelabs.in'),
    members,
    problems,
    details: { phase: str(status.state), phaseReason: str(status.reason), instances: wanted, readyInstances: ready, shards: size, masters: masters.length },
  });
}
