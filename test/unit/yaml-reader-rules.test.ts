// What the programs that read these files refuse although YAML allows it: tabs PyYAML's scanner does
// not skip (Patroni), and a directive, a `\/` escape or a file that starts with `{` but is not JSON
// (kubectl). Confirmed against the real programs by the differential and fuzz suites.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createEngine } from '../../server/src/core';
import { parseYaml } from '../../server/src/core/documents/yaml/yaml-document';
import { colonAfterFlowIndicator } from '../../server/src/core/documents/yaml/yaml-flow-rules';

const engine = createEngine();
let n = 0;
/** "line:column code" of each diagnostic with `code`. */
function at(name: string, text: string, code: string): string[] {
  const uri = `file:///rules/${n++}/${name}`;
  return engine
    .validate({ uri, text })
    .filter((d) => d.code === code)
    .map((d) => `${d.range.start.line}:${d.range.start.character}`);
}

const PATRONI = 'scope: demo\nrestapi:\n  listen: 0.0.0.0:8008\n  connect_address: 10.0.0.1:8008\netcd3:\n  hosts: 10.0.0.5:2379\n';
const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';

test('Patroni: a tab between tokens or in an unquoted value is an error where PyYAML stops', () => {
  assert.deepEqual(at('patroni.yml', PATRONI + 'name:\tpg1\n', 'patroni/syntax'), ['6:5']);
  assert.deepEqual(at('patroni.yml', PATRONI + 'name: pg1\t\n', 'patroni/syntax'), ['6:9']);
  assert.deepEqual(at('patroni.yml', PATRONI + 'name: pg1 \t# the first member\n', 'patroni/syntax'), ['6:10']);
  assert.deepEqual(at('patroni.yml', PATRONI + 'name: pg\t1\n', 'patroni/syntax'), ['6:8']);
  assert.deepEqual(at('patroni.yml', PATRONI + 'tags: {a: 1,\tb: 2}\n', 'patroni/syntax'), ['6:12']);
  assert.deepEqual(at('patroni.yml', PATRONI + 'name: pg1\n\t\n', 'patroni/syntax'), ['7:0']);
});

test('Patroni: tabs inside quotes, comments and block scalars are fine, as for PyYAML', () => {
  assert.deepEqual(at('patroni.yml', PATRONI + "name: 'pg\t1'\n", 'patroni/syntax'), []);
  assert.deepEqual(at('patroni.yml', PATRONI + 'name: "pg\t1"\n', 'patroni/syntax'), []);
  assert.deepEqual(at('patroni.yml', PATRONI + 'name: pg1 # a\tcomment\n', 'patroni/syntax'), []);
  assert.deepEqual(at('patroni.yml', PATRONI + 'bootstrap:\n  post_init: |\n    echo\tdone\n', 'patroni/syntax'), []);
  assert.deepEqual(at('patroni.yml', PATRONI + 'bootstrap:\n  post_init: |\n    \techo done\n    \tdone\n', 'patroni/syntax'), []);
  assert.ok(at('patroni.yml', PATRONI + 'bootstrap:\n  post_init: |\n    echo done\n  \t  done\n', 'patroni/syntax').includes('9:2'));
});

test('manifests: tabs that go-yaml accepts stay accepted', () => {
  assert.deepEqual(at('m.yaml', CONFIGMAP + 'data:\n  a: b\t\n  c:\t"d"\n', 'kubernetes/syntax'), []);
});

test('manifests: a %YAML directive is an error, kubectl cuts documents before reading it', () => {
  assert.deepEqual(at('m.yaml', '%YAML 1.1\n---\n' + CONFIGMAP, 'kubernetes/syntax'), ['0:0']);
  assert.deepEqual(at('m.yaml', CONFIGMAP, 'kubernetes/syntax'), []);
});

