import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import type { ErrorObject } from 'ajv';
import { parseYaml } from '../../server/src/core/documents/yaml/yaml-document';
import type { JsonSchema } from '../../server/src/core/schema/json-schema';
import { enumValuesOf, propertiesOf, schemaAtPath, typesOf } from '../../server/src/core/schema/json-schema';
import { PATRONI_SCHEMA } from '../../server/src/core/schema/schemas';
import { closest, didYouMean, editDistance, NameSuggester } from '../../server/src/core/suggest';
import { rng } from '../helpers/random';
import { collapseAlternatives, compileSchema, standaloneValidatorCode, validateAgainstSchema } from '../../server/src/core/schema/validate';

const schema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    server: { $ref: '#/definitions/server' },
    mode: { type: 'string', enum: ['fast', 'safe'] },
    list: { type: 'array', items: { type: 'integer' } },
    port: { title: 'a port', anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9]+$' }] },
    labels: { type: 'object', patternProperties: { '^x-': { type: 'string' } }, additionalProperties: { type: 'number' } },
  },
  required: ['server'],
  definitions: {
    server: { type: 'object', additionalProperties: false, required: ['host'], properties: { host: { type: 'string', description: 'Host name.' }, timeout: { type: 'integer', default: 5 } } },
  },
};

function issues(text: string) {
  const d = parseYaml(text).documents[0];
  return validateAgainstSchema(schema, d.doc, d.value).map((i) => ({ ...i, text: text.slice(i.start, i.end) }));
}

test('a type error is placed on the value', () => {
  const [i] = issues('server:\n  host: h\n  timeout: soon\n');
  assert.equal(i.kind, 'value');
  assert.equal(i.pointer, '/server/timeout');
  assert.equal(i.text, 'soon');
});

test('an unknown key is placed on the key, with suggestions from the parent schema', () => {
  const [i] = issues('server:\n  host: h\n  timeuot: 3\n');
  assert.equal(i.kind, 'unknown-key');
  assert.equal(i.text, 'timeuot');
  assert.deepEqual(i.suggestions, ['timeout']);
});

test('a missing required key is placed on the parent key', () => {
  const [i] = issues('server:\n  timeout: 3\n');
  assert.equal(i.kind, 'missing');
  assert.equal(i.key, 'host');
  assert.equal(i.text, 'server');
});

test('anyOf failures collapse into one message naming the alternatives', () => {
  const found = issues('server: {host: h}\nport: abc\n');
  assert.equal(found.length, 1);
  assert.equal(found[0].text, 'abc');
  assert.match(found[0].message, /a port/);
});

test('enum, items and additionalProperties schemas are validated', () => {
  const found = issues('server: {host: h}\nmode: slow\nlist: [1, two]\nlabels: {x-a: s, other: 1, bad: no}\n');
  assert.deepEqual(found.map((f) => f.text).sort(), ['no', 'slow', 'two']);
});

test('a valid document has no issues', () => {
  assert.deepEqual(issues('server:\n  host: h\n  timeout: 3\nport: "5432"\n'), []);
});

test('schemaAtPath follows $ref, items, patternProperties and additionalProperties', () => {
  assert.equal(schemaAtPath(schema, ['server', 'host'])?.description, 'Host name.');
  assert.deepEqual(schemaAtPath(schema, ['list', 3])?.type, 'integer');
  assert.equal(schemaAtPath(schema, ['labels', 'x-y'])?.type, 'string');
  assert.equal(schemaAtPath(schema, ['labels', 'z'])?.type, 'number');
  assert.equal(schemaAtPath(schema, ['server', 'nope']), undefined);
  assert.deepEqual([...propertiesOf(schema, schemaAtPath(schema, ['server'])).keys()], ['host', 'timeout']);
  assert.deepEqual([...typesOf(schema, schemaAtPath(schema, ['port']))].sort(), ['integer', 'string']);
  assert.deepEqual(enumValuesOf(schema, schemaAtPath(schema, ['mode'])), ['fast', 'safe']);
});

test('the Patroni schema compiles and resolves its sections', () => {
  assert.ok(schemaAtPath(PATRONI_SCHEMA, ['bootstrap', 'dcs', 'ttl'])?.description);
  assert.ok(schemaAtPath(PATRONI_SCHEMA, ['etcd3', 'hosts']));
  assert.ok(propertiesOf(PATRONI_SCHEMA, schemaAtPath(PATRONI_SCHEMA, ['postgresql', 'authentication'])).has('rewind'));
  const d = parseYaml('scope: x\n').documents[0];
  assert.deepEqual(validateAgainstSchema(PATRONI_SCHEMA, d.doc, d.value), []);
});

test('suggestions: edit distance and normalised names', () => {
  assert.equal(editDistance('loop_wiat', 'loop_wait'), 1);
  assert.deepEqual(closest('Loop-Wait', ['loop_wait', 'ttl']), ['loop_wait']);
  assert.deepEqual(closest('zzzzzz', ['loop_wait', 'ttl']), []);
});

/** Every read of an item of `list`, counted. */
function counted<T>(list: T[]): { list: T[]; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(list, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++;
      return Reflect.get(target, prop, receiver);
    },
  });
  return { list: proxy, reads: () => reads };
}

