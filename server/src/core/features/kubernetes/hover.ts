import type { KubernetesModel } from '../../documents/yaml/kubernetes';
import type { SchemaLookup } from '../../checks/kubernetes/schema/lookup';
import { hoverFromSchema } from '../../schema/complete';
import type { HoverInfo, WorkspaceView } from '../../types';
import { chunkAt, schemaAt } from './documents';

const SOURCES = { core: 'Kubernetes', operator: 'operator CRD', workspace: 'workspace CRD' } as const;

/** Hover for a key or value of the document under the cursor: its schema's description, type, default, enum and origin. */
export function hoverKubernetes(lookup: SchemaLookup, model: KubernetesModel, offset: number, workspace?: WorkspaceView): HoverInfo | undefined {
  const chunk = chunkAt(model, offset);
  const doc = chunk?.documents[0];
  if (!chunk || !doc) return undefined;
  const match = schemaAt(lookup, model, chunk, workspace);
  if (!match) return undefined;
  const h = hoverFromSchema(match.schema, doc.yaml.doc, offset);
  if (!h) return undefined;
  return { ...h, contents: `${h.contents}\n\n_Schema: ${doc.kind} ${doc.apiVersion}, ${SOURCES[match.source]} (${match.origin})_` };
}
