// From an endpoint as `hatopo status` and the editor name it to the ActionSpec of an action on it.
import type { EndpointSpec } from '../connect';
import type * as KubernetesSupport from '../kubernetes/index';
import type { ClusterState } from '../model';
import { EndpointError } from '../connect';
import type { ActionKind } from './model';
import type { ActionSpec } from './run';

export interface ActionArguments {
  /** The member to promote, restart or reinitialise; the HAProxy server (`backend/server`). */
  member?: string;
  scheduledAt?: string;
  pendingOnly?: boolean;
  force?: boolean;
  weight?: number;
  /** PostgreSQL promotion: the old primary can no longer take writes from clients. */
  oldPrimaryFenced?: boolean;
  /** Kubernetes: the operator cluster, `namespace/name`. */
  cluster?: string;
  /** Deadline of each call to the system. */
  timeoutMs?: number;
}

/** An action spec and the function that closes the connections it keeps. */
export interface PreparedAction {
  spec: ActionSpec;
  close(): Promise<void>;
}

/** The actions of each system, by the words the CLI and the editor use. */
export const ACTIONS_OF: Record<EndpointSpec['kind'], readonly ActionKind[]> = {
  patroni: ['switchover', 'failover', 'pause', 'resume', 'restart', 'reinit', 'cancel-switchover'],
  postgres: ['promote'],
  kubernetes: ['promote', 'restart', 'fence', 'unfence', 'switchover', 'failover', 'pause', 'resume', 'reinit'],
  sentinel: ['sentinel-failover', 'sentinel-reset'],
  haproxy: ['drain', 'maint', 'ready', 'weight'],
};

const fail = (message: string): never => {
  throw new EndpointError(message);
};

/** The action on the endpoint; an EndpointError when that system has no such action or it lacks an argument. */
export async function prepareAction(endpoint: EndpointSpec, action: ActionKind, args: ActionArguments, env: NodeJS.ProcessEnv = process.env): Promise<PreparedAction> {
  if (!ACTIONS_OF[endpoint.kind].includes(action)) fail(`${action} is not an action of ${endpoint.kind}: it has ${ACTIONS_OF[endpoint.kind].join(', ')}`);
  switch (endpoint.kind) {
    case 'patroni': {
      const { patroniActionSpec } = await import('./patroni');
      const spec = patroniActionSpec(action as Parameters<typeof patroniActionSpec>[0], {
        member: args.member,
        scheduledAt: args.scheduledAt,
        pendingOnly: args.pendingOnly,
        force: args.force,
        timeoutMs: args.timeoutMs,
        patroni: { urls: endpoint.urls, ...endpoint.auth, ...(endpoint.tls ? { tls: endpoint.tls } : {}), ...(endpoint.checkWritable ? { postgres: {} } : {}), env },
      });
      return { spec, close: async () => spec.provider.close?.() };
    }
    case 'postgres': {
      const candidate = args.member ?? fail('promote needs the standby to promote: --candidate HOST:PORT');
      const { promoteSpec } = await import('./postgres');
      const spec = promoteSpec({ connections: endpoint.connStrings, env, candidate, oldPrimaryFenced: args.oldPrimaryFenced, timeoutMs: args.timeoutMs });
      return { spec, close: async () => spec.provider.close?.() };
    }
    case 'kubernetes':
      return prepareKubernetes(endpoint, action, args, env);
    case 'sentinel': {
      const master = endpoint.master ?? fail(`${action === 'sentinel-reset' ? 'a reset' : 'a failover'} acts on one master: --master NAME`);
      const { sentinelFailoverSpec, sentinelResetSpec } = await import('./sentinel');
      const withAuth = (u: string) => {
        if (!endpoint.auth) return u;
        const url = new URL(u);
        if (endpoint.auth.username) url.username = encodeURIComponent(endpoint.auth.username);
        if (endpoint.auth.password) url.password = encodeURIComponent(endpoint.auth.password);
        return url.toString().replace(/\/$/, '');
      };
      const options = {
        sentinels: endpoint.urls.map(withAuth),
        master,
        ...(endpoint.data?.username !== undefined ? { dataUsername: endpoint.data.username } : {}),
        ...(endpoint.data?.password !== undefined ? { dataPassword: endpoint.data.password } : {}),
        ...(endpoint.tls ? { tls: endpoint.tls } : {}),
        ...(args.timeoutMs !== undefined ? { timeoutMs: args.timeoutMs } : {}),
      };
      const spec = action === 'sentinel-reset' ? sentinelResetSpec(options) : sentinelFailoverSpec({ ...options, ...(args.member !== undefined ? { candidate: args.member } : {}) });
      return { spec, close: () => spec.close() };
    }
    case 'haproxy': {
      const server = args.member ?? fail(`${action} acts on one server: --server BACKEND/SERVER`);
      const { haproxyActionSpec } = await import('./haproxy');
      const spec = haproxyActionSpec({
        endpoint: endpoint.target,
        ...endpoint.auth,
        ...(endpoint.tls ? { tls: endpoint.tls } : {}),
        action: action as 'drain' | 'maint' | 'ready' | 'weight',
        server,
        ...(args.weight !== undefined ? { weight: args.weight } : {}),
        ...(args.timeoutMs !== undefined ? { timeoutMs: args.timeoutMs } : {}),
      });
      return { spec, close: async () => spec.provider.close?.() };
    }
  }
}

