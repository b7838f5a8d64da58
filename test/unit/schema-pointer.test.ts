import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseYaml } from '../../server/src/core/documents/yaml/yaml-document';
import { parsePointer, rangeOfPointer, toPointer } from '../../server/src/core/schema/pointer';

function at(text: string, pointer: string, target: 'value' | 'key' = 'value', docIndex = 0): string {
  const doc = parseYaml(text).documents[docIndex].doc;
  const r = rangeOfPointer(doc, pointer, target);
  return text.slice(r.start, r.end);
}

test('pointers parse and escape ~ and /', () => {
  assert.deepEqual(parsePointer('/a~1b/c~0d/0'), ['a/b', 'c~d', '0']);
  assert.deepEqual(parsePointer(''), []);
  assert.equal(toPointer(['a/b', 'c~d', 0]), '/a~1b/c~0d/0');
  assert.deepEqual(parsePointer(toPointer(['x/y~z'])), ['x/y~z']);
});

test('a pointer to a mapping value gives the value, or its key on request', () => {
  const text = 'a:\n  b: 42\n  c: hello\n';
  assert.equal(at(text, '/a/b'), '42');
  assert.equal(at(text, '/a/c', 'key'), 'c');
});

test('sequence items by index, including mappings inside lists', () => {
  const text = 'list:\n  - one\n  - name: two\n    port: 5\n';
  assert.equal(at(text, '/list/0'), 'one');
  assert.equal(at(text, '/list/1/port'), '5');
  assert.equal(at(text, '/list/1/name', 'key'), 'name');
});

test('a missing property maps to the key of its deepest existing parent', () => {
  const text = 'a:\n  b:\n    c: 1\n';
  const doc = parseYaml(text).documents[0].doc;
  const r = rangeOfPointer(doc, '/a/b/missing');
  assert.equal(text.slice(r.start, r.end), 'c: 1\n', 'the value mapping of the deepest found step');
  assert.equal(r.depth, 2);
  assert.equal(at(text, '/a/b/missing', 'key'), 'b');
  assert.equal(at(text, '/nothing/here'), 'a', 'a missing top-level path points at the first key');
});

test('keys containing / and ~ are found through their escaped pointer', () => {
  const text = 'labels:\n  app.kubernetes.io/name: pg\n  a~b: 1\n';
  assert.equal(at(text, '/labels/app.kubernetes.io~1name'), 'pg');
  assert.equal(at(text, '/labels/a~0b'), '1');
});

test('flow collections keep exact offsets', () => {
  const text = 'a: {b: 1, c: [x, "y"]}\n';
  assert.equal(at(text, '/a/b'), '1');
  assert.equal(at(text, '/a/c/1'), '"y"');
  assert.equal(at(text, '/a/c', 'key'), 'c');
});

test('each document of a stream maps its own pointers', () => {
  const text = 'a: 1\n---\na: 2\nb: 3\n';
  assert.equal(at(text, '/a', 'value', 0), '1');
  assert.equal(at(text, '/a', 'value', 1), '2');
  assert.equal(at(text, '/b', 'value', 1), '3');
});

test('aliases and merge keys are followed to the anchored source', () => {
  const text = 'base: &b\n  ttl: 30\nuse: *b\n';
  assert.equal(at(text, '/use/ttl'), '30');
  const merged = 'base: &b\n  ttl: 30\nother:\n  <<: *b\n  x: 1\n';
  const doc = parseYaml(merged, { version: '1.1' }).documents[0].doc;
  const r = rangeOfPointer(doc, '/other/ttl');
  assert.equal(merged.slice(r.start, r.end), '30');
});

test('a key with no value is reported on the key', () => {
  const text = 'a:\n  b:\n  c: 1\n';
  assert.equal(at(text, '/a/b'), 'b');
  assert.equal(at(text, '/a/b/deeper'), 'b');
});

/** Replaces the items of every mapping of `doc` with a proxy that counts reads of an item. */
function countItemReads(root: unknown): { reads: number } {
  const counter = { reads: 0 };
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as { items?: unknown[] } | null;
    if (!node || typeof node !== 'object' || !Array.isArray(node.items)) continue;
    for (const item of node.items) stack.push((item as { value?: unknown }).value ?? item);
    node.items = new Proxy(node.items, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) counter.reads++;
        return Reflect.get(target, prop, receiver);
      },
    });
  }
  return counter;
}

test('mapping every key of a large mapping to its range reads each item a bounded number of times', () => {
  for (const n of [2000, 4000]) {
    const text = 'a:\n  b:\n' + Array.from({ length: n }, (_, i) => `    k${i}: ${i}\n`).join('') + '  <<: {z: 1}\n';
    const doc = parseYaml(text, { version: '1.1' }).documents[0].doc;
    const counter = countItemReads(doc.contents);
    for (let i = 0; i < n; i++) {
      const r = rangeOfPointer(doc, ['a', 'b', `k${i}`], 'key');
      assert.equal(text.slice(r.start, r.end), `k${i}`);
    }
    // A key that is not there is looked for through the merge keys too.
    assert.equal(rangeOfPointer(doc, ['a', 'b', 'missing']).depth, 2);
    // Each lookup costs O(depth), not O(size of the mapping): the items are indexed once.
    assert.ok(counter.reads <= 4 * n + 100, `${counter.reads} item reads for ${n} keys`);
  }
});
