import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentAt, nodeAtOffset, nodeAtPath, nodeRange, parseYaml } from '../../server/src/core/documents/yaml/yaml-document';

test('every document of a stream keeps its offsets and value', () => {
  const text = 'a: 1\n---\nb: [x, y]\n';
  const f = parseYaml(text);
  assert.equal(f.documents.length, 2);
  assert.deepEqual(f.documents[1].value, { b: ['x', 'y'] });
  const r = nodeRange(nodeAtPath(f.documents[1].doc, ['b', 1]));
  assert.equal(text.slice(r!.start, r!.end), 'y');
  assert.equal(documentAt(f, text.indexOf('b:')), f.documents[1]);
});

test('YAML 1.1 reads on/off as booleans; 1.2 keeps them strings', () => {
  assert.deepEqual(parseYaml('a: on\n', { version: '1.1' }).documents[0].value, { a: true });
  assert.deepEqual(parseYaml('a: on\n').documents[0].value, { a: 'on' });
});

test('syntax errors carry offsets and never throw', () => {
  const text = 'a: [1, 2\nb: 3\n';
  const f = parseYaml(text);
  assert.ok(f.documents[0].errors.length > 0);
  for (const e of f.documents[0].errors) assert.ok(e.start >= 0 && e.end <= text.length && e.start <= e.end);
  assert.doesNotThrow(() => parseYaml('\t- : : ]] {{'));
});

test('duplicate keys are reported with their code', () => {
  const f = parseYaml('a: 1\na: 2\n');
  assert.equal(f.documents[0].errors[0].code, 'DUPLICATE_KEY');
  assert.equal(f.documents[0].errors[0].start, 5);
});

test('nodeAtOffset finds keys and values with their path', () => {
  const text = 'a:\n  b:\n  - c: 1\n';
  const doc = parseYaml(text).documents[0].doc;
  const onKey = nodeAtOffset(doc, text.indexOf('c:'));
  assert.deepEqual(onKey?.path, ['a', 'b', 0, 'c']);
  assert.equal(onKey?.onKey, true);
  const onValue = nodeAtOffset(doc, text.indexOf('1'));
  assert.deepEqual(onValue?.path, ['a', 'b', 0, 'c']);
  assert.equal(onValue?.onKey, false);
});
