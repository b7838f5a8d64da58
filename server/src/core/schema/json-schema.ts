import type { PathSegment } from '../documents/yaml/yaml-document';
import { parsePointer } from './pointer';

/** The subset of JSON Schema (draft-07) that navigation, completion and hover read. */
export interface JsonSchema {
  $id?: string;
  $ref?: string;
  title?: string;
  description?: string;
  markdownDescription?: string;
  default?: unknown;
  examples?: unknown[];
  deprecated?: boolean;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema | JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  definitions?: Record<string, JsonSchema>;
  $defs?: Record<string, JsonSchema>;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  [keyword: string]: unknown;
}

interface RootCache {
  resolved: WeakMap<JsonSchema, JsonSchema | null>;
  branches: WeakMap<JsonSchema, JsonSchema[]>;
  properties: WeakMap<JsonSchema, Map<string, JsonSchema>>;
  children: WeakMap<JsonSchema, Map<string, JsonSchema | null>>;
}

/**
 * Navigation results per root schema and schema node. Schemas are read-only once loaded, and
 * walking a document beside its schema asks the same questions for every list item and document.
 */
const rootCaches = new WeakMap<JsonSchema, RootCache>();

function cacheOf(root: JsonSchema): RootCache {
  let c = rootCaches.get(root);
  if (!c) rootCaches.set(root, (c = { resolved: new WeakMap(), branches: new WeakMap(), properties: new WeakMap(), children: new WeakMap() }));
  return c;
}

function resolveUncached(root: JsonSchema, schema: JsonSchema | undefined, limit: number): JsonSchema | undefined {
  let s = schema;
  for (let i = 0; i < limit && s?.$ref; i++) {
    if (!s.$ref.startsWith('#')) return s;
    let target: unknown = root;
    for (const seg of parsePointer(s.$ref)) {
      target = target && typeof target === 'object' ? (target as Record<string, unknown>)[seg] : undefined;
    }
    // Keywords beside $ref (a description, say) are kept and win over the target's.
    const { $ref: _ref, ...rest } = s;
    s = target ? { ...(target as JsonSchema), ...rest } : undefined;
  }
  return s;
}

/** Resolves a local `$ref` ("#/definitions/x") against the root schema; remote refs are not followed. */
export function resolveRef(root: JsonSchema, schema: JsonSchema | undefined, limit = 16): JsonSchema | undefined {
  if (!schema || !schema.$ref) return schema;
  if (limit !== 16) return resolveUncached(root, schema, limit);
  const cache = cacheOf(root).resolved;
  const hit = cache.get(schema);
  if (hit !== undefined) return hit ?? undefined;
  const s = resolveUncached(root, schema, limit);
  cache.set(schema, s ?? null);
  return s;
}

/** The alternatives of a schema: itself plus its anyOf/oneOf/allOf branches, refs resolved, flattened. */
export function branches(root: JsonSchema, schema: JsonSchema | undefined, depth = 0): JsonSchema[] {
  const s = resolveRef(root, schema);
  if (!s || depth > 8) return [];
  if (!s.anyOf && !s.oneOf && !s.allOf) return [s];
  const cache = depth === 0 ? cacheOf(root).branches : undefined;
  const hit = cache?.get(s);
  if (hit) return hit;
  const out: JsonSchema[] = [s];
  for (const list of [s.anyOf, s.oneOf, s.allOf]) {
    for (const b of list ?? []) out.push(...branches(root, b, depth + 1));
  }
  cache?.set(s, out);
  return out;
}

const patterns = new Map<string, RegExp | null>();

function patternOf(source: string): RegExp | null {
  let re = patterns.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(source, 'u');
    } catch {
      // An invalid pattern in a third-party schema matches nothing.
      re = null;
    }
    patterns.set(source, re);
  }
  return re;
}

