import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { crdPattern } from './crd-pattern';
import { defaultSchemaLookup } from './default-lookup';
import { deprecatedApi } from './deprecated-api';
import type { SchemaLookup } from './lookup';
import { createSchemaCheck } from './schema';
import { syntax } from './syntax';
import { createUnknownFieldCheck } from './unknown-field';
import { createUnquotedStringCheck } from './unquoted-string';

export type { SchemaLookup, SchemaMatch } from './lookup';

/** The per-document checks (all region-scoped), with the schemas of `lookup` (tests inject their own). */
export function createSchemaChecks(lookup: SchemaLookup): Check<KubernetesModel>[] {
  return [syntax, createSchemaCheck(lookup), createUnquotedStringCheck(lookup), createUnknownFieldCheck(lookup), deprecatedApi, crdPattern];
}

/** YAML syntax, schema (types, unquoted strings, unknown fields), apiVersion and CRD pattern checks of every document. */
export const schemaChecks: Check<KubernetesModel>[] = createSchemaChecks(defaultSchemaLookup);
