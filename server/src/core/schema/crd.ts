import type { JsonSchema } from './json-schema';
import { re2Error } from './regexp';

/**
 * Conversion of a CustomResourceDefinition version's `openAPIV3Schema` (Kubernetes' structural
 * OpenAPI v3 subset) into the JSON Schema draft-07 that ajv, completion and hover read.
 * Pure: used by the build script for the bundled operators and at run time for CRDs found in the
 * user's workspace.
 */

export interface CrdConversionOptions {
  /** Descriptions below this depth are dropped (to keep very large CRDs small); default: keep all. */
  descriptionDepth?: number;
  /** Drop `format` keywords (informational only: formats are not validated). Default false. */
  dropFormats?: boolean;
  /** Spell patterns so that JavaScript's RegExp reads them too, where only the spelling differs (see {@link crdPattern}). Default false. */
  portablePatterns?: boolean;
  /** When given, the top-level `apiVersion` / `kind` only accept these (and completion offers them). */
  apiVersion?: string;
  kind?: string;
}

/** Keywords of OpenAPI v3 that mean the same in draft-07 and are copied as they are. */
const COPIED = [
  'title', 'default', 'enum', 'minimum', 'maximum', 'multipleOf', 'minLength', 'maxLength', 'pattern',
  'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'required', 'example',
] as const;

