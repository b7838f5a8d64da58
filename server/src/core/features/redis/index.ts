import type { RedisModel } from '../../documents/redis';
import type { FormatSupport } from '../../types';
import { completeRedis } from './complete';
import { hoverRedis } from './hover';
import { redisSymbols, sentinelSymbols } from './symbols';

export const sentinelFeatures: Pick<FormatSupport<RedisModel>, 'complete' | 'hover' | 'symbols'> = {
  complete: (model, offset) => completeRedis(model, offset),
  hover: (model, offset) => hoverRedis(model, offset),
  symbols: (model) => sentinelSymbols(model),
};

export const redisFeatures: Pick<FormatSupport<RedisModel>, 'complete' | 'hover' | 'symbols'> = {
  complete: (model, offset) => completeRedis(model, offset),
  hover: (model, offset) => hoverRedis(model, offset),
  symbols: (model) => redisSymbols(model),
};
