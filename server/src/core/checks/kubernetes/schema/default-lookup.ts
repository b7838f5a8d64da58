import { defaultSchemaRegistry } from '../../../schema/registry';
import type { SchemaLookup } from './lookup';

/** The lookup the registered checks and features use: the package's schema registry. Tests inject their own. */
export const defaultSchemaLookup: SchemaLookup = {
  schemaFor: (apiVersion, kind, crds) => defaultSchemaRegistry().schemaFor(apiVersion, kind, crds),
};
