import type { RedisModel } from '../../documents/redis';
import type { FormatSupport } from '../../types';

export const sentinelFeatures: Pick<FormatSupport<RedisModel>, 'complete' | 'hover' | 'symbols'> = {};
export const redisFeatures: Pick<FormatSupport<RedisModel>, 'complete' | 'hover' | 'symbols'> = {};
