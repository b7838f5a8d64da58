import type { KubeDocument, KubernetesModel } from '../../../documents/yaml/kubernetes';
import { resourcesOf } from './helpers';

export const OT_GROUP = 'redis.redis.opstreelabs.in';

export const otResources = (model: KubernetesModel, kind: string): KubeDocument[] => resourcesOf(model, OT_GROUP, kind);

export const OT_SENTINEL_HEAD = `apiVersion: ${OT_GROUP}/v1beta2\nkind: RedisSentinel\nmetadata:\n  name: sentinel\nspec:\n`;
