// A Zalando cluster in the replay server whose Spilo pods are the members of a real Patroni lab:
// a `postgresql` resource, and a pod per member named after it (Spilo names each Patroni member
// after its pod) with the operator's labels (application=spilo, cluster-name, spilo-role), the
// `status` annotation Patroni's Kubernetes DCS writes (api_url, conn_url, role), and the loopback
// address as pod IP, so that the pod proxy reaches the member's REST API at the port its api_url
// names. The spilo-role labels follow the real leader: /cluster is read before each pod read is
// answered, as Patroni itself relabels its pod when it is promoted or demoted.
import type { PatroniLab } from '../lab/patroni';
import type { KubeObject, ReplayServer } from './replay-server';

interface ClusterJson {
  members: Array<{ name: string; role: string; state?: string; timeline?: number }>;
}

const LEADER_ROLES = ['leader', 'master', 'primary'];

function spiloPod(member: PatroniLab['members'][number], namespace: string, cluster: string, role: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: member.name,
      namespace,
      labels: { application: 'spilo', 'cluster-name': cluster, 'spilo-role': role, team: 'acid' },
      annotations: {
        status: JSON.stringify({ conn_url: `postgres://127.0.0.1:${member.pgPort}/postgres`, api_url: member.apiUrl, state: 'running', role: role === 'master' ? 'primary' : 'replica', version: '3.0.2' }),
      },
    },
    spec: {
      containers: [{ name: 'postgres', ports: [{ containerPort: member.restPort, protocol: 'TCP' }, { containerPort: member.pgPort, protocol: 'TCP' }] }],
      nodeName: 'kind-worker',
    },
    status: {
      phase: 'Running',
      podIP: '127.0.0.1',
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'ContainersReady', status: 'True' },
      ],
      containerStatuses: [{ name: 'postgres', ready: true, restartCount: 0 }],
    },
  };
}

/** The lab's /cluster from any member that answers; undefined when none does. */
async function clusterOf(lab: PatroniLab): Promise<ClusterJson | undefined> {
  for (const m of lab.members) {
    const r = await lab.rest(m.restPort, '/cluster').catch(() => undefined);
    if (r?.status === 200) return JSON.parse(r.body) as ClusterJson;
  }
  return undefined;
}

/** Serves `namespace/cluster` as a Zalando cluster of `lab`'s members; returns the function that stops following the leader. */
export async function serveSpilo(server: ReplayServer, lab: PatroniLab, namespace: string, cluster: string): Promise<() => void> {
  server.put({
    apiVersion: 'acid.zalan.do/v1',
    kind: 'postgresql',
    metadata: { name: cluster, namespace },
    spec: { teamId: 'acid', numberOfInstances: lab.members.length, postgresql: { version: '15' }, volume: { size: '1Gi' } },
    status: { PostgresClusterStatus: 'Running' },
  });
  const roles = new Map<string, string>();
  const follow = async () => {
    const now = await clusterOf(lab);
    for (const m of lab.members) {
      const role = LEADER_ROLES.includes(now?.members.find((x) => x.name === m.name)?.role ?? '') ? 'master' : 'replica';
      if (roles.get(m.name) === role) continue;
      roles.set(m.name, role);
      server.put(spiloPod(m, namespace, cluster, role));
    }
  };
  await follow();
  return server.beforeRead(async (path) => {
    const pods = path === '/api/v1/pods' || path.startsWith(`/api/v1/namespaces/${namespace}/pods`);
    if (pods && !path.includes('/proxy')) await follow();
  });
}
