import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic, EngineSettings } from '../../server/src/core';
import { dedent, diagnose, engine, expectDiag, expectNoDiag } from '../helpers/engine';

const M = 'manifest.yaml';
const CODE = 'kubernetes/unquoted-string';
let n = 0;

const cluster = (value: string) => dedent(`
  apiVersion: postgresql.cnpg.io/v1
  kind: Cluster
  metadata:
    name: pg
  spec:
    instances: 3
    postgresql:
      parameters:
        wal_log_hints: ${value}
        max_connections: "200"
`);

const pod = (value: string) => dedent(`
  apiVersion: v1
  kind: Pod
  metadata:
    name: p
  spec:
    containers:
      - name: c
        image: postgres:16
        env:
          - name: A
            value: ${value}
`);

const at = (d: Diagnostic) => [d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];
const of = (text: string, settings: Partial<EngineSettings> = {}) => diagnose(M, text, settings).filter((d) => d.code === CODE).map(at);

/** Applies the preferred fix of `code`; returns the new text. */
function applyFix(text: string, code: string): string {
  const uri = `file:///unquoted/${n++}/${M}`;
  const diag = engine.validate({ uri, text }).find((d) => d.code === code);
  assert.ok(diag, `no ${code} to fix`);
  const action = engine.codeActions({ uri, text }, diag.range).find((a) => a.diagnostic.code === code && a.preferred);
  engine.forget(uri);
  engine.removeWorkspaceFile(uri);
  assert.ok(action, `no preferred fix for ${code}`);
  const lines = text.split('\n');
  const offsetOf = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((s, l) => s + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...action.edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start))) out = out.slice(0, offsetOf(e.range.start)) + e.newText + out.slice(offsetOf(e.range.end));
  return out;
}

test('kubernetes/unquoted-string: a CNPG parameter written on, and its quick fix', () => {
  const text = cluster('on');
  assert.deepEqual(of(text), [[CODE, 8, 21, 8, 23]]);
  // Reported once: not again as a kubernetes/schema type error; and on is on for cnpg/wal-log-hints.
  expectNoDiag(M, text, 'kubernetes/schema');
  expectNoDiag(M, text, 'cnpg/wal-log-hints');
  const fixed = applyFix(text, CODE);
  assert.equal(fixed, cluster('"on"'));
  assert.deepEqual(of(fixed), []);
});

test('kubernetes/unquoted-string: off is reported, and cnpg/wal-log-hints still reads it as off', () => {
  const text = cluster('off');
  assert.deepEqual(of(text), [[CODE, 8, 21, 8, 24]]);
  expectDiag(M, text, 'cnpg/wal-log-hints', 8);
  assert.equal(applyFix(text, CODE), cluster('"off"'));
});

test('kubernetes/unquoted-string: env values yes, 5432 and 0755 in a built-in kind', () => {
  for (const value of ['yes', '5432', '0755', 'y', '1e3']) {
    const text = pod(value);
    assert.deepEqual(of(text), [[CODE, 10, 17, 10, 17 + value.length]], value);
    expectNoDiag(M, text, 'kubernetes/schema');
    const fixed = applyFix(text, CODE);
    assert.equal(fixed, pod(`"${value}"`));
    assert.deepEqual(of(fixed), []);
  }
});

test('kubernetes/unquoted-string runs when core schema validation is off: YAML 1.2 tools do not see it', () => {
  assert.deepEqual(of(pod('on'), { kubernetes: { coreSchemaValidation: false } }), [[CODE, 10, 17, 10, 19]]);
  expectNoDiag(M, pod('on'), 'kubernetes/schema', { kubernetes: { coreSchemaValidation: false } });
});

test('kubernetes/unquoted-string: quoted values, strings, block scalars, explicit tags and typed fields give nothing', () => {
  for (const v of ['"on"', "'yes'", 'hello', '1:30', '2001-12-14', '|\n              on', '!!str on']) assert.deepEqual(of(pod(v)), [], v);
  assert.deepEqual(of(cluster('"on"')), []);
  // instances is an integer and enablePDB a boolean: nothing to quote.
  const typed = dedent(`
    apiVersion: postgresql.cnpg.io/v1
    kind: Cluster
    metadata:
      name: pg
    spec:
      instances: 0x3
      enablePDB: yes
  `);
  assert.deepEqual(of(typed), []);
  expectNoDiag(M, typed, 'kubernetes/schema');
});

test('kubernetes/unquoted-string: list items, labels and annotations', () => {
  const text = dedent(`
    apiVersion: v1
    kind: Pod
    metadata:
      name: p
      labels:
        enabled: on
      annotations:
        port: 5432
    spec:
      containers:
        - name: c
          image: postgres:16
          args: [on, "off", 1e3]
  `);
  assert.deepEqual(of(text), [
    [CODE, 5, 13, 5, 15],
    [CODE, 7, 10, 7, 14],
    [CODE, 12, 13, 12, 15],
    [CODE, 12, 24, 12, 27],
  ]);
});

test('kubernetes/unquoted-string: names, labels and annotations of a kind with no known schema', () => {
  const text = dedent(`
    apiVersion: example.com/v1
    kind: Widget
    metadata:
      name: 0755
      labels:
        tier: on
    spec:
      anything: yes
  `);
  assert.deepEqual(of(text), [
    [CODE, 3, 8, 3, 12],
    [CODE, 5, 10, 5, 12],
  ]);
});
