// "Copy Address": a member's host:port (or its API URL), or a cluster's endpoints. Nothing copied
// carries credentials: the tree never holds any.
import type { ExtensionContext } from 'vscode';
import { commands, env, window } from 'vscode';
import { withoutCredentials } from '../../../live/src/secrets';
import type { ClusterTreeNode } from '../views/tree-items';

export function registerCopyAddress(context: ExtensionContext): void {
  context.subscriptions.push(
    commands.registerCommand('hatopo.copyAddress', async (node?: ClusterTreeNode) => {
      let text: string | undefined;
      if (node?.kind === 'member') text = node.member.address ?? node.member.apiUrl;
      else if (node?.kind === 'connection' || node?.kind === 'cluster') text = node.view.connection.config.endpoints.join(',') || node.view.connection.config.context;
      if (!text) return;
      await env.clipboard.writeText(withoutCredentials(text));
      void window.setStatusBarMessage(`Copied ${withoutCredentials(text)}`, 3000);
    }),
  );
}
