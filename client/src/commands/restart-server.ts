import { commands, window } from 'vscode';
import type { ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export function registerRestartServer(context: ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    commands.registerCommand('hatopo.restartServer', async () => {
      try {
        await client.restart();
        void window.setStatusBarMessage('HA Topology: language server restarted', 3000);
      } catch (err) {
        void window.showErrorMessage(`HA Topology: restarting the language server failed: ${String(err)}`);
      }
    }),
  );
}
