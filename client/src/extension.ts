import type { ExtensionContext } from 'vscode';
import { registerRestartServer } from './commands/restart-server';
import { registerShowOutput } from './commands/show-output';
import { startLanguageClient } from './language-client';
import { registerLive } from './live/register';
import { offerSchemasToRedHatYaml } from './red-hat-yaml';

export async function activate(context: ExtensionContext): Promise<void> {
  const client = await startLanguageClient(context);
  registerRestartServer(context, client);
  registerShowOutput(context, client);
  registerLive(context, client);
  // Not awaited: the YAML extension's activation must not hold up this one.
  offerSchemasToRedHatYaml(context, client.outputChannel).catch((err: unknown) => client.outputChannel.appendLine(`HA Topology: offering schemas to the YAML extension failed: ${String(err)}`));
}

export function deactivate(): void {
  // The language client is in context.subscriptions and stops with them.
}
