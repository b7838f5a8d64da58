// "Clear Credentials": forget a cluster's stored user names and passwords; it reconnects without them.
import type { ExtensionContext } from 'vscode';
import { commands, window } from 'vscode';
import type { ConnectionManager } from '../live/connections';
import type { CredentialStore } from '../live/credentials';
import type { ClusterTreeNode } from '../views/tree-items';
import { pickConnection } from './pick-connection';

export function registerClearCredentials(context: ExtensionContext, manager: ConnectionManager, store: CredentialStore): void {
  context.subscriptions.push(
    commands.registerCommand('hatopo.clearCredentials', async (node?: ClusterTreeNode) => {
      const connection = node && 'view' in node ? node.view.connection : await pickConnection(manager, 'Clear the credentials of');
      if (!connection) return;
      await store.clear(connection.id);
      void window.setStatusBarMessage(`HA Topology: credentials of ${connection.config.name} cleared`, 3000);
    }),
  );
}
