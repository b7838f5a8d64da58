import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extensions, workspace } from 'vscode';
import type { ExtensionContext, OutputChannel } from 'vscode';
import { declaresKind, kindsOfDispatchSchema } from './manifest-kinds';

export const REDHAT_YAML = 'redhat.vscode-yaml';

/** The part of Red Hat's YAML extension API used here (its `registerContributor`). */
interface YamlExtensionApi {
  registerContributor(schema: string, requestSchema: (resource: string) => string | undefined, requestSchemaContent: (uri: string) => Promise<string> | string, label?: string): boolean;
}

/** Schemas are requested under this scheme; relative `$ref`s inside them stay under it. */
const SCHEME = 'hatopo';
const DISPATCH = 'schemas/generated/kubernetes.schema.json';

/**
 * Offers the per-document Kubernetes and operator schema to Red Hat's YAML extension for every
 * YAML file that declares one of those kinds, whatever its name or folder (the static
 * `contributes.yamlValidation` entry can only go by folder). Files with other content keep
 * whatever schema the YAML extension would pick.
 */
export async function offerSchemasToRedHatYaml(context: ExtensionContext, log: OutputChannel): Promise<void> {
  const ext = extensions.getExtension<YamlExtensionApi>(REDHAT_YAML);
  if (!ext) return;
  let kinds: Set<string>;
  try {
    kinds = kindsOfDispatchSchema(readFileSync(context.asAbsolutePath(DISPATCH), 'utf8'));
  } catch (err) {
    log.appendLine(`HA Topology: ${DISPATCH} is unreadable, no schemas offered to the YAML extension: ${String(err)}`);
    return;
  }
  let api: YamlExtensionApi | undefined;
  try {
    api = await ext.activate();
  } catch (err) {
    log.appendLine(`HA Topology: the YAML extension did not activate: ${String(err)}`);
    return;
  }
  if (typeof api?.registerContributor !== 'function') return;
  const schemaUri = `${SCHEME}://schemas/${DISPATCH.slice('schemas/'.length)}`;
  api.registerContributor(
    SCHEME,
    (resource) => {
      const doc = workspace.textDocuments.find((d) => d.uri.toString() === resource);
      return doc && declaresKind(doc.getText(), kinds) ? schemaUri : undefined;
    },
    async (uri) => {
      // hatopo://schemas/<path> → <extension>/schemas/<path>, never outside that folder.
      const path = uri.slice(`${SCHEME}://schemas/`.length).split(/[?#]/)[0];
      if (!uri.startsWith(`${SCHEME}://schemas/`) || path.split('/').includes('..')) throw new Error(`no such schema: ${uri}`);
      return readFile(context.asAbsolutePath(`schemas/${path}`), 'utf8');
    },
    'HA Topology',
  );
}
