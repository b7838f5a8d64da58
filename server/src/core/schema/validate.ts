import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Document } from 'yaml';
import type { JsonSchema } from './json-schema';
import { describeSchema, propertiesOf, resolveRef, typesOf } from './json-schema';
import { YamlTimestamp } from '../documents/yaml/pyyaml-schema';
import { parsePointer, rangeOfPointer } from './pointer';
import { closest } from '../suggest';
import { re2Engine, re2Error } from './regexp';

/** One schema problem, mapped to the YAML source. */
export interface SchemaIssue {
  /** unknown-key: a key the schema does not allow; missing: a required key is absent; value: a wrong type, enum or range. */
  kind: 'unknown-key' | 'missing' | 'value';
  /** JSON pointer of the offending value (for unknown keys and missing keys: of the key itself). */
  pointer: string;
  start: number;
  end: number;
  message: string;
  /** For unknown keys: the key and the closest allowed names, best first. */
  key?: string;
  suggestions?: string[];
  keyword: string;
  /** For a value of the wrong type: the JSON types the schema admits there. */
  expected?: string[];
}

const compiled = new WeakMap<object, ValidateFunction>();

/**
 * The one set of ajv options, shared by runtime compilation and the validators precompiled at build
 * time. Patterns are evaluated with RE2 (regexp.ts), in linear time.
 */
function newAjv(source: boolean): Ajv {
  // strict: false because third-party schemas (CRDs) carry vendor keywords such as x-kubernetes-*.
  return new Ajv({ allErrors: true, verbose: true, strict: false, validateFormats: false, code: { source, regExp: re2Engine, process: appendingErrors } });
}

/**
 * ajv's code gathers a sub-validator's errors with `vErrors = vErrors.concat(errors)`, copying all
 * the errors so far each time: a document with thousands of errors in list items took quadratic
 * time. They are appended in place instead (the same errors in the same order).
 */
function appendingErrors(code: string): string {
  return code.replace(/\bvErrors = vErrors === null \? ([\w.$]+) : vErrors\.concat\(\1\);/g, 'vErrors = vErrors === null ? $1 : ($1.forEach((error) => vErrors.push(error)), vErrors);');
}

