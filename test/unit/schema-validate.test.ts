import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseYaml } from '../../server/src/core/documents/yaml/yaml-document';
import type { JsonSchema } from '../../server/src/core/schema/json-schema';
import { enumValuesOf, propertiesOf, schemaAtPath, typesOf } from '../../server/src/core/schema/json-schema';
import { PATRONI_SCHEMA } from '../../server/src/core/schema/schemas';
import { closest, editDistance } from '../../server/src/core/suggest';
import { validateAgainstSchema } from '../../server/src/core/schema/validate';

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
