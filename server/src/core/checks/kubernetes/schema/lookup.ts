import type { KubeDocument } from '../../../documents/yaml/kubernetes';
import type { JsonSchema } from '../../../schema/json-schema';
import { parsePointer } from '../../../schema/pointer';
import type { SchemaIssue } from '../../../schema/validate';
import { validateAgainstSchema } from '../../../schema/validate';
import type { CrdFact, EngineSettings } from '../../../types';

/** The schema of one kind, and where it comes from (the schema registry's answer). */
export interface SchemaMatch {
  schema: JsonSchema;
  /** core: a built-in kind; operator: a bundled operator CRD; workspace: a CRD found in the workspace. */
  source: 'core' | 'operator' | 'workspace';
  /** Human-readable origin, e.g. the CRD file or the Kubernetes version the schema was taken from. */
  origin: string;
}

/** What the schema checks and features need of the schema registry. */
export interface SchemaLookup {
  schemaFor(apiVersion: string, kind: string, crds?: readonly CrdFact[]): SchemaMatch | undefined;
}

/**
 * The schema a document is validated against: chosen by its own apiVersion and kind, never a union.
 * Built-in kinds only when `coreSchemaValidation` is on; custom resources always.
 */
export function schemaOfDocument(lookup: SchemaLookup, doc: KubeDocument, settings: EngineSettings, crds: readonly CrdFact[]): SchemaMatch | undefined {
  if (!doc.apiVersion || !doc.kind) return undefined;
  const match = lookup.schemaFor(doc.apiVersion, doc.kind, crds);
  if (!match) return undefined;
  if (match.source === 'core' && !settings.kubernetes.coreSchemaValidation) return undefined;
  return match;
}

interface Cached {
  start: number;
  issues: SchemaIssue[];
}

/** Validation results per document object and schema: an unchanged document (reused by the parser) is not validated again. */
const cache = new WeakMap<KubeDocument, WeakMap<JsonSchema, Cached>>();

/** ajv's problems of a document against its schema, mapped to the source; cached per document and schema. */
export function issuesOf(doc: KubeDocument, schema: JsonSchema): SchemaIssue[] {
  let perDoc = cache.get(doc);
  const hit = perDoc?.get(schema);
  if (hit) {
    const delta = doc.start - hit.start;
    return delta === 0 ? hit.issues : hit.issues.map((i) => ({ ...i, start: i.start + delta, end: i.end + delta }));
  }
  const issues = validateAgainstSchema(schema, () => doc.yaml.doc, doc.value);
  if (!perDoc) cache.set(doc, (perDoc = new WeakMap()));
  perDoc.set(schema, { start: doc.start, issues });
  return issues;
}

/** The plain value a JSON pointer names inside a document. */
export function valueAtPointer(doc: KubeDocument, pointer: string): unknown {
  let v: unknown = doc.value;
  for (const seg of parsePointer(pointer)) {
    if (Array.isArray(v)) v = v[Number(seg)];
    else if (v && typeof v === 'object') v = (v as Record<string, unknown>)[seg];
    else return undefined;
  }
  return v;
}
