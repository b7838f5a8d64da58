import type { KubernetesModel } from '../../documents/yaml/kubernetes';
import type { SchemaLookup } from '../../checks/kubernetes/schema/lookup';
import { completeFromSchema } from '../../schema/complete';
import type { CompletionEntry, WorkspaceView } from '../../types';
import { fileNameOf } from '../../workspace';
import { chunkAt, identityOf, schemaAt } from './documents';
import { KNOWN_KINDS } from './known-kinds';

const TOP_LEVEL: ReadonlyArray<{ key: string; detail: string; insert: string }> = [
  { key: 'apiVersion', detail: 'The API group and version of the object', insert: 'apiVersion: $0' },
  { key: 'kind', detail: 'The type of the object', insert: 'kind: $0' },
  { key: 'metadata', detail: 'Name, namespace, labels and annotations', insert: 'metadata:\n  name: $0' },
  { key: 'spec', detail: 'The desired state', insert: 'spec:\n  $0' },
];

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function topLevelKeys(body: string, before: string, offset: number): CompletionEntry[] {
  const word = /^[\w.-]*$/.exec(before);
  if (!word) return [];
  const written = new Set([...body.matchAll(/^([A-Za-z]\w*):/gm)].map((m) => m[1]));
  return TOP_LEVEL.filter((t) => !written.has(t.key)).map((t, i) => ({
    label: t.key,
    kind: 'property' as const,
    detail: t.detail,
    insertText: t.insert,
    snippet: true,
    replace: { start: offset - before.length, end: offset },
    sortText: String(i),
  }));
}

/** Kinds defined by CRDs of the other workspace files, each with its first version. */
function workspaceKinds(model: KubernetesModel, workspace: WorkspaceView | undefined): Array<{ kind: string; apiVersion: string; what: string }> {
  if (!workspace) return [];
  return workspace.crds().flatMap((c) => (c.uri !== model.file.uri && c.versions.length > 0 ? [{ kind: c.kind, apiVersion: `${c.group}/${c.versions[0].name}`, what: `Defined in ${fileNameOf(c.uri)}` }] : []));
}

/** Completion inside the `---` document under the cursor: apiVersion/kind values, then keys and values from its schema. */
export function completeKubernetes(lookup: SchemaLookup, model: KubernetesModel, offset: number, workspace?: WorkspaceView): CompletionEntry[] {
  const text = model.file.text;
  const chunk = chunkAt(model, offset);
  const from = chunk?.start ?? 0;
  const to = chunk?.end ?? text.length;
  const before = text.slice(lineStart(text, offset), offset);
  const crdKinds = model.documents.filter((d) => d.kind === 'CustomResourceDefinition').flatMap((d) => {
    const spec = (d.value as { spec?: { group?: unknown; names?: { kind?: unknown }; versions?: Array<{ name?: unknown }> } } | undefined)?.spec;
    const version = spec?.versions?.[0]?.name;
    return typeof spec?.names?.kind === 'string' && typeof spec.group === 'string' && typeof version === 'string' ? [{ kind: spec.names.kind, apiVersion: `${spec.group}/${version}`, what: 'Defined in this file' }] : [];
  });
  const kinds = [...KNOWN_KINDS, ...crdKinds, ...workspaceKinds(model, workspace)];

  const value = /^(apiVersion|kind):[ \t]*["']?([\w./-]*)$/.exec(before);
  if (value) {
    const replace = { start: offset - value[2].length, end: offset };
    if (value[1] === 'kind') {
      return kinds.map((k, i) => ({ label: k.kind, kind: 'enum' as const, detail: `${k.apiVersion} — ${k.what}`, replace, sortText: String(i).padStart(3, '0') }));
    }
    const { kind } = chunk ? identityOf(text, chunk) : {};
    const matching = kinds.filter((k) => !kind || k.kind === kind);
    const versions = [...new Set((matching.length > 0 ? matching : kinds).map((k) => k.apiVersion))];
    return versions.map((v, i) => ({ label: v, kind: 'enum' as const, replace, sortText: String(i).padStart(3, '0') }));
  }

  const body = text.slice(from, to);
  const match = chunk ? schemaAt(lookup, model, chunk, workspace) : undefined;
  if (match) {
    const found = completeFromSchema(match.schema, body, offset - from).map((c) => (c.replace ? { ...c, replace: { start: c.replace.start + from, end: c.replace.end + from } } : c));
    if (found.length > 0) return found;
  }
  return topLevelKeys(body, before, offset);
}
