import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import type { SchemaLookup } from './lookup';
import { issuesOf, schemaOfDocument, valueAtPointer } from './lookup';
import { unquotedValue } from './unquoted-string';

/** Type, enum, required and range problems of each document against the schema of its own apiVersion and kind. */
export function createSchemaCheck(lookup: SchemaLookup): Check<KubernetesModel> {
  return {
    id: 'kubernetes/schema',
    scope: 'region',
    defaultSeverity: 'error',
    docs: {
      title: 'A value the resource\'s schema rejects',
      summary:
        'Each `---` document is validated against the schema of its own `apiVersion` and `kind`: the built-in schema for core kinds, the operator\'s CustomResourceDefinition for custom resources (bundled, or any CRD found in the workspace). The API server rejects a wrong type, a value outside an enum or a missing required field, so `kubectl apply` fails and the cluster keeps its old state.\n\nFix the value as the message says. Documents of kinds without a known schema are skipped. Schema problems of built-in kinds can be turned off with `hatopo.kubernetes.schemaValidation` (`off`, or `auto` when Red Hat\'s YAML extension is installed) when another extension already reports them; custom resources are always validated.',
      bad: 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  instances: "3"\n',
      good: 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  instances: 3\n',
    },
    check(ctx) {
      const crds = ctx.workspace.crds();
      for (const doc of ctx.model.documents) {
        const match = schemaOfDocument(lookup, doc, ctx.settings, crds);
        if (!match) continue;
        for (const issue of issuesOf(doc, match.schema)) {
          // Unknown keys are kubernetes/unknown-field's; a null value means "unset" to the API server.
          if (issue.kind === 'unknown-key') continue;
          if (issue.kind === 'value' && valueAtPointer(doc, issue.pointer) === null) continue;
          // An unquoted `on` or `0755` where a string belongs is kubernetes/unquoted-string's, with its quick fix.
          if (unquotedValue(doc, issue)) continue;
          const message = issue.message.replace(/\.$/, '').replace(/\ba (?=[aeiou])/g, 'an ');
          ctx.report({ start: issue.start, end: issue.end, message: `${message} (${doc.kind} ${doc.apiVersion}).` });
        }
      }
    },
  };
}

