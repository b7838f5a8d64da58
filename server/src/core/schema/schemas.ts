import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import patroniSchemaJson from '../../../../schemas/patroni.schema.json';
import { loadWithCodeCache } from './code-cache';
import type { JsonSchema } from './json-schema';
import { PROVIDED_MODULES } from './regexp';
import { findSchemasDir, PRECOMPILED_FOLDER } from './registry';
import { precompiledFor } from './validate';

/** The Patroni configuration schema (schemas/patroni.schema.json), bundled with the engine. */
export const PATRONI_SCHEMA: JsonSchema = patroniSchemaJson as unknown as JsonSchema;

/** Where the Patroni validator compiled at build time lives, relative to schemas/generated/. */
export const PATRONI_VALIDATOR = `${PRECOMPILED_FOLDER}/patroni.js`;

/** Identifies a schema held as an object (bundled JSON) by the hash of its JSON text. */
export function schemaObjectSha1(schema: JsonSchema): string {
  return createHash('sha1').update(JSON.stringify(schema)).digest('hex');
}

// Compiling the Patroni schema takes about 200 ms, the whole budget of a first diagnostic: take the
// build's validator when it was compiled from exactly this schema.
precompiledFor(PATRONI_SCHEMA, (): ValidateFunction | undefined => {
  const dir = findSchemasDir();
  const file = dir && join(dir, 'generated', PATRONI_VALIDATOR);
  if (!file || !existsSync(file)) return undefined;
  const sha1 = schemaObjectSha1(PATRONI_SCHEMA);
  const mod = loadWithCodeCache(file, 'patroni', sha1.slice(0, 12), PROVIDED_MODULES) as ValidateFunction & { schemaSha1?: string };
  return typeof mod === 'function' && mod.schemaSha1 === sha1 ? mod : undefined;
});
