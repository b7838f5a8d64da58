import { CancellationError, extensions, Uri, workspace } from 'vscode';
import type { ExtensionContext } from 'vscode';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import { REDHAT_YAML } from './red-hat-yaml';

/** The documents the server looks at; it decides per file whether it is an HA config. */
export const DOCUMENT_SELECTOR = [
  { language: 'yaml' },
  { language: 'haproxy' },
  { language: 'redis-conf' },
  { language: 'properties' },
  { language: 'ini' },
  { language: 'plaintext', pattern: '**/*.{cfg,conf}' },
];

/**
 * Red Hat's YAML extension validates built-in Kubernetes kinds with its own schema; with
 * `hatopo.kubernetes.schemaValidation: auto` those errors are left to it so they are not shown twice.
 */
export function coreSchemaValidation(mode: unknown): boolean {
  if (mode === 'on') return true;
  if (mode === 'off') return false;
  return extensions.getExtension(REDHAT_YAML) === undefined;
}

export async function startLanguageClient(context: ExtensionContext): Promise<LanguageClient> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // The server keeps V8's compiled validators here, so later starts skip compiling them.
    initializationOptions: { codeCacheDir: Uri.joinPath(context.globalStorageUri, 'code-cache').fsPath },
    synchronize: {
      configurationSection: 'hatopo',
      // Manifests that are not open still declare PDBs, CRDs and operator settings.
      fileEvents: workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
    },
    middleware: {
      // An edit cancels the pull for the previous text. Whatever that pull then yields (nothing, or a
      // list cut short while converting a long one) must not replace what is shown: throwing
      // CancellationError makes the client keep the current diagnostics and pull again.
      provideDiagnostics: async (document, previousResultId, token, next) => {
        const report = await next(document, previousResultId, token);
        if (token.isCancellationRequested) throw new CancellationError();
        return report;
      },
      workspace: {
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value, i) => {
            if (params.items[i]?.section !== 'hatopo' || !value || typeof value !== 'object') return value;
            const v = value as { kubernetes?: { schemaValidation?: unknown } };
            return { ...v, kubernetes: { ...v.kubernetes, coreSchemaValidation: coreSchemaValidation(v.kubernetes?.schemaValidation) } };
          });
        },
      },
    },
  };
  const client = new LanguageClient('hatopo', 'HA Topology', serverOptions, clientOptions);
  context.subscriptions.push(client);
  // Installing or removing Red Hat's YAML extension changes what `auto` means.
  context.subscriptions.push(
    extensions.onDidChange(() => {
      void client.sendNotification('workspace/didChangeConfiguration', { settings: null });
    }),
  );
  await client.start();
  return client;
}
