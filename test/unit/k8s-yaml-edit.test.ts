import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { KubeDocument } from '../../server/src/core/documents/yaml/kubernetes';
import { parseKubernetes } from '../../server/src/core/documents/yaml/kubernetes';
import { DEFAULT_SETTINGS } from '../../server/src/core';
import type { TextEdit } from '../../server/src/core';
import { appendDocument, appendListItem, blockLines, detectStyle, insertUnder, replaceScalar, replaceValue, scalarText } from '../../server/src/core/checks/kubernetes/yaml-edit';

function docs(text: string): KubeDocument[] {
  return parseKubernetes({ uri: 'file:///t/manifest.yaml', text, kind: 'kubernetes' }, DEFAULT_SETTINGS).documents;
}

function apply(text: string, edit: TextEdit | undefined): string {
  assert.ok(edit, 'expected an edit');
  return text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
}

/** The edited text parses without errors and reads back as `expected` (for the edited document). */
function parsesTo(text: string, index: number, expected: unknown): void {
  const all = parseAllDocuments(text);
  assert.ok(Array.isArray(all));
  for (const d of all) assert.deepEqual(d.errors.map((e) => e.message), []);
  assert.deepEqual(all[index].toJS(), expected);
}

test('detectStyle: indent unit and list style', () => {
  assert.deepEqual(detectStyle('a:\n  b:\n    c: 1\n  d:\n    - 1\n'), { unit: 2, seqIndented: true });
  assert.deepEqual(detectStyle('a:\n    b:\n        c: 1\n    d:\n    - 1\n'), { unit: 4, seqIndented: false });
  assert.deepEqual(detectStyle('a: 1\n'), { unit: 2, seqIndented: true });
  // A key inside a list item counts from the item's content column.
  assert.deepEqual(detectStyle('l:\n- name: x\n  env:\n  - a\n  m:\n    k: v\n'), { unit: 2, seqIndented: false });
});

test('scalarText quotes what YAML would read as another type', () => {
  assert.equal(scalarText('web'), 'web');
  assert.equal(scalarText('true'), '"true"');
  assert.equal(scalarText('3'), '"3"');
  assert.equal(scalarText(3), '3');
  assert.equal(scalarText('a: b'), '"a: b"');
  // kubectl reads these as booleans and numbers (YAML 1.1, go-yaml v2).
  for (const v of ['y', 'N', 'on', 'Off', 'yes', '0755', '0b101', '1_000', '08', '1e3']) assert.equal(scalarText(v), JSON.stringify(v), v);
  assert.equal(scalarText('1:30'), '1:30');
  assert.equal(scalarText('2001-12-14'), '2001-12-14');
});

test('blockLines: nested maps and lists in both list styles', () => {
  const v = { a: [{ b: 1, c: { d: 'x' } }], e: 'z' };
  assert.deepEqual(blockLines(v, 2, { unit: 4, seqIndented: true }), ['  a:', '      - b: 1', '        c:', '            d: x', '  e: z']);
  assert.deepEqual(blockLines(v, 0, { unit: 2, seqIndented: false }), ['a:', '- b: 1', '  c:', '    d: x', 'e: z']);
});

test('insertUnder: into an existing mapping, after a trailing comment', () => {
  const text = 'spec:\n  a: 1 # note\nother: 2\n';
  const out = apply(text, insertUnder(docs(text)[0], text, ['spec'], { b: { c: 2 } }));
  assert.equal(out, 'spec:\n  a: 1 # note\n  b:\n    c: 2\nother: 2\n');
});

test('insertUnder: creates missing mappings of the path, 4-space document', () => {
  const text = 'spec:\n    template:\n        spec:\n            containers:\n            - name: x\nstatus: {}\n';
  const out = apply(text, insertUnder(docs(text)[0], text, ['spec', 'template', 'spec', 'affinity'], { p: [{ k: 'v' }] }));
  parsesTo(out, 0, { spec: { template: { spec: { containers: [{ name: 'x' }], affinity: { p: [{ k: 'v' }] } } } }, status: {} });
  assert.match(out, /\n {12}affinity:\n {16}p:\n {16}- k: v\n/);
});

