import type { KubeChunk, KubeDocument, KubernetesModel } from '../../documents/yaml/kubernetes';
import { kubernetesFacts } from '../../documents/yaml/kubernetes-facts';
import type { SchemaLookup, SchemaMatch } from '../../checks/kubernetes/schema/lookup';
import type { CrdFact, WorkspaceView } from '../../types';

/** The chunk holding `offset` (the last one starting at or before it). */
export function chunkAt(model: KubernetesModel, offset: number): KubeChunk | undefined {
  const chunks = model.chunks;
  let lo = 0;
  let hi = chunks.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (chunks[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return chunks[lo];
}

/** apiVersion and kind as written in a chunk's top-level lines: works while the document is half-typed. */
export function identityOf(text: string, chunk: KubeChunk): { apiVersion?: string; kind?: string } {
  const doc: KubeDocument | undefined = chunk.documents[0];
  if (doc?.apiVersion && doc.kind) return { apiVersion: doc.apiVersion, kind: doc.kind };
  const body = text.slice(chunk.start, chunk.end);
  const read = (key: string) => new RegExp(`^${key}:[ \\t]*["']?([\\w./-]+)`, 'm').exec(body)?.[1];
  return { apiVersion: doc?.apiVersion ?? read('apiVersion'), kind: doc?.kind ?? read('kind') };
}

/**
 * The CRDs a document's custom resources may use: those of the file itself (as currently typed) first,
 * then those the workspace knows from other files.
 */
function crdsFor(model: KubernetesModel, workspace: WorkspaceView | undefined): CrdFact[] {
  const own = kubernetesFacts({ ...model, documents: model.documents.filter((d) => d.kind === 'CustomResourceDefinition') }).crds;
  const others = workspace ? workspace.crds().filter((c) => c.uri !== model.file.uri) : [];
  return others.length > 0 ? [...own, ...others] : own;
}

/** The schema for the document under the cursor: bundled schemas from the lookup, CRDs of this file and of the workspace. */
export function schemaAt(lookup: SchemaLookup, model: KubernetesModel, chunk: KubeChunk, workspace?: WorkspaceView): SchemaMatch | undefined {
  const { apiVersion, kind } = identityOf(model.file.text, chunk);
  if (!apiVersion || !kind) return undefined;
  // Completion and hover help whatever the validation setting says.
  return lookup.schemaFor(apiVersion, kind, crdsFor(model, workspace));
}
