import { isScalar, Scalar } from 'yaml';
import type { KubeDocument, KubernetesModel } from '../../../documents/yaml/kubernetes';
import { nodeAtPath } from '../../../documents/yaml/yaml-document';
import { parsePointer } from '../../../schema/pointer';
import type { SchemaIssue } from '../../../schema/validate';
import type { JsonSchema } from '../../../schema/json-schema';
import type { Check } from '../../../types';
import type { SchemaLookup } from './lookup';
import { issuesOf, valueAtPointer } from './lookup';

/**
 * The strings of ObjectMeta, which the API server decodes as such for every kind: checked even
 * when the kind has no schema here (a custom resource whose CRD is not in the workspace).
 */
const STRING_MAP: JsonSchema = { type: 'object', additionalProperties: { type: 'string' } };
const OBJECT_META: JsonSchema = {
  type: 'object',
  properties: {
    metadata: {
      type: 'object',
      properties: { name: { type: 'string' }, generateName: { type: 'string' }, namespace: { type: 'string' }, labels: STRING_MAP, annotations: STRING_MAP },
    },
  },
};

/** An unquoted scalar that kubectl reads as a boolean or a number where the schema wants a string. */
export interface UnquotedValue {
  value: boolean | number;
  /** The scalar as written. */
  source: string;
  start: number;
  end: number;
}

/** The unquoted scalar behind a type problem, when quoting it is the fix. */
export function unquotedValue(doc: KubeDocument, issue: SchemaIssue): UnquotedValue | undefined {
  if (issue.kind !== 'value' || !issue.expected?.includes('string')) return undefined;
  const value = valueAtPointer(doc, issue.pointer);
  if (typeof value !== 'boolean' && typeof value !== 'number') return undefined;
  const node = nodeAtPath(doc.yaml.doc, parsePointer(issue.pointer));
  // Only a plain scalar without a tag: `"on"`, `|` blocks and `!!bool on` say what they mean.
  if (!isScalar(node) || node.type !== Scalar.PLAIN || node.tag || !node.range || typeof node.source !== 'string') return undefined;
  return { value, source: node.source, start: node.range[0], end: node.range[1] };
}

/** `wal_log_hints`, or `args[0]` for a list item. */
function fieldName(pointer: string): string {
  const segs = parsePointer(pointer);
  const last = segs[segs.length - 1] ?? '(document)';
  return /^\d+$/.test(last) && segs.length > 1 ? `${segs[segs.length - 2]}[${last}]` : last;
}

function reading(u: UnquotedValue): string {
  if (typeof u.value === 'boolean') return `the boolean ${u.value}`;
  return String(u.value) === u.source ? 'a number' : `the number ${u.value}`;
}

export function createUnquotedStringCheck(lookup: SchemaLookup): Check<KubernetesModel> {
  return {
    id: 'kubernetes/unquoted-string',
    scope: 'region',
    defaultSeverity: 'error',
    docs: {
      title: 'An unquoted value kubectl reads as a boolean or a number where a string is required',
      summary:
        'kubectl reads manifests with YAML 1.1 rules: unquoted `on`, `off`, `yes`, `no`, `y`, `n`, `true` and `false` (in any of their usual cases) are booleans, and `5432`, `0755` (octal, 493), `0x1F` or `1e3` are numbers. Where the field is a string — a PostgreSQL parameter of a CloudNativePG Cluster, an environment variable, an annotation, a label, a ConfigMap entry — the API server rejects the object ("cannot unmarshal bool into Go struct field … of type string"), and `kubectl apply` fails.\n\n' +
        'Quote the value as you wrote it; the quick fix does (`on` becomes `"on"`). The names, labels and annotations of every object are checked, whatever its kind; other fields where the kind\'s schema is known (built-in kinds, the bundled operators\' resources, CRDs of the workspace). It runs for built-in kinds even when `hatopo.kubernetes.schemaValidation` leaves their schema errors to Red Hat\'s YAML extension, which reads YAML 1.2, where `on` is a string.',
      bad: 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  instances: 3\n  postgresql:\n    parameters:\n      wal_log_hints: on\n',
      good: 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  instances: 3\n  postgresql:\n    parameters:\n      wal_log_hints: "on"\n',
    },
    check(ctx) {
      const crds = ctx.workspace.crds();
      for (const doc of ctx.model.documents) {
        if (!doc.kind) continue;
        // Whatever coreSchemaValidation says: other tools read `on` as a string and never report it.
        const match = doc.apiVersion ? lookup.schemaFor(doc.apiVersion, doc.kind, crds) : undefined;
        const seen = new Set<string>();
        for (const issue of [...(match ? issuesOf(doc, match.schema) : []), ...issuesOf(doc, OBJECT_META)]) {
          const u = unquotedValue(doc, issue);
          if (!u || seen.has(issue.pointer)) continue;
          seen.add(issue.pointer);
          const quoted = `"${u.source}"`;
          ctx.report({
            start: u.start,
            end: u.end,
            message: `kubectl reads the unquoted \`${u.source}\` as ${reading(u)}, but \`${fieldName(issue.pointer)}\` must be a string${issue.expected?.includes('integer') ? ' or an integer' : ''}: the API server rejects this ${doc.kind}. Quote it: \`${quoted}\`.`,
            fixes: [{ title: `Quote ${u.source} (${quoted})`, edits: [{ start: u.start, end: u.end, newText: quoted }], preferred: true }],
          });
        }
      }
    },
  };
}
