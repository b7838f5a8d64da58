import { containersOf } from '../../checks/kubernetes/workloads/helpers';
import { systemOf } from '../../checks/kubernetes/workloads/systems';
import type { CrdFact, FileFacts, LabelSelector, OperatorSettingFact, PdbFact, WorkloadFact } from '../../types';
import type { KubernetesModel } from './kubernetes';
import { isRecord } from './kubernetes';
import { nodeLabelsOf } from './node-labels';

function selectorOf(v: unknown): LabelSelector | undefined {
  if (!isRecord(v)) return undefined;
  const out: LabelSelector = {};
  if (isRecord(v.matchLabels)) {
    out.matchLabels = {};
    for (const [k, val] of Object.entries(v.matchLabels)) out.matchLabels[k] = String(val);
  }
  if (Array.isArray(v.matchExpressions)) {
    out.matchExpressions = v.matchExpressions.filter(isRecord).map((e) => ({
      key: String(e.key ?? ''),
      operator: String(e.operator ?? ''),
      values: Array.isArray(e.values) ? e.values.map(String) : undefined,
    }));
  }
  return out;
}

const WORKLOAD_KINDS = new Set(['StatefulSet', 'Deployment', 'ReplicaSet', 'DaemonSet', 'Pod', 'ReplicationController']);

/** Settings of the Zalando operator read from its OperatorConfiguration or its ConfigMap. */
const ZALANDO_SETTINGS = ['enable_pod_antiaffinity', 'pod_antiaffinity_topology_key', 'enable_pod_disruption_budget', 'pod_antiaffinity_preferred_during_scheduling'];

/** `watched_namespace`: "*" or empty means every namespace; otherwise one namespace (or a comma-separated list). */
function watched(v: unknown): string[] | undefined {
  if (typeof v !== 'string') return undefined;
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  return list.length === 0 || list.includes('*') ? undefined : list;
}

function zalandoSettings(uri: string, kind: string | undefined, value: Record<string, unknown>): OperatorSettingFact[] {
  const out: OperatorSettingFact[] = [];
  const push = (source: Record<string, unknown>, namespaces: string[] | undefined) => {
    for (const name of ZALANDO_SETTINGS) {
      if (name in source) out.push(namespaces ? { uri, operator: 'zalando', name, value: source[name], namespaces } : { uri, operator: 'zalando', name, value: source[name] });
    }
  };
  if (kind === 'OperatorConfiguration' && isRecord(value.configuration)) {
    const k8s = value.configuration.kubernetes;
    if (isRecord(k8s)) push(k8s, watched(k8s.watched_namespace));
  }
  if (kind === 'ConfigMap' && isRecord(value.data)) {
    const data = value.data;
    // The operator's ConfigMap is recognised by keys only it uses.
    const looksLikeOperator = 'docker_image' in data || 'watched_namespace' in data || 'pod_service_account_name' in data || 'super_username' in data;
    if (looksLikeOperator) push(data, watched(data.watched_namespace));
  }
  return out;
}

const REPLICATED_KINDS = new Set(['StatefulSet', 'Deployment', 'ReplicaSet', 'ReplicationController']);

/** A missing `replicas` is the API's default, 1; other kinds have no replica count. */
function replicasOf(kind: string, spec: unknown): number | undefined {
  if (!REPLICATED_KINDS.has(kind)) return undefined;
  const replicas = isRecord(spec) ? spec.replicas : undefined;
  return replicas === undefined ? 1 : typeof replicas === 'number' ? replicas : undefined;
}

/** The group, kind and versioned schemas of a CustomResourceDefinition (from a file, or as a cluster serves it). */
export function crdFactOf(uri: string, value: Record<string, unknown>): CrdFact | undefined {
  const spec = value.spec;
  if (!isRecord(spec)) return undefined;
  const names = isRecord(spec.names) ? spec.names : {};
  if (typeof spec.group !== 'string' || typeof names.kind !== 'string') return undefined;
  const crd: CrdFact = { uri, group: spec.group, kind: names.kind, versions: [] };
  if (Array.isArray(spec.versions)) {
    for (const ver of spec.versions) {
      if (!isRecord(ver) || typeof ver.name !== 'string') continue;
      const schema = isRecord(ver.schema) ? ver.schema.openAPIV3Schema : undefined;
      if (schema !== undefined) crd.versions.push({ name: ver.name, schema });
    }
  }
  return crd;
}

/** What a manifest file declares that checks of other files need: PDBs, workloads, CRDs, operator settings, node labels. */
export function kubernetesFacts(model: KubernetesModel): FileFacts {
  const facts: FileFacts = { pdbs: [], workloads: [], crds: [], operatorSettings: [], nodeLabels: nodeLabelsOf(model) };
  const uri = model.file.uri;
  for (const d of model.documents) {
    const v = d.value;
    if (!isRecord(v)) continue;
    if (d.kind === 'PodDisruptionBudget' && isRecord(v.spec)) {
      const pdb: PdbFact = { uri, namespace: d.namespace, name: d.name, selector: selectorOf(v.spec.selector) };
      if (typeof v.spec.minAvailable === 'number' || typeof v.spec.minAvailable === 'string') pdb.minAvailable = v.spec.minAvailable;
      if (typeof v.spec.maxUnavailable === 'number' || typeof v.spec.maxUnavailable === 'string') pdb.maxUnavailable = v.spec.maxUnavailable;
      facts.pdbs.push(pdb);
    } else if (d.kind && WORKLOAD_KINDS.has(d.kind)) {
      const template = d.kind === 'Pod' ? v : isRecord(v.spec) && isRecord(v.spec.template) ? v.spec.template : undefined;
      const meta = isRecord(template) && isRecord(template.metadata) ? template.metadata : undefined;
      const podLabels: Record<string, string> = {};
      if (meta && isRecord(meta.labels)) for (const [k, val] of Object.entries(meta.labels)) podLabels[k] = String(val);
      const workload: WorkloadFact = { uri, namespace: d.namespace, kind: d.kind, name: d.name, podLabels, replicas: replicasOf(d.kind, v.spec) };
      const podSpec = isRecord(template) && isRecord(template.spec) ? template.spec : undefined;
      const system = podSpec ? systemOf({ doc: d, replicas: workload.replicas ?? 1, podSpec, podLabels, containers: containersOf(podSpec) }) : undefined;
      if (system) workload.system = { name: system.name, quorum: system.quorum };
      facts.workloads.push(workload);
    } else if (d.kind === 'CustomResourceDefinition') {
      const crd = crdFactOf(uri, v);
      if (crd) facts.crds.push(crd);
    } else {
      facts.operatorSettings.push(...zalandoSettings(uri, d.kind, v));
    }
  }
  return facts;
}
