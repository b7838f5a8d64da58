import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
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
  return [syntax, createSchemaCheck(lookup), createUnquotedStringCheck(lookup), createUnknownFieldCheck(lookup), deprecatedApi];
}

/** YAML syntax, schema (types, unquoted strings, unknown fields) and apiVersion checks of every document. */
export const schemaChecks: Check<KubernetesModel>[] = createSchemaChecks(defaultSchemaLookup);
