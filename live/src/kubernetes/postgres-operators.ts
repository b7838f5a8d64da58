// The PostgreSQL operators: CloudNativePG's Cluster, Zalando's postgresql and Crunchy's
// PostgresCluster, each with the pods it labels, as one ClusterState per resource.
import type { ClusterState } from '../model';
import type { Resource } from './cluster';
import { byName, clusterState, num, obj, phaseProblem, primaryProblems, readinessProblem, str } from './cluster';
import type { PodLike, Zones } from './pods';
import { isReady, labelsOf, podMember, podName, roleFromLabel, ZONE_LABELS } from './pods';

export interface MapContext {
  source: string;
  observedAt: string;
  zones: Zones;
}

const PG_PORT = { portNames: /^(postgres|postgresql|pg)$/, defaultPort: 5432 };

/** CloudNativePG's phase when all is well (api/v1/cluster_types.go PhaseHealthy). */
export const CNPG_HEALTHY = 'Cluster in healthy state';

export function cnpgState(res: Resource, pods: readonly PodLike[], ctx: MapContext): ClusterState {
  const status = obj(res.status);
  const reported = obj(status.instancesReportedState);
  const topology = obj(obj(status.topology).instances);
  const timeline = num(status.timelineID);
  const members = pods
    .map((p) => {
      const labels = labelsOf(p);
      // cnpg.io/instanceRole since 1.18; the older `role` label is still set, and `unhealthy` marks an old primary mid-failover.
      const role = roleFromLabel(labels['cnpg.io/instanceRole'] ?? labels.role);
      const own = obj(reported[podName(p)]);
      const podTopology = obj(topology[podName(p)]);
      const zone = ZONE_LABELS.map((l) => str(podTopology[l])).find(Boolean);
      return podMember(p, role, { ...PG_PORT, timeline: num(own.timeLineID) ?? (role === 'primary' ? timeline : undefined), zone, zones: ctx.zones });
    })
    .sort(byName);
  const phase = str(status.phase);
  const currentPrimary = str(status.currentPrimary);
  const targetPrimary = str(status.targetPrimary);
  const labelled = members.find((m) => m.role === 'primary')?.name;
  const problems = [
    ...primaryProblems(members),
    ...readinessProblem(num(status.readyInstances), num(status.instances) ?? num(res.spec?.instances)),
    ...phaseProblem(phase, CNPG_HEALTHY, /unrecoverable|invalid|cannot|unable|missing|error/i, str(status.phaseReason)),
  ];
  if (currentPrimary && labelled && currentPrimary !== labelled)
    problems.push({ code: 'primary-mismatch', severity: 'warning', message: `the operator's current primary is ${currentPrimary}, the pod labelled primary is ${labelled}`, member: labelled });
  const annotations = res.metadata?.annotations ?? {};
  return clusterState({
    operator: 'cnpg',
    resource: res,
    resourceName: 'clusters.postgresql.cnpg.io',
    members,
    problems,
    source: ctx.source,
    observedAt: ctx.observedAt,
    leader: labelled ?? currentPrimary,
    paused: annotations['cnpg.io/reconciliationLoop'] === 'disabled' || annotations['cnpg.io/hibernation'] === 'on',
    details: {
      phase,
      phaseReason: str(status.phaseReason),
      currentPrimary,
      targetPrimary,
      instances: num(status.instances) ?? num(res.spec?.instances),
      readyInstances: num(status.readyInstances),
      timeline,
      instancesStatus: status.instancesStatus,
    },
  });
}

/** The REST API Patroni publishes for a Spilo pod: api_url in the `status` annotation its Kubernetes DCS writes on the pod. */
function patroniApiUrl(p: PodLike): string | undefined {
  const annotation = p.metadata?.annotations?.status;
  if (!annotation) return undefined;
  try {
    const url = (JSON.parse(annotation) as { api_url?: unknown }).api_url;
    return typeof url === 'string' && url.length > 0 ? url : undefined;
  } catch {
    return undefined;
  }
}

export function zalandoState(res: Resource, pods: readonly PodLike[], ctx: MapContext): ClusterState {
  const spec = obj(res.spec);
  const status = obj(res.status);
  const members = pods
    .map((p) => {
      const m = podMember(p, roleFromLabel(labelsOf(p)['spilo-role']), { ...PG_PORT, zones: ctx.zones });
      const apiUrl = patroniApiUrl(p);
      return apiUrl ? { ...m, apiUrl } : m;
    })
    .sort(byName);
  const wanted = num(spec.numberOfInstances);
  const ready = pods.filter(isReady).length;
  const phase = str(status.PostgresClusterStatus);
  return clusterState({
    operator: 'zalando',
    resource: res,
    resourceName: 'postgresqls.acid.zalan.do',
    members,
    // numberOfInstances 0 is how a Zalando cluster is stopped: no primary is then expected.
    problems: [...(wanted === 0 ? [] : primaryProblems(members)), ...readinessProblem(ready, wanted), ...phaseProblem(phase, 'Running', /Failed$|Invalid/)],
    source: ctx.source,
    observedAt: ctx.observedAt,
    leader: members.find((m) => m.role === 'primary')?.name,
    details: {
      phase,
      instances: wanted,
      readyInstances: ready,
      team: str(spec.teamId),
      postgresVersion: str(obj(spec.postgresql).version),
    },
  });
}

export function crunchyState(res: Resource, pods: readonly PodLike[], ctx: MapContext): ClusterState {
  const spec = obj(res.spec);
  const status = obj(res.status);
  const members = pods
    .map((p) => {
      const m = podMember(p, roleFromLabel(labelsOf(p)['postgres-operator.crunchydata.com/role']), { ...PG_PORT, zones: ctx.zones });
      const set = labelsOf(p)['postgres-operator.crunchydata.com/instance-set'];
      return set ? { ...m, group: set } : m;
    })
    .sort(byName);
  const sets = Array.isArray(status.instances) ? status.instances.map(obj) : [];
  const specSets = Array.isArray(spec.instances) ? spec.instances.map(obj) : [];
  const wanted = sets.length ? sets.reduce((n, s) => n + (num(s.replicas) ?? 0), 0) : specSets.reduce((n, s) => n + (num(s.replicas) ?? 1), 0);
  const ready = sets.length ? sets.reduce((n, s) => n + (num(s.readyReplicas) ?? 0), 0) : pods.filter(isReady).length;
  const shutdown = spec.shutdown === true;
  const conditions = Array.isArray(status.conditions) ? status.conditions.map(obj) : [];
  return clusterState({
    operator: 'crunchy',
    resource: res,
    resourceName: 'postgresclusters.postgres-operator.crunchydata.com',
    members,
    problems: shutdown ? [] : [...primaryProblems(members), ...readinessProblem(ready, wanted)],
    source: ctx.source,
    observedAt: ctx.observedAt,
    leader: members.find((m) => m.role === 'primary')?.name,
    paused: spec.paused === true,
    details: {
      // PGO has no phase field; shutdown is the one state it names.
      phase: shutdown ? 'Shutdown' : undefined,
      instances: wanted,
      readyInstances: ready,
      postgresVersion: num(spec.postgresVersion),
      conditions: conditions.length ? conditions.map((c) => ({ type: str(c.type), status: str(c.status), reason: str(c.reason) })) : undefined,
    },
  });
}
