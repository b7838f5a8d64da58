// "Disconnect": stop reading a cluster. A cluster of the hatopo.clusters setting stays disconnected
// in this workspace until connected again.
import type { ExtensionContext } from 'vscode';
import { commands, window } from 'vscode';
import type { ConnectionManager } from '../live/connections';
import type { ClusterTreeNode } from '../views/tree-items';
import { pickConnection } from './pick-connection';

export function registerDisconnect(context: ExtensionContext, manager: ConnectionManager): void {
  context.subscriptions.push(
    commands.registerCommand('hatopo.disconnect', async (node?: ClusterTreeNode) => {
      const id = node && 'view' in node ? node.view.connection.id : (await pickConnection(manager, 'Disconnect from'))?.id;
      if (id === undefined) return;
      await manager.disconnect(id);
      void window.setStatusBarMessage('HA Topology: disconnected', 3000);
    }),
  );
}
