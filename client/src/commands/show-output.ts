import { commands } from 'vscode';
import type { ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export function registerShowOutput(context: ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(commands.registerCommand('hatopo.showOutput', () => client.outputChannel.show(true)));
}
