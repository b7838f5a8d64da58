import { haproxyChecks } from './checks/haproxy';
import { kubernetesChecks } from './checks/kubernetes';
import { patroniChecks } from './checks/patroni';
import { redisChecks, sentinelChecks } from './checks/redis';
import { parseHaproxy } from './documents/haproxy';
import { haproxyIncremental } from './documents/haproxy/regions';
import type { HaproxyModel } from './documents/haproxy';
import { kubernetesUnvalidated, parseKubernetes } from './documents/yaml/kubernetes';
import type { KubernetesModel } from './documents/yaml/kubernetes';
import { kubernetesFacts } from './documents/yaml/kubernetes-facts';
import { kubernetesIncremental } from './documents/yaml/kubernetes-regions';
import { parsePatroni, patroniUnvalidated } from './documents/yaml/patroni';
import type { PatroniModel } from './documents/yaml/patroni';
import { parseRedis } from './documents/redis';
import type { RedisModel } from './documents/redis';
import { haproxyFeatures } from './features/haproxy';
import { haproxyTargets, patroniTargets, redisTargets, sentinelTargets } from './live/targets';
import { kubernetesFeatures } from './features/kubernetes';
import { patroniFeatures } from './features/patroni';
import { redisFeatures, sentinelFeatures } from './features/redis';
import type { FileKind, FormatSupport } from './types';

export type AnyFormat = FormatSupport<unknown>;

export interface FormatTable {
  patroni: FormatSupport<PatroniModel>;
  sentinel: FormatSupport<RedisModel>;
  redis: FormatSupport<RedisModel>;
  haproxy: FormatSupport<HaproxyModel>;
  kubernetes: FormatSupport<KubernetesModel>;
}

/** The one place where a format's parser, checks and features meet. */
export const FORMATS: FormatTable = {
  // The live targets of a format (what its files say about running clusters) are what drift checks,
  // live hover and member locations match; Patroni's member list is read across files.
  patroni: {
    kind: 'patroni',
    parse: parsePatroni,
    checks: patroniChecks,
    unvalidated: patroniUnvalidated,
    liveTargets: patroniTargets,
    liveTargetsShared: true,
    usesWorkspace: true,
    ...patroniFeatures,
  },
  sentinel: { kind: 'sentinel', parse: parseRedis, checks: sentinelChecks, liveTargets: sentinelTargets, usesWorkspace: true, ...sentinelFeatures },
  redis: { kind: 'redis', parse: parseRedis, checks: redisChecks, liveTargets: redisTargets, ...redisFeatures },
  haproxy: {
    kind: 'haproxy',
    parse: parseHaproxy,
    checks: haproxyChecks,
    incremental: haproxyIncremental,
    liveTargets: haproxyTargets,
    usesWorkspace: true,
    ...haproxyFeatures,
  },
  kubernetes: {
    kind: 'kubernetes',
    parse: parseKubernetes,
    checks: kubernetesChecks,
    incremental: kubernetesIncremental,
    facts: kubernetesFacts,
    usesWorkspace: true,
    unvalidated: kubernetesUnvalidated,
    ...kubernetesFeatures,
  },
};

/** A kind's support with its model type erased: the engine only hands the model back to the same format. */
export function formatOf(kind: FileKind): AnyFormat {
  return FORMATS[kind] as unknown as AnyFormat;
}
