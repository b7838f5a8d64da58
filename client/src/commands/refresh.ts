// "Refresh": read a cluster (or every cluster) now, whatever the schedule or backoff says, and look
// for clusters in the workspace files again.
import type { ExtensionContext } from 'vscode';
import { commands } from 'vscode';
import type { ConnectionManager } from '../live/connections';
import type { ClusterTreeNode } from '../views/tree-items';

export function registerRefresh(context: ExtensionContext, manager: ConnectionManager): void {
  context.subscriptions.push(
    commands.registerCommand('hatopo.refresh', async (node?: ClusterTreeNode) => {
      if (node && 'view' in node) {
        manager.refresh(node.view.connection.id);
        return;
      }
      manager.refresh();
      await manager.rescan();
    }),
  );
}