test('manifests: the escape \\/ is an error, go-yaml v2 does not know it; an escaped backslash before / is fine', () => {
  assert.deepEqual(at('m.yaml', CONFIGMAP + 'data:\n  a: "x\\/y"\n', 'kubernetes/syntax'), ['5:7']);
  assert.deepEqual(at('m.yaml', CONFIGMAP + 'data:\n  a: "x\\\\/y"\n', 'kubernetes/syntax'), []);
  assert.deepEqual(at('m.yaml', CONFIGMAP + "data:\n  a: 'x\\/y'\n", 'kubernetes/syntax'), []);
});

test('manifests: a file that starts with { is read as kubectl reads it, a stream of JSON objects', () => {
  const json = (name: string) => `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "${name}"}, "data": {"port": 5432}}\n`;
  // Two JSON objects: two documents, each validated (a number where the ConfigMap wants a string).
  assert.deepEqual(at('m.yaml', json('a') + json('b'), 'kubernetes/syntax'), []);
  assert.equal(at('m.yaml', json('a') + json('b'), 'kubernetes/schema').length + at('m.yaml', json('a') + json('b'), 'kubernetes/unquoted-string').length, 2);
  // YAML flow style is not JSON: kubectl refuses the file.
  assert.deepEqual(at('m.yaml', '{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n', 'kubernetes/syntax'), ['0:1']);
  assert.deepEqual(at('m.yaml', '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"},}\n', 'kubernetes/syntax'), ['0:68']);
});

test('manifests: an unquoted key glued by its `:` to `{` or `[` inside braces is an error, spaces before the `:` or not; a quoted key is fine', () => {
  const doc = (pair: string) => `---\n{apiVersion: v1, kind: ConfigMap, ${pair}, data: {a: b}}\n`;
  assert.deepEqual(at('m.yaml', doc('metadata:{name: x}'), 'kubernetes/syntax'), ['1:42']);
  assert.deepEqual(at('m.yaml', doc('metadata  :{name: x  }'), 'kubernetes/syntax'), ['1:44']);
  assert.deepEqual(at('m.yaml', doc('metadata :[x]'), 'kubernetes/syntax'), ['1:43']);
  assert.deepEqual(at('m.yaml', doc('"metadata":{name: x}'), 'kubernetes/syntax'), []);
  assert.deepEqual(at('m.yaml', doc('"metadata" :{name: x}'), 'kubernetes/syntax'), []);
  assert.deepEqual(at('m.yaml', doc('metadata : {name: x}'), 'kubernetes/syntax'), []);
});

test('Patroni: a block scalar that ends the file without a line break has none, as PyYAML reads it', () => {
  const value = (text: string) => (parseYaml(text, { version: '1.1', schema: 'pyyaml' }).documents[0].value as { a: unknown }).a;
  assert.equal(value('a: |\n  echo done'), 'echo done');
  assert.equal(value('a: >\r\n  echo\r\n  done'), 'echo done');
  assert.equal(value('a: |+\n  echo done'), 'echo done');
  assert.equal(value('a: |\n  echo done\n'), 'echo done\n');
  assert.equal(value('a: |\n  echo done\nb: 1'), 'echo done\n');
});

test('Patroni: a directive must be followed by ---, as PyYAML wants it', () => {
  assert.deepEqual(at('patroni.yml', PATRONI + '...\n%pct\n', 'patroni/syntax'), ['7:0']);
  assert.deepEqual(at('patroni.yml', PATRONI + '...\n# end\n\n%YAML 1.1\n# no document\n', 'patroni/syntax'), ['9:0']);
  assert.ok(at('patroni.yml', PATRONI + '...\n%YAML 1.1\nname: x\n', 'patroni/syntax').length > 0);
  assert.ok(at('patroni.yml', PATRONI + '%YAML 1.1\n', 'patroni/syntax').length > 0);
  assert.deepEqual(at('patroni.yml', '%YAML 1.1\r\n# note\r\n\r\n---\r\n' + PATRONI, 'patroni/syntax'), []);
  assert.deepEqual(at('patroni.yml', '%YAML 1.1\n%TAG ! tag:x,2000:\n---\n' + PATRONI, 'patroni/syntax'), []);
  assert.deepEqual(at('patroni.yml', `${'%TAG !a! tag:x,2000:\n'.repeat(5_000)}---\n${PATRONI}`, 'patroni/syntax'), ['1:0']);
});

