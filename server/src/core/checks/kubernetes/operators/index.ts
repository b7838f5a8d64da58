import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { cnpgAntiAffinityDisabled } from './cnpg-anti-affinity-disabled';
import { cnpgAntiAffinityPreferred } from './cnpg-anti-affinity-preferred';
import { cnpgMaxSyncReplicas } from './cnpg-max-sync-replicas';
import { cnpgMinSyncReplicas } from './cnpg-min-sync-replicas';
import { cnpgNoBackup } from './cnpg-no-backup';
import { cnpgPdbDisabled } from './cnpg-pdb-disabled';
import { cnpgSingleInstance } from './cnpg-single-instance';
import { cnpgSupervisedSingleInstance } from './cnpg-supervised-single-instance';
import { cnpgSynchronousConflict } from './cnpg-synchronous-conflict';
import { cnpgSynchronousNumber } from './cnpg-synchronous-number';
import { cnpgWalLogHints } from './cnpg-wal-log-hints';
import { crunchyPatroniTiming } from './crunchy-patroni-timing';
import { crunchySingleInstance } from './crunchy-single-instance';
import { crunchySyncPeriod } from './crunchy-sync-period';
import { otredisQuorumImpossible, otredisQuorumMinority } from './otredis-quorum';
import { otredisReplicationSize } from './otredis-replication-size';
import { otredisSentinelSize } from './otredis-sentinel-size';
import { spotahomeRedisReplicas } from './spotahome-redis-replicas';
import { spotahomeSentinelReplicas } from './spotahome-sentinel-replicas';
import { zalandoAntiAffinityOff } from './zalando-anti-affinity-off';
import { zalandoAntiAffinityUnknown } from './zalando-anti-affinity-unknown';
import { zalandoPatroniTiming } from './zalando-patroni-timing';
import { zalandoSingleInstance } from './zalando-single-instance';

/** Each operator's own rules: its admission webhook run locally, and its HA pitfalls. */
export const operatorChecks: Check<KubernetesModel>[] = [
  cnpgMaxSyncReplicas,
  cnpgMinSyncReplicas,
  cnpgSynchronousNumber,
  cnpgSynchronousConflict,
  cnpgSupervisedSingleInstance,
  cnpgWalLogHints,
  cnpgSingleInstance,
  cnpgAntiAffinityDisabled,
  cnpgAntiAffinityPreferred,
  cnpgPdbDisabled,
  cnpgNoBackup,
  zalandoSingleInstance,
  zalandoPatroniTiming,
  zalandoAntiAffinityOff,
  zalandoAntiAffinityUnknown,
  crunchySingleInstance,
  crunchySyncPeriod,
  crunchyPatroniTiming,
  otredisSentinelSize,
  otredisQuorumImpossible,
  otredisQuorumMinority,
  otredisReplicationSize,
  spotahomeSentinelReplicas,
  spotahomeRedisReplicas,
];