/** What ajv reports for `n` list items that fit neither branch of an anyOf (integer or string), item by item. */
function anyOfErrors(n: number): ErrorObject[] {
  const out: ErrorObject[] = [];
  const parentSchema = { anyOf: [{ type: 'integer' }, { type: 'string' }] };
  for (let i = 0; i < n; i++) {
    const instancePath = `/ports/${i}/targetPort`;
    out.push({ keyword: 'type', instancePath, schemaPath: '#/definitions/port/anyOf/0/type', params: { type: 'integer' } });
    out.push({ keyword: 'type', instancePath, schemaPath: '#/definitions/port/anyOf/1/type', params: { type: 'string' } });
    out.push({ keyword: 'anyOf', instancePath, schemaPath: '#/definitions/port/anyOf', params: {}, parentSchema });
  }
  return out;
}

test('collapsing the alternatives of many values reads each error a bounded number of times', () => {
  for (const n of [1000, 2000]) {
    const { list, reads } = counted(anyOfErrors(n));
    const kept = collapseAlternatives(list);
    // One message per value: the anyOf, without its branches.
    assert.deepEqual(kept.map((e) => e.keyword), Array(n).fill('anyOf'));
    assert.ok(reads() <= 20 * n, `${reads()} reads of ${3 * n} errors`);
  }
});

test('the alternatives of item 1 do not take in the errors of item 10', () => {
  const parentSchema = { anyOf: [{ type: 'integer' }, { type: 'object', required: ['a'] }] };
  const errors: ErrorObject[] = [
    { keyword: 'type', instancePath: '/1', schemaPath: '#/items/anyOf/0/type', params: {} },
    { keyword: 'type', instancePath: '/1', schemaPath: '#/items/anyOf/1/type', params: {} },
    { keyword: 'anyOf', instancePath: '/1', schemaPath: '#/items/anyOf', params: {}, parentSchema },
    { keyword: 'type', instancePath: '/10', schemaPath: '#/items/anyOf/0/type', params: {} },
    { keyword: 'required', instancePath: '/10', schemaPath: '#/items/anyOf/1/required', params: { missingProperty: 'a' } },
    { keyword: 'anyOf', instancePath: '/10', schemaPath: '#/items/anyOf', params: {}, parentSchema },
  ];
  // Item 10 is an object missing `a`: its required error says more than its anyOf; item 1 fits neither branch.
  assert.deepEqual(collapseAlternatives(errors).map((e) => `${e.instancePath} ${e.keyword}`), ['/1 anyOf', '/10 required']);
});

test('NameSuggester answers as didYouMean does, on random names, with names added along the way', () => {
  const rand = rng(5);
  const word = () => Array.from({ length: 1 + Math.floor(rand() * 9) }, () => 'ab-_cdE'[Math.floor(rand() * 7)]).join('');
  for (let round = 0; round < 30; round++) {
    const names: string[] = [];
    const suggester = new NameSuggester();
    for (let i = 0; i < 80; i++) {
      if (rand() < 0.5) {
        const name = word();
        names.push(name);
        suggester.add(name);
      } else {
        const w = word();
        assert.equal(suggester.suggest(w), didYouMean(w, names), `${w} among ${names.join(' ')}`);
      }
    }
  }
});

const SERVICE = JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'schemas', 'kubernetes', 'core', 'Service.v1.schema.json'), 'utf8')) as JsonSchema;

/** A Service of `n` ports, each with a targetPort that fits neither integer nor string (an error per port, in a sub-validator). */
const badPorts = (n: number) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: Array.from({ length: n }, (_, i) => ({ port: i + 1, targetPort: [i], name: i % 7 === 0 ? 5 : `p${i}` })) } });

test('a validator gathers the errors of its sub-validators without copying them over and over', () => {
  const proto = Array.prototype as unknown as { concat: (...args: unknown[]) => unknown[] };
  const real = proto.concat;
  for (const n of [1000, 2000]) {
    // A copy of the schema: compiled here, not taken from the validators compiled at build time.
    const validate = compileSchema(JSON.parse(JSON.stringify(SERVICE)) as JsonSchema);
    let copied = 0;
    proto.concat = function (this: unknown[], ...args: unknown[]) {
      copied += this.length;
      return real.apply(this, args);
    };
    try {
      assert.equal(validate(badPorts(n)), false);
    } finally {
      proto.concat = real;
    }
    assert.ok(validate.errors!.length >= 3 * n);
    assert.ok(copied <= 10 * n, `${copied} errors copied for ${validate.errors!.length} errors`);
  }
  assert.doesNotMatch(standaloneValidatorCode(SERVICE), /vErrors\.concat\(/);
});

test('those validators give exactly the errors of ajv\'s own code', () => {
  const reference = new Ajv({ allErrors: true, verbose: true, strict: false, validateFormats: false }).compile(JSON.parse(JSON.stringify(SERVICE)) as object);
  const ours = compileSchema(JSON.parse(JSON.stringify(SERVICE)) as JsonSchema);
  for (const value of [badPorts(50), { ...badPorts(3), spec: { ports: 'x', selector: { a: 1 } } }, { apiVersion: 'v1', kind: 'Service', spec: { type: 'Nope', ports: [{ port: 'x' }] } }]) {
    assert.equal(ours(value), reference(value));
    assert.deepEqual(ours.errors, reference.errors);
  }
});