/** The schema without the `pattern`s RE2 cannot read; everything else of it is kept. */
function withoutUnreadablePatterns(node: unknown, depth = 0): unknown {
  if (depth > 64 || !node || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((n) => withoutUnreadablePatterns(n, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'pattern' && typeof v === 'string') {
      if (re2Error(v) === undefined) out[k] = v;
    } else {
      out[k] = withoutUnreadablePatterns(v, depth + 1);
    }
  }
  return out;
}

function compileWith(ajv: Ajv, schema: JsonSchema): ValidateFunction {
  try {
    return ajv.compile(schema);
  } catch {
    // A pattern RE2 refuses (CRDs' patterns were checked when converted; this guards any other schema).
    return ajv.compile(withoutUnreadablePatterns(schema) as JsonSchema);
  }
}

const precompiledLoaders = new WeakMap<object, () => ValidateFunction | undefined>();

/**
 * Names where a schema's validator compiled at build time can be loaded from; compileSchema asks
 * it first and compiles only when it gives nothing (missing, stale or broken).
 */
export function precompiledFor(schema: JsonSchema, load: () => ValidateFunction | undefined): void {
  precompiledLoaders.set(schema, load);
}

function loadPrecompiled(schema: JsonSchema): ValidateFunction | undefined {
  const load = precompiledLoaders.get(schema);
  if (!load) return undefined;
  precompiledLoaders.delete(schema);
  try {
    return load();
  } catch {
    return undefined;
  }
}

/** Compiles a schema once (ajv, allErrors, verbose) and caches it for the schema object's lifetime. */
export function compileSchema(schema: JsonSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = loadPrecompiled(schema) ?? compileWith(newAjv(false), schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/**
 * Hands over a validator compiled ahead of time (see {@link standaloneValidatorCode}) for a schema
 * object, so that compileSchema does not compile it again.
 */
export function usePrecompiled(schema: JsonSchema, fn: ValidateFunction): void {
  compiled.set(schema, fn);
}

/** Standalone CommonJS source of the validator compileSchema would build (ajv's standalone code). */
export function standaloneValidatorCode(schema: JsonSchema): string {
  const ajv = newAjv(true);
  return appendingErrors(standaloneCode(ajv, compileWith(ajv, schema)));
}

function lastSegment(pointer: string): string {
  const segs = parsePointer(pointer);
  return segs.length ? segs[segs.length - 1] : '(document)';
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof YamlTimestamp) return `the ${value.hasTime ? 'date and time' : 'date'} ${value.source}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 40 ? s.slice(0, 37) + '…' : s;
}

function join(pointer: string, key: string): string {
  return `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The instance path and each of its ancestors: `/a/b`, `/a`, ``. */
function* ancestorsOf(path: string): Generator<string> {
  for (let p = path; ; p = p.slice(0, p.lastIndexOf('/'))) {
    yield p;
    if (p === '') return;
  }
}

/**
 * Drops the per-branch noise of anyOf/oneOf: a value that fits no branch gets one message. An
 * alternative's inner errors are found among the errors at or under its instance path (indexed
 * once), so many failing values cost time in proportion to their errors.
 */
export function collapseAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const all = [...errors];
  const alts = all.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (alts.length === 0) return all;
  const under = new Map<string, ErrorObject[]>();
  for (const alt of alts) under.set(alt.instancePath, []);
  for (const e of all) {
    for (const p of ancestorsOf(e.instancePath)) under.get(p)?.push(e);
  }
  const drop = new Set<ErrorObject>();
  for (const alt of alts) {
    const inner = under.get(alt.instancePath)!.filter((e) => e !== alt && e.schemaPath.startsWith(alt.schemaPath + '/'));
    // When one branch matched the value's shape and failed deeper down, its inner errors say more.
    const deeper = new Set(inner.filter((e) => e.instancePath !== alt.instancePath || e.keyword === 'additionalProperties' || e.keyword === 'required'));
    const branchesHit = new Set([...deeper].map((e) => e.schemaPath.slice(alt.schemaPath.length + 1).split('/')[0]));
    if (deeper.size > 0 && branchesHit.size === 1) {
      drop.add(alt);
      inner.filter((e) => !deeper.has(e)).forEach((e) => drop.add(e));
    } else {
      inner.forEach((e) => drop.add(e));
    }
  }
  return all.filter((e) => !drop.has(e));
}

function messageOf(root: JsonSchema, e: ErrorObject): string {
  const name = lastSegment(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
    case 'anyOf':
    case 'oneOf':
      return `\`${name}\` must be ${describeSchema(root, e.parentSchema as JsonSchema)}, not ${show(e.data)}.`;
    case 'enum':
      return `\`${name}\` must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, not ${show(e.data)}.`;
    case 'const':
      return `\`${name}\` must be ${JSON.stringify(p.allowedValue)}.`;
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return `\`${name}\` is ${show(e.data)} but ${e.message ?? 'is out of range'}.`;
    case 'pattern':
      return `\`${name}\` has an invalid format: ${show(e.data)}${(e.parentSchema as JsonSchema | undefined)?.title ? ` (expected ${(e.parentSchema as JsonSchema).title})` : ''}.`;
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
      return `\`${name}\` ${e.message ?? 'has a wrong size'}.`;
    default:
      return `\`${name}\` ${e.message ?? 'is invalid'}.`;
  }
}

/**
 * Validates a document's value and maps every problem to the YAML source: the document, or a
 * function giving it, asked only when there is a problem to place.
 */
export function validateAgainstSchema(schema: JsonSchema, docOrGetter: Document | (() => Document), value: unknown): SchemaIssue[] {
  const validate = compileSchema(schema);
  if (validate(value)) return [];
  const doc = typeof docOrGetter === 'function' ? docOrGetter() : docOrGetter;
  const issues: SchemaIssue[] = [];
  for (const e of collapseAlternatives(validate.errors ?? [])) {
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperties') {
      const key = String(p.additionalProperty);
      const pointer = join(e.instancePath, key);
      const r = rangeOfPointer(doc, pointer, 'key');
      const allowed = [...propertiesOf(schema, resolveRef(schema, e.parentSchema as JsonSchema)).keys()];
      const suggestions = closest(key, allowed);
      const hint = suggestions.length ? ` Did you mean \`${suggestions[0]}\`?` : ' Remove it or check its spelling and indentation.';
      issues.push({ kind: 'unknown-key', pointer, start: r.start, end: r.end, key, suggestions, keyword: e.keyword, message: `Unknown key \`${key}\` in \`${lastSegment(e.instancePath)}\`.${hint}` });
    } else if (e.keyword === 'required') {
      const key = String(p.missingProperty);
      const r = rangeOfPointer(doc, e.instancePath, 'key');
      issues.push({ kind: 'missing', pointer: join(e.instancePath, key), start: r.start, end: r.end, key, keyword: e.keyword, message: `\`${lastSegment(e.instancePath)}\` is missing the required key \`${key}\`; add it.` });
    } else {
      const r = rangeOfPointer(doc, e.instancePath, 'value');
      const issue: SchemaIssue = { kind: 'value', pointer: e.instancePath, start: r.start, end: r.end, keyword: e.keyword, message: messageOf(schema, e) };
      if (e.keyword === 'type' || e.keyword === 'anyOf' || e.keyword === 'oneOf') issue.expected = [...typesOf(schema, e.parentSchema as JsonSchema)];
      issues.push(issue);
    }
  }
  return issues;
}