const MAX_DEPTH = 200;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The metadata a resource may carry: the API server validates it as ObjectMeta, so unknown keys are refused. */
export function objectMetaSchema(): JsonSchema {
  const stringMap: JsonSchema = { type: 'object', additionalProperties: { type: 'string' } };
  return {
    type: 'object',
    description: 'Standard object metadata: name, namespace, labels, annotations.',
    properties: {
      name: { type: 'string', description: 'Name of the object, unique within its namespace.' },
      generateName: { type: 'string', description: 'Prefix the server uses to generate a unique name when `name` is empty.' },
      namespace: { type: 'string', description: 'Namespace of the object.' },
      labels: { ...stringMap, description: 'Labels: string keys and values used to select objects.' },
      annotations: { ...stringMap, description: 'Annotations: non-identifying string metadata.' },
      finalizers: { type: 'array', items: { type: 'string' }, description: 'Finalizers that must be removed before the object is deleted.' },
      ownerReferences: { type: 'array', items: { type: 'object' }, description: 'Objects this object depends on.' },
      uid: { type: 'string' },
      resourceVersion: { type: 'string' },
      generation: { type: 'integer' },
      creationTimestamp: { type: ['string', 'null'] },
      deletionTimestamp: { type: ['string', 'null'] },
      deletionGracePeriodSeconds: { type: 'integer' },
      managedFields: { type: 'array', items: { type: 'object' } },
      selfLink: { type: 'string' },
    },
    additionalProperties: false,
  };
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F', digit: '0-9',
  graph: '\\x21-\\x7E', lower: 'a-z', print: '\\x20-\\x7E', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

function compiles(p: string): boolean {
  try {
    new RegExp(p, 'u');
    return true;
  } catch {
    return false;
  }
}

/** Rewrites the `(?i:…)` groups of RE2 (which JavaScript lacks) with letter classes: `(?i:ms)` → `(?:[mM][sS])`. */
function expandCaseInsensitive(p: string): string {
  let out = '';
  let depth = 0;
  const insensitiveAt: number[] = [];
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      out += c + (p[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (p.startsWith('(?i:', i)) {
      depth++;
      insensitiveAt.push(depth);
      out += '(?:';
      i += 3;
    } else if (c === '(') {
      depth++;
      out += c;
    } else if (c === ')') {
      if (insensitiveAt[insensitiveAt.length - 1] === depth) insensitiveAt.pop();
      depth--;
      out += c;
    } else if (insensitiveAt.length && /[a-z]/i.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * Operators write patterns for Go's RE2. The JavaScript equivalent keeps their meaning where the
 * differences are only spelling (POSIX classes, `\pZ`, `(?i:…)`, escaped spaces); a pattern that
 * still does not compile is undefined rather than guessed at.
 */
export function toJsPattern(p: string): string | undefined {
  if (compiles(p)) return p;
  let q = p.replace(/\[:([a-z]+):\]/g, (m, name: string) => POSIX_CLASSES[name] ?? m);
  q = q.replace(/\\p([A-Z])/g, '\\p{$1}').replace(/\\P([A-Z])/g, '\\P{$1}');
  if (q.includes('(?i:')) q = expandCaseInsensitive(q);
  if (compiles(q)) return q;
  // Identity escapes of characters that are not syntax characters (`\ `, `\-` outside a class).
  q = q.replace(/\\([^\w\\^$.*+?()[\]{}|\/])/g, '$1');
  return compiles(q) ? q : undefined;
}

/**
 * A CRD's pattern as the converted schema keeps it. Validators evaluate patterns with RE2, as the
 * API server does, so the pattern is kept as written; one RE2 refuses (lookaround, backreferences:
 * the API server refuses the CRD) is dropped, and the rest of the schema still applies. `portable`
 * (the bundled schemas, which editors also read with JavaScript's RegExp) prefers the spelling of
 * {@link toJsPattern} when RE2 reads it too.
 */
export function crdPattern(p: string, portable = false): string | undefined {
  if (re2Error(p) !== undefined) return undefined;
  if (!portable) return p;
  const js = toJsPattern(p);
  return js !== undefined && re2Error(js) === undefined ? js : p;
}

function withNull(s: JsonSchema): JsonSchema {
  if (typeof s.type === 'string') s.type = [s.type, 'null'];
  else if (Array.isArray(s.type) && !s.type.includes('null')) s.type = [...s.type, 'null'];
  if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
  if (s.anyOf) s.anyOf = [...s.anyOf, { type: 'null' }];
  return s;
}

function convertNode(node: unknown, depth: number, opts: CrdConversionOptions): JsonSchema {
  if (!isRecord(node) || depth > MAX_DEPTH) return {};
  const out: JsonSchema = {};
  if (typeof node.description === 'string' && (opts.descriptionDepth === undefined || depth <= opts.descriptionDepth)) {
    out.description = node.description;
  }
  for (const k of COPIED) if (node[k] !== undefined) (out as Record<string, unknown>)[k] = node[k];
  if (typeof node.pattern === 'string') {
    const kept = crdPattern(node.pattern, opts.portablePatterns);
    if (kept === undefined) delete out.pattern;
    else out.pattern = kept;
  }
  if (typeof node.format === 'string' && !opts.dropFormats) out.format = node.format;
  // OpenAPI v3.0 writes exclusive bounds as booleans beside minimum/maximum; draft-07 as numbers.
  if (node.exclusiveMinimum === true && typeof node.minimum === 'number') {
    out.exclusiveMinimum = node.minimum;
    delete out.minimum;
  }
  if (node.exclusiveMaximum === true && typeof node.maximum === 'number') {
    out.exclusiveMaximum = node.maximum;
    delete out.maximum;
  }

  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = node['x-kubernetes-embedded-resource'] === true;

  if (typeof node.type === 'string' && !intOrString) out.type = node.type;

  if (isRecord(node.properties)) {
    const props: Record<string, JsonSchema> = {};
    for (const [k, v] of Object.entries(node.properties)) props[k] = convertNode(v, depth + 1, opts);
    out.properties = props;
  }
  if (isRecord(node.additionalProperties)) out.additionalProperties = convertNode(node.additionalProperties, depth + 1, opts);
  else if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
  if (node.items !== undefined) {
    out.items = Array.isArray(node.items) ? node.items.map((i) => convertNode(i, depth + 1, opts)) : convertNode(node.items, depth + 1, opts);
  }
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(node[k])) out[k] = (node[k] as unknown[]).map((b) => convertNode(b, depth + 1, opts));
  }
  if (node.not !== undefined) out.not = convertNode(node.not, depth + 1, opts);

  if (intOrString) {
    // The branches CRDs carry (often `anyOf: [{type: integer}, {type: string}]`) constrain the value
    // further; without them, both an integer and a string are accepted.
    const types: JsonSchema[] = [{ type: 'integer' }, { type: 'string' }];
    if (!out.anyOf) out.anyOf = types;
    else out.allOf = [...(out.allOf ?? []), { anyOf: types }];
  }

  if (embedded) {
    const props = (out.properties ??= {});
    props.apiVersion ??= { type: 'string', description: 'API version of the embedded object.' };
    props.kind ??= { type: 'string', description: 'Kind of the embedded object.' };
    props.metadata ??= objectMetaSchema();
    out.type ??= 'object';
  }

  // Structural schemas prune (and strict field validation refuses) fields they do not list, unless
  // the node preserves unknown fields.
  if (out.properties && out.additionalProperties === undefined && !preserve && out.type === 'object') {
    out.additionalProperties = false;
  }
  if (preserve && out.additionalProperties === false) delete out.additionalProperties;

  if (node.nullable === true) withNull(out);
  return out;
}

/**
 * The JSON Schema of a CRD version: its `openAPIV3Schema` converted, with `apiVersion`, `kind` and
 * `metadata` defined at the top (the API server validates them for every resource).
 */
export function crdVersionToJsonSchema(openAPIV3Schema: unknown, options: CrdConversionOptions = {}): JsonSchema {
  const root = convertNode(openAPIV3Schema, 0, options);
  if (root.type === undefined && !root.anyOf && !root.oneOf) root.type = 'object';
  const props = (root.properties ??= {});
  props.apiVersion = { type: 'string', description: 'API version of the resource: `<group>/<version>`.', ...descriptionOf(props.apiVersion) };
  if (options.apiVersion) props.apiVersion.enum = [options.apiVersion];
  props.kind = { type: 'string', description: 'Kind of the resource.', ...descriptionOf(props.kind) };
  if (options.kind) props.kind.enum = [options.kind];
  props.metadata = { ...objectMetaSchema(), ...descriptionOf(props.metadata) };
  if (root.additionalProperties === undefined && isRecord(openAPIV3Schema) && openAPIV3Schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    root.additionalProperties = false;
  }
  return root;
}

/** A CRD's own description of apiVersion/kind/metadata wins; their types are the API server's. */
function descriptionOf(s: JsonSchema | undefined): JsonSchema {
  return s?.description ? { description: s.description } : {};
}
