// "Add to Settings": keep a connection in the workspace's hatopo.clusters setting (endpoints and TLS
// files only; credentials stay in the secret storage), so it connects whenever the workspace opens.
import type { ExtensionContext } from 'vscode';
import { commands, ConfigurationTarget, window, workspace } from 'vscode';
import type { ClusterConfig } from '../../../live/src/discovery';
import { connectionId, settingsItem } from '../live/cluster-config';
import type { ConnectionManager } from '../live/connections';
import type { ClusterTreeNode } from '../views/tree-items';

async function save(config: ClusterConfig): Promise<void> {
  const settings = workspace.getConfiguration('hatopo');
  const target = workspace.workspaceFolders?.length ? ConfigurationTarget.Workspace : ConfigurationTarget.Global;
  const inspected = settings.inspect<unknown[]>('clusters');
  const current = (target === ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  const list = Array.isArray(current) ? current.filter((x) => !(typeof x === 'object' && x !== null && connectionId(x as ClusterConfig) === connectionId(config))) : [];
  await settings.update('clusters', [...list, settingsItem(config)], target);
  void window.setStatusBarMessage(`HA Topology: ${config.name} added to hatopo.clusters`, 3000);
}

export function registerAddToSettings(context: ExtensionContext, manager: ConnectionManager): void {
  context.subscriptions.push(
    commands.registerCommand('hatopo.addToSettings', async (node?: ClusterTreeNode) => {
      if (node?.kind === 'connection') return save(node.view.connection.config);
      if (node?.kind === 'candidate') return save(node.candidate);
      const unsaved = [
        ...manager.connections().filter((c) => c.origin !== 'settings').map((c) => ({ label: c.config.name, description: `${c.config.kind} · connected`, config: c.config })),
        ...manager.candidates().map((c) => ({ label: c.name, description: `${c.kind} · found in the workspace`, config: c as ClusterConfig })),
      ];
      if (unsaved.length === 0) {
        // Nothing to save yet: the setting itself, to write by hand.
        return commands.executeCommand('workbench.action.openSettings', 'hatopo.clusters');
      }
      const pick = await window.showQuickPick(unsaved, { title: 'Add to the hatopo.clusters setting', placeHolder: 'Cluster' });
      return pick ? save(pick.config) : undefined;
    }),
  );
}
