import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crdVersionToJsonSchema, toJsPattern } from '../../server/src/core/schema/crd';
import { compileSchema } from '../../server/src/core/schema/validate';

/** Converts a CRD's openAPIV3Schema and says whether `value` validates, with ajv's error keywords. */
function check(openAPIV3Schema: unknown, value: unknown): { ok: boolean; errors: string[] } {
  const validate = compileSchema(crdVersionToJsonSchema(openAPIV3Schema, { apiVersion: 'example.com/v1', kind: 'Thing' }));
  const ok = validate(value) as boolean;
  return { ok, errors: (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`) };
}

const base = { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'a' } };
const specOf = (spec: Record<string, unknown>) => ({ type: 'object', properties: { spec: { type: 'object', properties: spec } } });

test('x-kubernetes-int-or-string accepts integers and strings but not booleans or lists', () => {
  const s = specOf({ maxUnavailable: { 'x-kubernetes-int-or-string': true } });
  assert.equal(check(s, { ...base, spec: { maxUnavailable: 1 } }).ok, true);
  assert.equal(check(s, { ...base, spec: { maxUnavailable: '25%' } }).ok, true);
  assert.equal(check(s, { ...base, spec: { maxUnavailable: true } }).ok, false);
  assert.equal(check(s, { ...base, spec: { maxUnavailable: [1] } }).ok, false);
});

test('x-kubernetes-int-or-string keeps the branches a CRD writes itself', () => {
  const s = specOf({ port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^[a-z]+$' }] } });
  assert.equal(check(s, { ...base, spec: { port: 5432 } }).ok, true);
  assert.equal(check(s, { ...base, spec: { port: 'pg' } }).ok, true);
  assert.equal(check(s, { ...base, spec: { port: 0 } }).ok, false);
  assert.equal(check(s, { ...base, spec: { port: 'PG!' } }).ok, false);
});

test('unknown fields are refused, except below x-kubernetes-preserve-unknown-fields', () => {
  const s = specOf({ known: { type: 'string' }, config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, mixed: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { size: { type: 'integer' } } } });
  assert.deepEqual(check(s, { ...base, spec: { knwon: 'x' } }).errors, ['/spec additionalProperties']);
  assert.equal(check(s, { ...base, spec: { config: { anything: { goes: [1, 'two'] } } } }).ok, true);
  assert.equal(check(s, { ...base, spec: { mixed: { size: 3, extra: true } } }).ok, true);
  // The fields a preserving object does list are still validated.
  assert.deepEqual(check(s, { ...base, spec: { mixed: { size: 'three' } } }).errors, ['/spec/mixed/size type']);
  // A preserving object is still an object.
  assert.equal(check(s, { ...base, spec: { config: 'text' } }).ok, false);
});

test('a root with x-kubernetes-preserve-unknown-fields accepts unknown top-level fields', () => {
  const s = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  assert.equal(check(s, { ...base, spec: { whatever: 1 }, other: 2 }).ok, true);
  assert.equal(check(specOf({}), { ...base, other: 2 }).ok, false);
});

test('nullable adds null to the type and to enums', () => {
  const s = specOf({ mode: { type: 'string', enum: ['a', 'b'], nullable: true }, size: { type: 'integer', nullable: true }, strict: { type: 'integer' } });
  assert.equal(check(s, { ...base, spec: { mode: null, size: null } }).ok, true);
  assert.equal(check(s, { ...base, spec: { mode: 'a', size: 2 } }).ok, true);
  assert.equal(check(s, { ...base, spec: { mode: 'c' } }).ok, false);
  assert.equal(check(s, { ...base, spec: { strict: null } }).ok, false);
});

test('x-kubernetes-embedded-resource gets apiVersion, kind and metadata', () => {
  const s = specOf({ template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } });
  const schema = crdVersionToJsonSchema(s);
  const template = schema.properties!.spec.properties!.template;
  assert.deepEqual(Object.keys(template.properties!).sort(), ['apiVersion', 'kind', 'metadata', 'spec']);
  assert.equal(check(s, { ...base, spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { a: 'b' } }, spec: { x: 1 } } } }).ok, true);
  assert.deepEqual(check(s, { ...base, spec: { template: { metadata: { lables: {} } } } }).errors, ['/spec/template/metadata additionalProperties']);
  assert.deepEqual(check(s, { ...base, spec: { template: { kind: 3 } } }).errors, ['/spec/template/kind type']);
});

test('apiVersion, kind and metadata are defined at the top; metadata is ObjectMeta', () => {
  const schema = crdVersionToJsonSchema({ type: 'object', properties: { spec: { type: 'object' } } }, { apiVersion: 'example.com/v1', kind: 'Thing' });
  assert.deepEqual(schema.properties!.apiVersion.enum, ['example.com/v1']);
  assert.deepEqual(schema.properties!.kind.enum, ['Thing']);
  assert.equal(check({ type: 'object' }, { ...base, metadata: { name: 'a', labels: { app: 'db' }, annotations: { x: 'y' } } }).ok, true);
  assert.deepEqual(check({ type: 'object' }, { ...base, metadata: { name: 'a', labels: { replicas: 3 } } }).errors, ['/metadata/labels/replicas type']);
  assert.deepEqual(check({ type: 'object' }, { ...base, kind: 'Other' }).errors, ['/kind enum']);
});

test('descriptions, defaults and enums are kept; descriptions can be dropped below a depth', () => {
  const s = specOf({ instances: { type: 'integer', default: 1, description: 'Number of instances.', minimum: 1 }, mode: { type: 'string', enum: ['a', 'b'], description: 'Mode.' } });
  const full = crdVersionToJsonSchema(s);
  const instances = full.properties!.spec.properties!.instances;
  assert.equal(instances.description, 'Number of instances.');
  assert.equal(instances.default, 1);
  assert.equal(instances.minimum, 1);
  assert.deepEqual(full.properties!.spec.properties!.mode.enum, ['a', 'b']);
  const shallow = crdVersionToJsonSchema(s, { descriptionDepth: 1 });
  assert.equal(shallow.properties!.spec.properties!.instances.description, undefined);
  assert.equal(shallow.properties!.spec.properties!.instances.default, 1);
});

test('OpenAPI v3.0 boolean exclusive bounds become draft-07 numbers', () => {
  const s = specOf({ ratio: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true } });
  assert.equal(check(s, { ...base, spec: { ratio: 0.5 } }).ok, true);
  assert.equal(check(s, { ...base, spec: { ratio: 0 } }).ok, false);
  assert.equal(check(s, { ...base, spec: { ratio: 1 } }).ok, false);
});

test('maps (additionalProperties with a schema) and lists are converted recursively', () => {
  const s = specOf({ params: { type: 'object', additionalProperties: { type: 'string' } }, items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } } });
  assert.equal(check(s, { ...base, spec: { params: { max_connections: '100' }, items: [{ name: 'a' }] } }).ok, true);
  assert.deepEqual(check(s, { ...base, spec: { params: { max_connections: 100 } } }).errors, ['/spec/params/max_connections type']);
  assert.deepEqual(check(s, { ...base, spec: { items: [{ nmae: 'a' }] } }).errors, ['/spec/items/0 additionalProperties']);
});

test('RE2 patterns are rewritten for JavaScript without changing their meaning', () => {
  const posix = toJsPattern('^[[:print:]]+$')!;
  assert.ok(new RegExp(posix, 'u').test('a b~'));
  assert.ok(!new RegExp(posix, 'u').test('tab\there'));
  const unicode = toJsPattern('^[^\\pZ\\pC\\pS]+$')!;
  assert.ok(new RegExp(unicode, 'u').test('héllo'));
  assert.ok(!new RegExp(unicode, 'u').test('two words'));
  const ci = toJsPattern('^((PT)?( *[0-9]+ *(?i:(ms|s|m)|(milli|sec|min)s?))+|0)$')!;
  assert.ok(new RegExp(ci, 'u').test('10 MS'));
  assert.ok(new RegExp(ci, 'u').test('5Mins'));
  assert.ok(!new RegExp(ci, 'u').test('10 hours'));
  const spaces = toJsPattern('^\\ *(Mon|Tue):([0-5]?\\d)\\ *$')!;
  assert.ok(new RegExp(spaces, 'u').test(' Mon:05 '));
  assert.equal(toJsPattern('^[a-z]+$'), '^[a-z]+$');
  assert.equal(toJsPattern('((('), undefined);
});

test('conversion is total: odd input gives a permissive schema, not an exception', () => {
  for (const odd of [undefined, null, 'text', 3, [], { properties: 'x' }, { items: 7, additionalProperties: 'no' }]) {
    const schema = crdVersionToJsonSchema(odd);
    assert.equal(compileSchema(schema)(base), true, JSON.stringify(odd));
  }
});
