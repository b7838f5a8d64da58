import type { KubeDocument, KubernetesModel } from '../../../documents/yaml/kubernetes';
import { isRecord } from '../../../documents/yaml/kubernetes';
import type { JsonSchema } from '../../../schema/json-schema';
import { branches, propertiesOf, resolveRef, schemaChild } from '../../../schema/json-schema';
import { rangeOfPointer, toPointer } from '../../../schema/pointer';
import { closest } from '../../../suggest';
import type { Check, Fix } from '../../../types';
import type { PathSegment } from '../../../documents/yaml/yaml-document';
import { defaultSchemaLookup } from './default-lookup';
import type { SchemaLookup } from './lookup';
import { schemaOfDocument } from './lookup';

/** Keys every object may carry whatever its schema lists. */
const ROOT_KEYS = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/**
 * True when an object schema names its fields and keeps nothing else: the API server drops (CRDs)
 * or rejects under strict validation (built-in kinds) any other key.
 */
function closedProperties(root: JsonSchema, schema: JsonSchema): Map<string, JsonSchema> | undefined {
  let perRoot = closedCache.get(root);
  if (!perRoot) closedCache.set(root, (perRoot = new WeakMap()));
  const hit = perRoot.get(schema);
  if (hit !== undefined) return hit ?? undefined;
  const props = closedUncached(root, schema);
  perRoot.set(schema, props ?? null);
  return props;
}

const closedCache = new WeakMap<JsonSchema, WeakMap<JsonSchema, Map<string, JsonSchema> | null>>();

function closedUncached(root: JsonSchema, schema: JsonSchema): Map<string, JsonSchema> | undefined {
  const all = branches(root, schema);
  for (const b of all) {
    if (b['x-kubernetes-preserve-unknown-fields'] === true) return undefined;
    if (b.additionalProperties !== undefined && b.additionalProperties !== false) return undefined;
    if (b.patternProperties && Object.keys(b.patternProperties).length > 0) return undefined;
  }
  const props = propertiesOf(root, schema);
  return props.size > 0 ? props : undefined;
}

interface Unknown {
  path: PathSegment[];
  key: string;
  allowed: string[];
}

/** Walks a document's value beside its schema; bounded by the value's size. */
function unknownKeys(root: JsonSchema, value: unknown): Unknown[] {
  const out: Unknown[] = [];
  const stack: Array<{ value: unknown; schema: JsonSchema | undefined; path: PathSegment[] }> = [{ value, schema: resolveRef(root, root), path: [] }];
  while (stack.length > 0) {
    const { value: v, schema, path } = stack.pop()!;
    if (!schema) continue;
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, schema: schemaChild(root, schema, i), path: [...path, i] }));
      continue;
    }
    if (!isRecord(v)) continue;
    const props = closedProperties(root, schema);
    for (const [key, child] of Object.entries(v)) {
      if (path.length === 0 && ROOT_KEYS.has(key)) {
        if (props?.has(key)) stack.push({ value: child, schema: resolveRef(root, props.get(key)), path: [key] });
        continue;
      }
      if (props && !props.has(key)) {
        // A field the object already has is no suggestion: renaming to it would repeat it.
        out.push({ path: [...path, key], key, allowed: [...props.keys()].filter((k) => !Object.hasOwn(v, k)) });
        continue;
      }
      stack.push({ value: child, schema: schemaChild(root, schema, key), path: [...path, key] });
    }
  }
  return out;
}

export function createUnknownFieldCheck(lookup: SchemaLookup): Check<KubernetesModel> {
  return {
    id: 'kubernetes/unknown-field',
    scope: 'region',
    defaultSeverity: 'warning',
    docs: {
      title: 'A field the resource\'s schema does not know',
      summary:
        'The API server silently drops fields a custom resource\'s schema does not declare, and `kubectl` rejects or warns about unknown fields of built-in kinds. A misspelt or misplaced setting (`enablePodAntiAffinty`, or `instances` outside `spec`) therefore keeps its default without a word, which is how a cluster meant to spread over nodes ends up on one.\n\nThe message suggests the closest known field and the quick fix renames the key. Fields under objects that keep unknown fields (`x-kubernetes-preserve-unknown-fields`) or map arbitrary keys are never reported.',
      bad: 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  instance: 3\n',
      good: 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  instances: 3\n',
    },
    check(ctx) {
      const crds = ctx.workspace.crds();
      for (const doc of ctx.model.documents) {
        const match = schemaOfDocument(lookup, doc, ctx.settings, crds);
        if (match) report(doc, match.schema, match.source === 'core');
      }
      function report(doc: KubeDocument, schema: JsonSchema, core: boolean): void {
        for (const u of unknownKeys(schema, doc.value)) {
          const r = rangeOfPointer(doc.yaml.doc, toPointer(u.path), 'key');
          if (r.depth !== u.path.length) continue;
          const suggestions = closest(u.key, u.allowed);
          const fixes: Fix[] = suggestions.map((s, i) => ({ title: `Rename \`${u.key}\` to \`${s}\``, edits: [{ start: r.start, end: r.end, newText: s }], preferred: i === 0 }));
          const where = u.path.slice(0, -1).join('.') || 'the top level';
          const effect = core ? 'kubectl rejects or ignores it' : 'the API server drops it';
          const hint = suggestions.length > 0 ? `Did you mean \`${suggestions[0]}\`?` : 'Remove it, or check its spelling and indentation.';
          ctx.report({ start: r.start, end: r.end, message: `Unknown field \`${u.key}\` in \`${where}\` of ${doc.kind}: ${effect}. ${hint}`, fixes });
        }
      }
    },
  };
}

export const unknownField = createUnknownFieldCheck(defaultSchemaLookup);
