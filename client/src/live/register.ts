// Wires live cluster state into the editor: the connection manager, the HA Clusters view, the
// status bar item, the commands, the snapshot sent to the language server, and Workspace Trust.
import type { ExtensionContext } from 'vscode';
import { commands, window, workspace } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { State } from 'vscode-languageclient/node';
import type { ClusterState } from '../../../live/src/model';
import { listServedCrds } from '../../../live/src/providers/kubernetes';
import { registerActions } from '../commands/actions';
import { registerAddToSettings } from '../commands/add-to-settings';
import { registerClearCredentials } from '../commands/clear-credentials';
import { registerConnect } from '../commands/connect';
import { registerCopyAddress } from '../commands/copy-address';
import { registerDisconnect } from '../commands/disconnect';
import { registerOpenConfig } from '../commands/open-config';
import { registerRefresh } from '../commands/refresh';
import { registerSetCredentials } from '../commands/set-credentials';
import { ClusterTree } from '../views/cluster-tree';
import { ClusterStatusBar } from '../views/status-bar';
import { ConnectionManager } from './connections';
import { CredentialStore } from './credentials';
import { kubeCandidates } from './kube-contexts';
import { CANDIDATE_GLOB, scanWorkspace } from './workspace-scan';

export function registerLive(context: ExtensionContext, client: LanguageClient): ConnectionManager {
  const log = window.createOutputChannel('HA Clusters', { log: true });
  const store = new CredentialStore(context.secrets);
  let last: { clusters: ClusterState[]; servedCrds: object[] } | undefined;
  const send = (clusters: ClusterState[], servedCrds: object[]) => {
    last = { clusters, servedCrds };
    if (client.state === State.Running) client.sendNotification('hatopo/liveState', last).catch((err: unknown) => log.warn(`sending the live state to the language server failed: ${String(err)}`));
  };
  const manager = new ConnectionManager(context, store, log, {
    sendSnapshot: send,
    servedCrds: (config) => listServedCrds({ ...(config.context ? { context: config.context } : {}), ...(config.namespace ? { namespace: config.namespace } : {}) }),
    splitBrain: (state, message) => {
      void window.showErrorMessage(`HA Topology: ${state.kind} cluster ${state.name} — ${message}`, 'Show Clusters').then((choice) => {
        if (choice) void commands.executeCommand('hatopo.clusters.focus');
      });
    },
    scan: async () => [...(await scanWorkspace()), ...(await kubeCandidates())],
    settingsWarnings: (warnings) => {
      void window.showWarningMessage(`HA Topology: ${warnings[0]}${warnings.length > 1 ? ` (and ${warnings.length - 1} more in the HA Clusters output)` : ''}`, 'Open Settings').then((choice) => {
        if (choice) void commands.executeCommand('workbench.action.openSettings', 'hatopo.clusters');
      });
    },
  });
  const tree = new ClusterTree(manager);
  const view = window.createTreeView('hatopo.clusters', { treeDataProvider: tree, showCollapseAll: true });
  const setVisible = (visible: boolean) => {
    tree.setVisible(visible);
    manager.setVisible(visible);
  };
  setVisible(view.visible);
  const setContext = () => void commands.executeCommand('setContext', 'hatopo.connected', manager.connections().length > 0);
  context.subscriptions.push(
    log,
    store,
    manager,
    tree,
    view,
    new ClusterStatusBar(manager),
    view.onDidChangeVisibility((e) => setVisible(e.visible)),
    manager.onDidChange(setContext),
    context.secrets.onDidChange((e) => void store.reload(e.key)),
    store.onDidChange((id) => void manager.credentialsChanged(id)),
    // A restarted server starts with no live state: send it the last snapshot again.
    client.onDidChangeState((e) => {
      if (e.newState === State.Running && last) send(last.clusters, last.servedCrds);
    }),
    workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('hatopo.clusters') && !e.affectsConfiguration('hatopo.live')) return;
      // Turning live state on starts it; any other change is applied to what runs.
      void (manager.isStarted ? manager.applySettings() : manager.start());
    }),
    // Restricted Mode reads and connects nothing; trust granted later starts everything.
    workspace.onDidGrantWorkspaceTrust(() => void manager.start()),
  );
  registerCommands(context, manager, store, client);
  registerActions(context, manager, store, log);
  watchCandidateFiles(context, manager);
  void manager.start().catch((err: unknown) => log.error(`starting live cluster state failed: ${String(err)}`));
  return manager;
}

function registerCommands(context: ExtensionContext, manager: ConnectionManager, store: CredentialStore, client: LanguageClient): void {
  registerConnect(context, manager);
  registerDisconnect(context, manager);
  registerRefresh(context, manager);
  registerSetCredentials(context, manager, store);
  registerClearCredentials(context, manager, store);
  registerOpenConfig(context, client);
  registerCopyAddress(context);
  registerAddToSettings(context, manager);
}

/** Configs added, changed or deleted: look for candidates again, a second after the last change. */
function watchCandidateFiles(context: ExtensionContext, manager: ConnectionManager): void {
  const watcher = workspace.createFileSystemWatcher(CANDIDATE_GLOB);
  let timer: NodeJS.Timeout | undefined;
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void manager.rescan(), 1000);
  };
  context.subscriptions.push(watcher, watcher.onDidCreate(later), watcher.onDidChange(later), watcher.onDidDelete(later), { dispose: () => timer && clearTimeout(timer) });
}
