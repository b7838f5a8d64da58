import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { redisArity, sentinelArity } from './arity';
import { downAfter } from './down-after';
import { duplicateKnown } from './duplicate-known';
import { duplicateMaster } from './duplicate-master';
import { failoverTimeout } from './failover-timeout';
import { hostnameResolution } from './hostname-resolution';
import { invalidQuorum } from './invalid-quorum';
import { lenientNumber } from './lenient-number';
import { minReplicas } from './min-replicas';
import { parallelSyncs } from './parallel-syncs';
import { quorumRisk } from './quorum-risk';
import { replicaAuth } from './replica-auth';
import { replicaReadOnly } from './replica-read-only';
import { staleKnownSentinel } from './stale-known-sentinel';
import { redisSyntax, sentinelSyntax } from './syntax';
import { redisUnknownDirective, sentinelUnknownDirective } from './unknown-directive';
import { redisValue, sentinelValue } from './value';
import { unknownMaster } from './unknown-master';
import { sentinelMasterMoved } from '../live';

export const sentinelChecks: Check<RedisModel>[] = [
  sentinelSyntax,
  sentinelUnknownDirective,
  sentinelArity,
  sentinelValue,
  invalidQuorum,
  duplicateMaster,
  unknownMaster,
  hostnameResolution,
  duplicateKnown,
  lenientNumber,
  quorumRisk,
  downAfter,
  failoverTimeout,
  parallelSyncs,
  staleKnownSentinel,
  sentinelMasterMoved,
];

export const redisChecks: Check<RedisModel>[] = [redisSyntax, redisUnknownDirective, redisArity, redisValue, replicaAuth, replicaReadOnly, minReplicas];
