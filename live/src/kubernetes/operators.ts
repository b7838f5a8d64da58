// Every custom resource read, with the label selector of its pods and how a pod names its cluster.
import type { ClusterState } from '../model';
import type { Resource } from './cluster';
import type { OperatorName } from './options';
import type { PodLike } from './pods';
import type { MapContext } from './postgres-operators';
import { cnpgState, crunchyState, zalandoState } from './postgres-operators';
import { otClusterOf, redisClusterState, redisReplicationState, redisSentinelState } from './redis-operator';

export interface OperatorKind {
  operator: OperatorName;
  group: string;
  version: string;
  plural: string;
  kind: string;
  /** Selects the pods of every cluster of this kind at once (one list or watch per selector). */
  podSelector: string;
  /** The name of the resource of this kind a pod belongs to, from its labels. */
  clusterOf(labels: Record<string, string>): string | undefined;
  state(resource: Resource, pods: readonly PodLike[], ctx: MapContext): ClusterState;
}

const OT_GROUP = 'redis.redis.opstreelabs.in';
// The three OT kinds share one pod list: `redis_setup_type` tells them apart.
const OT_PODS = 'redis_setup_type';
const otOf = (kind: string) => (labels: Record<string, string>) => {
  const c = otClusterOf(labels);
  return c?.kind === kind ? c.name : undefined;
};

export const OPERATOR_KINDS: readonly OperatorKind[] = [
  {
    operator: 'cnpg',
    group: 'postgresql.cnpg.io',
    version: 'v1',
    plural: 'clusters',
    kind: 'Cluster',
    // Instance pods only: not the poolers' nor the initdb/join jobs' pods, which carry cnpg.io/cluster too.
    podSelector: 'cnpg.io/cluster,!cnpg.io/jobRole,!cnpg.io/poolerName',
    clusterOf: (l) => l['cnpg.io/cluster'],
    state: cnpgState,
  },
  {
    operator: 'zalando',
    group: 'acid.zalan.do',
    version: 'v1',
    plural: 'postgresqls',
    kind: 'postgresql',
    // The operator's defaults: cluster_labels application:spilo, cluster_name_label cluster-name.
    podSelector: 'application=spilo',
    clusterOf: (l) => l['cluster-name'],
    state: zalandoState,
  },
  {
    operator: 'crunchy',
    group: 'postgres-operator.crunchydata.com',
    version: 'v1beta1',
    plural: 'postgresclusters',
    kind: 'PostgresCluster',
    // PGO's own selector for instance pods (internal/naming/selectors.go ClusterInstances).
    podSelector: 'postgres-operator.crunchydata.com/cluster,postgres-operator.crunchydata.com/instance',
    clusterOf: (l) => l['postgres-operator.crunchydata.com/cluster'],
    state: crunchyState,
  },
  { operator: 'ot-redis', group: OT_GROUP, version: 'v1beta2', plural: 'redisreplications', kind: 'RedisReplication', podSelector: OT_PODS, clusterOf: otOf('RedisReplication'), state: redisReplicationState },
  { operator: 'ot-redis', group: OT_GROUP, version: 'v1beta2', plural: 'redissentinels', kind: 'RedisSentinel', podSelector: OT_PODS, clusterOf: otOf('RedisSentinel'), state: redisSentinelState },
  { operator: 'ot-redis', group: OT_GROUP, version: 'v1beta2', plural: 'redisclusters', kind: 'RedisCluster', podSelector: OT_PODS, clusterOf: otOf('RedisCluster'), state: redisClusterState },
];

/** The REST path of a kind's collection, in one namespace or across all. */
export function resourcePath(k: Pick<OperatorKind, 'group' | 'version' | 'plural'>, namespace?: string): string {
  return `/apis/${k.group}/${k.version}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${k.plural}`;
}

export function podsPath(namespace?: string): string {
  return `/api/v1${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/pods`;
}
