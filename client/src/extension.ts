import type { ExtensionContext } from 'vscode';
import { registerRestartServer } from './commands/restart-server';
import { registerShowOutput } from './commands/show-output';
import { startLanguageClient } from './language-client';
import { offerSchemasToRedHatYaml } from './red-hat-yaml';

export async function activate(context: ExtensionContext): Promise<void> {
  const client = await startLanguageClient(context);
  registerRestartServer(context, client);
  registerShowOutput(context, client);
  await offerSchemasToRedHatYaml(context, client.outputChannel);
}

export function deactivate(): void {
  // The language client is in context.subscriptions and stops with them.
}
