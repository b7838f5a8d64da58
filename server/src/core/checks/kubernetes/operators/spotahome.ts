import type { KubeDocument, KubernetesModel } from '../../../documents/yaml/kubernetes';
import { intAt, resourcesOf } from './helpers';

/** A RedisFailover's replica counts; the operator replaces a missing or non-positive count with 3. */
export function redisFailovers(model: KubernetesModel): { doc: KubeDocument; sentinels: number; redis: number }[] {
  const count = (doc: KubeDocument, part: string): number => {
    const n = intAt(doc, ['spec', part, 'replicas']);
    return n === undefined || n <= 0 ? 3 : n;
  };
  return resourcesOf(model, 'databases.spotahome.com', 'RedisFailover').map((doc) => ({ doc, sentinels: count(doc, 'sentinel'), redis: count(doc, 'redis') }));
}

export const SPOTAHOME_HEAD = 'apiVersion: databases.spotahome.com/v1\nkind: RedisFailover\nmetadata:\n  name: redis\nspec:\n';