test('insertUnder: refuses flow mappings and scalars', () => {
  const text = 'spec: {a: 1}\nx: 1\n';
  assert.equal(insertUnder(docs(text)[0], text, ['spec'], { b: 1 }), undefined);
  assert.equal(insertUnder(docs(text)[0], text, ['x', 'y'], { b: 1 }), undefined);
});

test('appendListItem: appends at the column of the existing items (indented and flush)', () => {
  const indented = 'l:\n  - a: 1\n    b: 2\nz: 0\n';
  assert.equal(apply(indented, appendListItem(docs(indented)[0], indented, ['l'], { a: 3 })), 'l:\n  - a: 1\n    b: 2\n  - a: 3\nz: 0\n');
  const flush = 'm:\n  l:\n  - a: 1\n  z: 0\n';
  assert.equal(apply(flush, appendListItem(docs(flush)[0], flush, ['m', 'l'], { a: 3, b: [1] })), 'm:\n  l:\n  - a: 1\n  - a: 3\n    b:\n    - 1\n  z: 0\n');
});

test('appendListItem: creates the list when missing', () => {
  const text = 'spec:\n  a: 1\n';
  const out = apply(text, appendListItem(docs(text)[0], text, ['spec', 'l'], 'x'));
  parsesTo(out, 0, { spec: { a: 1, l: ['x'] } });
});

test('replaceValue: replaces a block mapping by whole lines, keeping the key', () => {
  const text = 'sel:\n  matchLabels:\n    app: a\n    x: y\n  other: 1\n';
  const out = apply(text, replaceValue(docs(text)[0], text, ['sel', 'matchLabels'], { app: 'b' }));
  assert.equal(out, 'sel:\n  matchLabels:\n    app: b\n  other: 1\n');
  const item = 'l:\n- labelSelector:\n    matchLabels:\n      app: a\n  topologyKey: k\n';
  const out2 = apply(item, replaceValue(docs(item)[0], item, ['l', 0, 'labelSelector'], { matchLabels: { app: 'b' } }));
  parsesTo(out2, 0, { l: [{ labelSelector: { matchLabels: { app: 'b' } }, topologyKey: 'k' }] });
});

test('replaceScalar: writes a scalar in place', () => {
  const text = 'spec:\n  replicas: 2 # two\n';
  assert.equal(apply(text, replaceScalar(docs(text)[0], ['spec', 'replicas'], 3)), 'spec:\n  replicas: 3 # two\n');
  assert.equal(replaceScalar(docs(text)[0], ['spec'], 3), undefined);
});

test('appendDocument: after the first, the last, and a last without newline', () => {
  const text = 'a: 1\n---\nb: 2\n';
  const d = docs(text);
  assert.equal(apply(text, appendDocument(d[0], text, { c: { d: 3 } })), 'a: 1\n---\nc:\n  d: 3\n---\nb: 2\n');
  assert.equal(apply(text, appendDocument(d[1], text, { c: 3 })), 'a: 1\n---\nb: 2\n---\nc: 3\n');
  const bare = 'a:\n    b: 1';
  const out = apply(bare, appendDocument(docs(bare)[0], bare, { c: { d: 3 } }));
  assert.equal(out, 'a:\n    b: 1\n---\nc:\n    d: 3\n');
});

test('insertUnder: never writes a key the mapping already has', () => {
  const text = 'spec:\n  a: 1\n';
  assert.equal(insertUnder(docs(text)[0], text, ['spec'], { a: 2 }), undefined);
  assert.ok(insertUnder(docs(text)[0], text, ['spec'], { b: 2 }));
});

test('replaceValue: a flow collection is replaced in place by a flow collection', () => {
  const text = 'l:\n  - labelSelector: {matchLabels: {app: a}} # keep\n    topologyKey: k\n';
  const out = apply(text, replaceValue(docs(text)[0], text, ['l', 0, 'labelSelector'], { matchLabels: { app: 'b', 'x/y': 'a,b' } }));
  assert.equal(out, 'l:\n  - labelSelector: {matchLabels: {app: b, x/y: "a,b"}} # keep\n    topologyKey: k\n');
  parsesTo(out, 0, { l: [{ labelSelector: { matchLabels: { app: 'b', 'x/y': 'a,b' } }, topologyKey: 'k' }] });
});
