import type { KubeDocument, KubernetesModel } from '../../../documents/yaml/kubernetes';
import { isRecord, valueRangeAt } from '../../../documents/yaml/kubernetes';
import type { PathSegment } from '../../../documents/yaml/yaml-document';
import { re2Error } from '../../../schema/regexp';
import type { Check } from '../../../types';

const MAX_DEPTH = 200;

/** The `pattern`s of an openAPIV3Schema, with their paths below `at`: only where a schema is, never inside enums or defaults. */
function patternsOf(node: unknown, at: PathSegment[], out: Array<{ path: PathSegment[]; pattern: string }>, depth = 0): void {
  if (!isRecord(node) || depth > MAX_DEPTH) return;
  if (typeof node.pattern === 'string') out.push({ path: [...at, 'pattern'], pattern: node.pattern });
  if (isRecord(node.properties)) for (const [k, v] of Object.entries(node.properties)) patternsOf(v, [...at, 'properties', k], out, depth + 1);
  for (const k of ['additionalProperties', 'items', 'not'] as const) patternsOf(node[k], [...at, k], out, depth + 1);
  for (const k of ['items', 'allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[k];
    if (Array.isArray(list)) list.forEach((b, i) => patternsOf(b, [...at, k, i], out, depth + 1));
  }
}

function crdPatterns(doc: KubeDocument): Array<{ path: PathSegment[]; pattern: string }> {
  const out: Array<{ path: PathSegment[]; pattern: string }> = [];
  const spec = isRecord(doc.value) ? doc.value.spec : undefined;
  const versions = isRecord(spec) && Array.isArray(spec.versions) ? spec.versions : [];
  versions.forEach((v: unknown, i) => {
    if (isRecord(v) && isRecord(v.schema)) patternsOf(v.schema.openAPIV3Schema, ['spec', 'versions', i, 'schema', 'openAPIV3Schema'], out);
  });
  return out;
}

export const crdPattern: Check<KubernetesModel> = {
  id: 'kubernetes/crd-pattern',
  scope: 'region',
  defaultSeverity: 'error',
  docs: {
    title: 'A CRD pattern that is not an RE2 regular expression',
    summary:
      "The API server reads a CustomResourceDefinition's `pattern`s as Go's RE2 regular expressions and refuses to create the CRD when one does not parse (`must be a valid regular expression`). RE2 has no lookahead or lookbehind (`(?=…)`, `(?!…)`, `(?<=…)`), no backreferences (`\\1`), no possessive quantifiers and no repeat count above 1000: patterns copied from JavaScript, Java or PCRE often use them.\n\nRewrite the pattern without them: a lookahead that requires a digit somewhere, for example, becomes a pattern that spells out where the digit may be, or the rule moves to a `x-kubernetes-validations` CEL rule. Until then hatopo validates the CRD's resources without that pattern, since the API server would not have the CRD at all.",
    bad: "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: gizmos.acme.io\nspec:\n  group: acme.io\n  names:\n    kind: Gizmo\n    plural: gizmos\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n                password:\n                  type: string\n                  pattern: '^(?=.*[0-9]).{12,}$'\n",
    good: "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: gizmos.acme.io\nspec:\n  group: acme.io\n  names:\n    kind: Gizmo\n    plural: gizmos\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n                password:\n                  type: string\n                  minLength: 12\n                  pattern: '[0-9]'\n",
  },
  check(ctx) {
    for (const doc of ctx.model.documents) {
      if (doc.kind !== 'CustomResourceDefinition') continue;
      for (const { path, pattern } of crdPatterns(doc)) {
        const error = re2Error(pattern);
        if (error === undefined) continue;
        const r = valueRangeAt(doc, path);
        ctx.report({ start: r.start, end: r.end, message: `The API server refuses this CRD: \`pattern\` is not an RE2 regular expression (${error}). Rewrite it without lookaround or backreferences; its resources are checked without it meanwhile.` });
      }
    }
  },
};