test('Patroni: directives PyYAML refuses: two %YAML, a %YAML 2.0, one %TAG handle twice; an unknown directive is fine', () => {
  assert.deepEqual(at('patroni.yml', '%YAML 1.1\n%YAML 1.1\n---\n' + PATRONI, 'patroni/syntax'), ['1:0']);
  assert.deepEqual(at('patroni.yml', '%YAML 2.0\n---\n' + PATRONI, 'patroni/syntax'), ['0:0']);
  assert.deepEqual(at('patroni.yml', '%TAG ! tag:a,2000:\n%TAG ! tag:b,2000:\n---\n' + PATRONI, 'patroni/syntax'), ['1:0']);
  assert.deepEqual(at('patroni.yml', '%YAML 1.1\n# one of each\n%TAG ! tag:a,2000:\n%TAG !b! tag:b,2000:\n---\n' + PATRONI, 'patroni/syntax'), []);
  assert.deepEqual(at('patroni.yml', '%YAML 1.3\n%FOO bar\n---\n' + PATRONI, 'patroni/syntax'), []);
});

test('Patroni: a `:` with no key before it is an error where PyYAML stops; after an explicit `? key` it is fine', () => {
  assert.deepEqual(at('patroni.yml', PATRONI + ': pg1\n', 'patroni/syntax'), ['6:0']);
  assert.deepEqual(at('patroni.yml', PATRONI + 'tags:\n  - : a\n', 'patroni/syntax'), ['7:4']);
  assert.deepEqual(at('patroni.yml', PATRONI + 'tags: {a: 1, : 2}\n', 'patroni/syntax'), ['6:13']);
  assert.deepEqual(at('patroni.yml', PATRONI + '? name\n: pg1\n', 'patroni/syntax'), []);
  assert.deepEqual(at('patroni.yml', PATRONI + "name: ':'\nbootstrap:\n  post_init: |\n    : done\n", 'patroni/syntax'), []);
});

test('both: an unquoted value inside {…} or […] that holds a `?` is an error, as PyYAML and kubectl end it there', () => {
  assert.deepEqual(at('patroni.yml', PATRONI + 'tags: {url: http://db?sslmode=require}\n', 'patroni/syntax'), ['6:21']);
  assert.deepEqual(at('m.yaml', CONFIGMAP + 'data: {url: http://db?sslmode=require}\n', 'kubernetes/syntax'), ['4:21']);
  assert.deepEqual(at('m.yaml', CONFIGMAP + 'data: [a?b]\n', 'kubernetes/syntax'), ['4:8']);
  assert.deepEqual(at('patroni.yml', PATRONI + 'tags: {url: "http://db?sslmode=require"}\nname: pg?1\n', 'patroni/syntax'), []);
  assert.deepEqual(at('m.yaml', CONFIGMAP + 'data:\n  url: http://db?sslmode=require\n  b: {? c: d}\n', 'kubernetes/syntax'), []);
});

test('the pre-check for a `:` after a flow indicator answers as the regex /[{[,][^\n]*:/ does, in one pass', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('{', '[', ',', ':', '\n', 'a', ' ', '?'), maxLength: 40 }), (s) => colonAfterFlowIndicator(s) === /[{[,][^\n]*:/.test(s)),
    { seed: 20261203, numRuns: 5000 },
  );
  // The values where the regex retried from every `[` of a line: both answers, and the rule's diagnostic.
  assert.equal(colonAfterFlowIndicator('['.repeat(200_000)), false);
  assert.equal(colonAfterFlowIndicator(`${'['.repeat(200_000)}:`), true);
  assert.deepEqual(at('m.yaml', `${CONFIGMAP}data:\n  a: [${'a, '.repeat(50_000)} :x]\n`, 'kubernetes/syntax'), ['5:150007']);
});
