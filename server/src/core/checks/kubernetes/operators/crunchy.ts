import type { KubeDocument, KubernetesModel } from '../../../documents/yaml/kubernetes';
import { intAt, resourcesOf } from './helpers';
import type { PatroniTiming } from '../../patroni/timing-rule';
import { PATRONI_DEFAULTS } from '../../patroni/timing-rule';

export const CRUNCHY_GROUP = 'postgres-operator.crunchydata.com';

export function crunchyClusters(model: KubernetesModel): KubeDocument[] {
  return resourcesOf(model, CRUNCHY_GROUP, 'PostgresCluster');
}

/**
 * What the operator hands Patroni: ttl is leaderLeaseDurationSeconds (default 30), loop_wait is
 * syncPeriodSeconds (default 10), and retry_timeout comes from dynamicConfiguration or Patroni's default.
 */
export function crunchyTiming(doc: KubeDocument): PatroniTiming & { written: Set<string> } {
  const written = new Set<string>();
  const read = (path: string[], fallback: number): number => {
    const n = intAt(doc, path);
    if (n === undefined) return fallback;
    written.add(path[path.length - 1]);
    return n;
  };
  return {
    ttl: read(['spec', 'patroni', 'leaderLeaseDurationSeconds'], 30),
    loop_wait: read(['spec', 'patroni', 'syncPeriodSeconds'], 10),
    retry_timeout: read(['spec', 'patroni', 'dynamicConfiguration', 'retry_timeout'], PATRONI_DEFAULTS.retry_timeout),
    written,
  };
}

export const CRUNCHY_HEAD = `apiVersion: ${CRUNCHY_GROUP}/v1beta1\nkind: PostgresCluster\nmetadata:\n  name: hippo\nspec:\n  postgresVersion: 16\n`;
export const CRUNCHY_SET = '  instances:\n    - name: pg\n      dataVolumeClaimSpec:\n        accessModes: [ReadWriteOnce]\n        resources:\n          requests:\n            storage: 1Gi\n';
