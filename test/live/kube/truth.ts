// The tests' truth about each operator cluster: what kubectl reads from the API server, read the way
// each operator's documentation says its pods are labelled. Written apart from the provider (its
// own selectors and label readings), so the two can disagree.
import type { KubeLab } from './lab';
import { kubectlRaw } from './lab';
import { matches } from './label-selector';

export interface TruthMember {
  name: string;
  role: 'primary' | 'replica' | 'sentinel' | 'other';
  ready: boolean;
  ip?: string;
  node?: string;
  zone?: string;
}

export interface TruthCluster {
  /** `namespace/name`. */
  name: string;
  operator: string;
  members: TruthMember[];
  /** The resource's own word for its state, where the operator writes one. */
  phase?: string;
  status: Record<string, unknown>;
}

interface Obj {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: { nodeName?: string };
  status?: Record<string, unknown> & { phase?: string; podIP?: string; conditions?: Array<{ type: string; status: string }> };
}

const word = (v: string | undefined): TruthMember['role'] => (v === 'primary' || v === 'master' ? 'primary' : v === 'replica' || v === 'slave' ? 'replica' : 'other');

/** Per kind: its collection, the documented selector of one cluster's pods, and the label that says a pod's role. */
const KINDS = [
  // docs/src/labels_annotations.md: cnpg.io/podRole=instance marks instance pods, cnpg.io/instanceRole their role.
  { operator: 'cnpg', api: '/apis/postgresql.cnpg.io/v1', plural: 'clusters', pods: (n: string) => `cnpg.io/cluster=${n},cnpg.io/podRole=instance`, role: (l: Record<string, string>) => word(l['cnpg.io/instanceRole']), phase: (o: Obj) => o.status?.phase },
  // docs/user.md: kubectl get pods -l application=spilo,cluster-name=…, spilo-role=master.
  { operator: 'zalando', api: '/apis/acid.zalan.do/v1', plural: 'postgresqls', pods: (n: string) => `application=spilo,cluster-name=${n}`, role: (l: Record<string, string>) => word(l['spilo-role']), phase: (o: Obj) => o.status?.PostgresClusterStatus as string | undefined },
  // internal/naming: instance pods carry the cluster and data=postgres labels; Patroni sets the role label.
  { operator: 'crunchy', api: '/apis/postgres-operator.crunchydata.com/v1beta1', plural: 'postgresclusters', pods: (n: string) => `postgres-operator.crunchydata.com/cluster=${n},postgres-operator.crunchydata.com/data=postgres`, role: (l: Record<string, string>) => word(l['postgres-operator.crunchydata.com/role']), phase: () => undefined },
  // internal/controller/common/labels.go and constants.go: app, redis_setup_type, redis-role.
  { operator: 'ot-redis', api: '/apis/redis.redis.opstreelabs.in/v1beta2', plural: 'redisreplications', pods: (n: string) => `app=${n},redis_setup_type=replication`, role: (l: Record<string, string>) => word(l['redis-role']), phase: () => undefined },
  { operator: 'ot-redis', api: '/apis/redis.redis.opstreelabs.in/v1beta2', plural: 'redissentinels', pods: (n: string) => `app=${n}-sentinel,redis_setup_type=sentinel`, role: () => 'sentinel' as const, phase: () => undefined },
  { operator: 'ot-redis', api: '/apis/redis.redis.opstreelabs.in/v1beta2', plural: 'redisclusters', pods: (n: string) => `cluster=${n},redis_setup_type=cluster`, role: (l: Record<string, string>) => word(l['redis-role']), phase: (o: Obj) => o.status?.state as string | undefined },
];

const ready = (p: Obj) => p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Every operator cluster kubectl sees through `context`, in `namespace` or in all of them. */
export async function readTruth(lab: KubeLab, context: string, namespace?: string): Promise<TruthCluster[]> {
  // Nodes are cluster-scoped: read them as the lab's administrator whatever the context.
  const nodes = await kubectlRaw<{ items: Obj[] }>(lab, 'lab', '/api/v1/nodes');
  const zones = new Map(nodes.items.map((n) => [n.metadata.name, n.metadata.labels?.['topology.kubernetes.io/zone']]));
  const out: TruthCluster[] = [];
  const scope = namespace ? `/namespaces/${namespace}` : '';
  const allPods = (await kubectlRaw<{ items: Obj[] }>(lab, context, `/api/v1${scope}/pods`)).items;
  const lists = await Promise.all(KINDS.map((k) => kubectlRaw<{ items: Obj[] }>(lab, context, `${k.api}${scope}/${k.plural}`)));
  for (const [i, k] of KINDS.entries()) {
    for (const res of lists[i].items) {
      const ns = res.metadata.namespace ?? '';
      const pods = { items: allPods.filter((p) => p.metadata.namespace === ns && matches(k.pods(res.metadata.name), p.metadata.labels ?? {})) };
      out.push({
        name: `${ns}/${res.metadata.name}`,
        operator: k.operator,
        phase: k.phase(res),
        status: res.status ?? {},
        members: pods.items.map((p) => ({ name: p.metadata.name, role: k.role(p.metadata.labels ?? {}), ready: ready(p), ip: p.status?.podIP, node: p.spec?.nodeName, zone: zones.get(p.spec?.nodeName ?? '') })),
      });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
