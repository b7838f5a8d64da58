import type { ExtensionContext } from 'vscode';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';

/** The documents the server looks at; it decides per file whether it is an HA config. */
export const DOCUMENT_SELECTOR = [
  { language: 'yaml' },
  { language: 'haproxy' },
  { language: 'redis-conf' },
  { language: 'properties' },
  { language: 'ini' },
  { language: 'plaintext', pattern: '**/*.{cfg,conf}' },
];

export async function startLanguageClient(context: ExtensionContext): Promise<LanguageClient> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { configurationSection: 'hatopo' },
  };
  const client = new LanguageClient('hatopo', 'HA Topology', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
  return client;
}
