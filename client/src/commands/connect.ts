// "Connect…": a cluster found in the workspace (one click on its node), a settings entry that was
// disconnected, or an endpoint typed in. Credentials typed into an endpoint are refused here: they
// belong in the secret storage (Set Credentials…).
import type { ExtensionContext, QuickPickItem } from 'vscode';
import { commands, window, workspace } from 'vscode';
import type { Candidate, ClusterConfig } from '../../../live/src/discovery';
import type { SystemKind } from '../../../live/src/model';
import { connectionId, stripCredentials } from '../live/cluster-config';
import type { ConnectionManager } from '../live/connections';
import type { ClusterTreeNode } from '../views/tree-items';

const EXAMPLES: Record<SystemKind, string> = {
  patroni: 'http://10.0.0.11:8008, http://10.0.0.12:8008',
  sentinel: 'redis://10.0.0.21:26379, redis://10.0.0.22:26379',
  haproxy: '/run/haproxy/admin.sock, tcp://10.0.0.5:9999 or http://10.0.0.5:8404/stats',
  postgres: 'host=10.0.0.31 port=5432 dbname=postgres, postgresql://10.0.0.32:5432/postgres',
  kubernetes: 'a kubeconfig context',
};

interface Pick extends QuickPickItem {
  run(): Promise<unknown>;
}

/** A name for a typed endpoint: its host and port, or the socket file. */
function nameOf(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    if (u.host) return u.host;
  } catch {
    // not a URL
  }
  const host = /host=(\S+)/.exec(endpoint)?.[1];
  return host ?? endpoint.split('/').pop() ?? endpoint;
}

async function typeEndpoint(manager: ConnectionManager, kind: SystemKind): Promise<unknown> {
  const value = await window.showInputBox({
    title: `Connect to a ${kind} cluster`,
    prompt: kind === 'kubernetes' ? 'The kubeconfig context (empty: the current one)' : 'Endpoints, separated by commas. No passwords here: set them afterwards with "Set Credentials…".',
    placeHolder: EXAMPLES[kind],
    ignoreFocusOut: true,
    validateInput: (v) => (kind !== 'kubernetes' && v.split(',').some((e) => stripCredentials(e).stripped) ? 'Leave credentials out of the endpoint; "Set Credentials…" stores them in the secret storage.' : undefined),
  });
  if (value === undefined) return undefined;
  const endpoints = kind === 'kubernetes' ? [] : value.split(kind === 'postgres' ? /,(?=\s*(?:\S+=|postgres))/ : ',').map((e) => stripCredentials(e).endpoint).filter((e) => e !== '');
  if (kind !== 'kubernetes' && endpoints.length === 0) return undefined;
  const config: ClusterConfig = { name: kind === 'kubernetes' ? value.trim() || 'current context' : nameOf(endpoints[0]), kind, endpoints };
  if (kind === 'kubernetes' && value.trim()) config.context = value.trim();
  if (kind === 'sentinel') {
    const master = await window.showInputBox({ title: 'Sentinel master', prompt: 'The master name to show (empty: every master the Sentinels monitor)', ignoreFocusOut: true });
    if (master === undefined) return undefined;
    if (master.trim()) config.master = config.name = master.trim();
  }
  return manager.connect(config, 'added');
}

const connectCandidate = (manager: ConnectionManager, c: Candidate) => manager.connect(c, 'workspace', { foundAt: c.foundAt, ...(c.usernames ? { usernames: c.usernames } : {}) });

export function registerConnect(context: ExtensionContext, manager: ConnectionManager): void {
  context.subscriptions.push(
    commands.registerCommand('hatopo.connect', async (node?: ClusterTreeNode) => {
      if (!workspace.isTrusted) {
        void window.showWarningMessage('HA Topology connects to clusters only in a trusted workspace.', 'Manage Workspace Trust').then((a) => a && commands.executeCommand('workbench.trust.manage'));
        return;
      }
      if (!manager.active) {
        void window.showWarningMessage('Live cluster state is off (hatopo.live.enabled).');
        return;
      }
      if (node?.kind === 'candidate') {
        await connectCandidate(manager, node.candidate);
        return;
      }
      const picks: Pick[] = [];
      for (const c of manager.candidates()) picks.push({ label: `$(search) ${c.name}`, description: `${c.kind} · ${c.endpoints[0] ?? c.context ?? ''}`, detail: `Found in ${c.foundAt.map((f) => f.path.split(/[\\/]/).pop()).join(', ')}`, run: () => connectCandidate(manager, c) });
      for (const s of manager.settingsClusters()) {
        if (!manager.get(connectionId(s))) picks.push({ label: `$(gear) ${s.name}`, description: `${s.kind} · ${s.endpoints[0] ?? s.context ?? ''}`, detail: 'From the hatopo.clusters setting (disconnected)', run: () => manager.connect(s, 'settings') });
      }
      for (const kind of ['patroni', 'sentinel', 'haproxy', 'postgres', 'kubernetes'] as const) {
        picks.push({ label: `$(edit) Enter ${kind === 'kubernetes' ? 'a Kubernetes context' : `a ${kind} endpoint`}…`, description: EXAMPLES[kind], run: () => typeEndpoint(manager, kind) });
      }
      const pick = await window.showQuickPick(picks, { title: 'Connect to a cluster', placeHolder: 'A cluster found in this workspace, or an endpoint', matchOnDescription: true, ignoreFocusOut: true });
      await pick?.run();
    }),
  );
}
