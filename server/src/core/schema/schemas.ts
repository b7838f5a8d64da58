import patroniSchemaJson from '../../../../schemas/patroni.schema.json';
import type { JsonSchema } from './json-schema';

/** The Patroni configuration schema (schemas/patroni.schema.json), bundled with the engine. */
export const PATRONI_SCHEMA: JsonSchema = patroniSchemaJson as unknown as JsonSchema;