/** What each operator's clusters offer, in the words of ACTIONS_OF. */
export const KUBERNETES_ACTIONS_OF: Readonly<Record<string, readonly ActionKind[]>> = {
  cnpg: ['promote', 'restart', 'fence', 'unfence'],
  crunchy: ['switchover', 'failover'],
  zalando: ['switchover', 'failover', 'pause', 'resume', 'restart', 'reinit'],
};

async function prepareKubernetes(endpoint: Extract<EndpointSpec, { kind: 'kubernetes' }>, action: ActionKind, args: ActionArguments, env: NodeJS.ProcessEnv): Promise<PreparedAction> {
  const cluster = args.cluster ?? fail('name the operator cluster to act on: --cluster NAMESPACE/NAME (as hatopo status --kube-context shows it)');
  const kube = { ...(endpoint.context ? { context: endpoint.context } : {}), ...(endpoint.namespace !== undefined ? { namespace: endpoint.namespace } : {}) };
  const { kubernetesProvider, loadKubernetesSupport } = await import('../providers/kubernetes');
  // Which operator runs the cluster decides the call: read it once.
  const provider = kubernetesProvider(kube);
  let operator: unknown;
  let found: ClusterState | undefined;
  try {
    const states = await provider.read({ timeoutMs: args.timeoutMs ?? 10_000 });
    found = states.find((s) => s.name === cluster);
    if (!found) {
      const why = states.find((s) => s.error)?.error;
      fail(why ? `the context could not be read: ${why}` : `no operator cluster ${cluster} in context ${endpoint.context} (there are: ${states.map((s) => s.name).join(', ') || 'none'})`);
    }
    operator = found?.details?.operator;
  } finally {
    await provider.close?.();
  }
  const support = await loadKubernetesSupport();
  const common = { kube, cluster, ...(args.timeoutMs !== undefined ? { timeoutMs: args.timeoutMs } : {}) };
  if (operator === 'cnpg' && action === 'restart' && (args.member !== undefined || args.pendingOnly)) fail(`${cluster} is a CloudNativePG cluster: its restart restarts every instance, one after the other (kubectl cnpg restart); naming a member or --pending is for Patroni and Zalando clusters`);
  if (operator === 'crunchy' && args.force) fail(`${cluster} is a Crunchy PostgresCluster: PGO's failover has no forced variant`);
  if (operator === 'cnpg' && (action === 'promote' || action === 'restart' || action === 'fence' || action === 'unfence')) {
    const spec = support.cnpgActionSpec(action, { ...common, ...(args.member !== undefined ? { instance: args.member } : {}) });
    return { spec, close: () => spec.close() };
  }
  if (operator === 'crunchy' && (action === 'switchover' || action === 'failover')) {
    const spec = support.crunchySwitchoverSpec({ ...common, ...(args.member !== undefined ? { instance: args.member } : {}), type: action === 'failover' ? 'Failover' : 'Switchover' });
    return { spec, close: () => spec.close() };
  }
  if (operator === 'zalando' && found && KUBERNETES_ACTIONS_OF.zalando.includes(action)) return prepareZalando(found, kube, endpoint.context, action as ZalandoAction, args, env, support);
  const offered = KUBERNETES_ACTIONS_OF[String(operator)]?.join(', ') || 'none';
  return fail(`${action} is not offered for ${cluster} (operator ${String(operator)}): it has ${offered}`);
}

type ZalandoAction = 'switchover' | 'failover' | 'pause' | 'resume' | 'restart' | 'reinit';

/**
 * A Zalando cluster's Patroni actions, as with --patroni, but every call to Patroni's REST API goes
 * through the API server's pod proxy to the pod of the member named (Spilo names members after
 * their pods, whose api_url is a pod IP). Patroni credentials come from the environment as for
 * --patroni, but the proxy cannot pass them on: the pre-flight says so when they are set.
 */
async function prepareZalando(
  state: ClusterState,
  kube: { context?: string; namespace?: string },
  context: string,
  action: ZalandoAction,
  args: ActionArguments,
  env: NodeJS.ProcessEnv,
  support: typeof KubernetesSupport,
): Promise<PreparedAction> {
  const [namespace, name] = state.name.split('/', 2) as [string, string];
  const pods = support.zalandoPatroniPods(state);
  if (!pods.length) fail(`${state.name} has no Spilo pods to reach Patroni on`);
  const via = await support.openPodProxy({ kube, namespace, label: `kube-context ${context} pods/proxy ${namespace}/${name}` });
  const { patroniActionSpec } = await import('./patroni');
  const username = env.PATRONI_RESTAPI_USERNAME || undefined;
  const password = env.PATRONI_RESTAPI_PASSWORD || undefined;
  const spec = patroniActionSpec(action, {
    member: args.member,
    pendingOnly: args.pendingOnly,
    force: args.force,
    timeoutMs: args.timeoutMs,
    patroni: { urls: pods.map((p) => via.base(p.member, p.apiUrl)), username, password, via, env },
  });
  if (username !== undefined || password !== undefined) {
    const preflight = spec.preflight;
    spec.preflight = (s) => {
      const p = preflight(s);
      p.warnings.push('PATRONI_RESTAPI_USERNAME/PASSWORD are not sent: the API server removes the Authorization header before proxying to the pod (Spilo asks for none by default)');
      return p;
    };
  }
  return { spec, close: async () => spec.provider.close?.() };
}
