import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';

export const sentinelChecks: Check<RedisModel>[] = [];
export const redisChecks: Check<RedisModel>[] = [];