function childOf(schema: JsonSchema, seg: PathSegment): JsonSchema | undefined {
  if (typeof seg === 'number') {
    if (Array.isArray(schema.items)) return schema.items[seg] ?? undefined;
    return schema.items;
  }
  const direct = schema.properties?.[seg];
  if (direct) return direct;
  for (const [pattern, sub] of Object.entries(schema.patternProperties ?? {})) {
    if (patternOf(pattern)?.test(seg)) return sub;
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') return schema.additionalProperties;
  return undefined;
}

/** The schema of one step down from `schema` (a key or a list index), refs resolved. */
export function schemaChild(root: JsonSchema, schema: JsonSchema | undefined, seg: PathSegment): JsonSchema | undefined {
  const current = resolveRef(root, schema);
  if (!current) return undefined;
  // Every index of a list schema (not a tuple) has the same item schema.
  const key = typeof seg === 'number' ? (current.items && !Array.isArray(current.items) ? '#' : `#${seg}`) : `.${seg}`;
  const cache = cacheOf(root).children;
  let perNode = cache.get(current);
  const hit = perNode?.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let next: JsonSchema | undefined;
  for (const b of branches(root, current)) {
    // A numeric segment may be a sequence index or a mapping key that looks like a number.
    next = childOf(b, seg) ?? (typeof seg === 'number' ? childOf(b, String(seg)) : undefined);
    if (next) break;
  }
  const resolved = resolveRef(root, next);
  if (!perNode) cache.set(current, (perNode = new Map()));
  perNode.set(key, resolved ?? null);
  return resolved;
}

/** The schema that applies at `path`, following properties, patternProperties, additionalProperties, items and anyOf/oneOf/allOf. */
export function schemaAtPath(root: JsonSchema, path: readonly PathSegment[]): JsonSchema | undefined {
  let current: JsonSchema | undefined = resolveRef(root, root);
  for (const seg of path) {
    if (!current) return undefined;
    current = schemaChild(root, current, seg);
  }
  return current;
}

/** The named properties a schema allows, merged across its branches (first description wins). */
export function propertiesOf(root: JsonSchema, schema: JsonSchema | undefined): Map<string, JsonSchema> {
  const s = resolveRef(root, schema);
  const cache = cacheOf(root).properties;
  const hit = s ? cache.get(s) : undefined;
  if (hit) return new Map(hit);
  const out = new Map<string, JsonSchema>();
  for (const b of branches(root, s)) {
    for (const [name, sub] of Object.entries(b.properties ?? {})) {
      if (!out.has(name)) out.set(name, resolveRef(root, sub) ?? sub);
    }
  }
  if (s) cache.set(s, out);
  return new Map(out);
}

/** The JSON types a schema admits, across its branches. */
export function typesOf(root: JsonSchema, schema: JsonSchema | undefined): Set<string> {
  const out = new Set<string>();
  for (const b of branches(root, schema)) {
    const t = b.type;
    if (typeof t === 'string') out.add(t);
    else if (Array.isArray(t)) t.forEach((x) => out.add(x));
    if (b.enum) b.enum.forEach((v) => out.add(v === null ? 'null' : typeof v === 'number' ? 'number' : typeof v));
  }
  return out;
}

/** Enum and const values a schema admits, across its branches, in order. */
export function enumValuesOf(root: JsonSchema, schema: JsonSchema | undefined): unknown[] {
  const out: unknown[] = [];
  for (const b of branches(root, schema)) {
    for (const v of b.enum ?? []) if (!out.includes(v)) out.push(v);
    if ('const' in b && !out.includes(b.const)) out.push(b.const);
  }
  return out;
}

/** The first description found on a schema or its branches. */
export function descriptionOf(root: JsonSchema, schema: JsonSchema | undefined): string | undefined {
  for (const b of branches(root, schema)) {
    const d = b.markdownDescription ?? b.description;
    if (d) return d;
  }
  return undefined;
}

/** The first default found on a schema or its branches. */
export function defaultOf(root: JsonSchema, schema: JsonSchema | undefined): { value: unknown } | undefined {
  for (const b of branches(root, schema)) if ('default' in b) return { value: b.default };
  return undefined;
}

/** A short human name of what a schema admits, for messages: its title, or its types/enum. */
export function describeSchema(root: JsonSchema, schema: JsonSchema | undefined): string {
  const s = resolveRef(root, schema);
  if (!s) return 'anything';
  if (s.title) return s.title;
  if (s.enum) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if ('const' in s) return JSON.stringify(s.const);
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return alts.map((a) => describeSchema(root, a)).join(' or ');
  const t = s.type;
  const names = (Array.isArray(t) ? t : t ? [t] : []).map((x) => (x === 'object' ? 'a mapping' : x === 'array' ? 'a list' : `a ${x}`));
  return names.length ? names.join(' or ') : 'anything';
}
