import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { createEngine, DEFAULT_SETTINGS } from '../../server/src/core';
import type { Diagnostic, EngineSettings } from '../../server/src/core';
import { dedent } from '../helpers/engine';
import { testFormat } from './k8s-schema-checks-fixtures.test';

const engine = createEngine({ formats: { kubernetes: testFormat() }, logger: { info: () => undefined, error: (m) => { throw new Error(m); } } });
let n = 0;

function diagnose(text: string, settings: Partial<EngineSettings> = {}): Diagnostic[] {
  const uri = `file:///k8s-schema/${n++}/manifest.yaml`;
  const out = engine.validate({ uri, text }, { ...DEFAULT_SETTINGS, ...settings });
  engine.forget(uri);
  engine.removeWorkspaceFile(uri);
  return out;
}

function expectDiag(text: string, code: string, line: number, settings: Partial<EngineSettings> = {}): Diagnostic {
  const all = diagnose(text, settings);
  const hit = all.find((d) => d.code === code && d.range.start.line === line);
  assert.ok(hit, `expected ${code} on line ${line}, got ${JSON.stringify(all.map((d) => [d.code, d.range.start.line, d.message]))}`);
  return hit;
}

function expectNone(text: string, code: string, settings: Partial<EngineSettings> = {}): void {
  const hits = diagnose(text, settings).filter((d) => d.code === code);
  assert.deepEqual(hits.map((d) => [d.range.start.line, d.message]), []);
}

/** Applies the first (preferred) fix of `code`, checks the YAML still parses, the problem is gone and nothing else changed. */
function applyFix(text: string, code: string): string {
  const uri = `file:///k8s-schema/${n++}/manifest.yaml`;
  const diags = engine.validate({ uri, text });
  const d = diags.find((x) => x.code === code);
  assert.ok(d, `no ${code}`);
  const actions = engine.codeActions({ uri, text }, d.range).filter((a) => a.diagnostic.code === code);
  engine.forget(uri);
  assert.ok(actions.length > 0, 'a quick fix is offered');
  const action = actions.find((a) => a.preferred) ?? actions[0];
  const lines = text.split('\n');
  const toOffset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((s, l) => s + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...action.edits].sort((a, b) => toOffset(b.range.start) - toOffset(a.range.start))) {
    out = out.slice(0, toOffset(e.range.start)) + e.newText + out.slice(toOffset(e.range.end));
  }
  for (const doc of out.split(/^---$/m)) assert.equal(parseDocument(doc).errors.length, 0, 'the fixed YAML parses');
  const after = diagnose(out);
  assert.equal(after.filter((x) => x.code === code).length, diags.filter((x) => x.code === code).length - 1, 'the diagnostic is gone');
  assert.deepEqual(after.filter((x) => x.code !== code).map((x) => x.code), diags.filter((x) => x.code !== code).map((x) => x.code), 'nothing else changed');
  return out;
}

const widget = (spec: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n${spec}`;

test('kubernetes/syntax reports a YAML error in its own document and not in the others', () => {
  const text = dedent(`
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: a
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: b
       namespace: c
    ---
    apiVersion: v1
    kind: ConfigMap
  `);
  const d = expectDiag(text, 'kubernetes/syntax', 8);
  assert.equal(d.severity, 'error');
  assert.deepEqual([...new Set(diagnose(text).filter((x) => x.code === 'kubernetes/syntax').map((x) => x.range.start.line))], [8]);
  expectNone('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n', 'kubernetes/syntax');
});

test('kubernetes/syntax reports duplicate keys and unclosed flow mappings', () => {
  expectDiag('apiVersion: v1\nkind: ConfigMap\nkind: Secret\n', 'kubernetes/syntax', 2);
  expectDiag('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n', 'kubernetes/syntax', 2);
});

test('kubernetes/schema reports a wrong type, an enum and a missing required field of a custom resource', () => {
  const d = expectDiag(widget('  size: "3"\n'), 'kubernetes/schema', 5);
  assert.equal(d.severity, 'error');
  assert.match(d.message, /size/);
  expectDiag(widget('  size: 3\n  mode: slow\n'), 'kubernetes/schema', 6);
  expectDiag(widget('  mode: fast\n'), 'kubernetes/schema', 4);
  expectNone(widget('  size: 3\n  mode: safe\n'), 'kubernetes/schema');
});

test('kubernetes/schema treats null as unset and skips kinds without a schema', () => {
  expectNone(widget('  size: 3\n  mode:\n'), 'kubernetes/schema');
  expectNone('apiVersion: example.com/v1\nkind: Gadget\nspec:\n  size: nope\n', 'kubernetes/schema');
});

test('kubernetes/schema validates core kinds only when coreSchemaValidation is on; custom resources always', () => {
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: Cluster\n';
  expectDiag(svc, 'kubernetes/schema', 5);
  const off = { kubernetes: { coreSchemaValidation: false } };
  expectNone(svc, 'kubernetes/schema', off);
  expectDiag(widget('  size: x\n'), 'kubernetes/schema', 5, off);
});

test('each document is checked against its own schema (never a union)', () => {
  // `type` is valid for a Service, `size` for a Widget; a union would accept either in both.
  const text = widget('  size: 2\n  type: ClusterIP\n') + '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  size: 2\n';
  expectDiag(text, 'kubernetes/unknown-field', 6);
  expectDiag(text, 'kubernetes/unknown-field', 13);
});

test('a CRD in the workspace (here the same file) validates its custom resources', () => {
  const text = dedent(`
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: gizmos.acme.io
    spec:
      group: acme.io
      names:
        kind: Gizmo
      versions:
        - name: v2
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    count:
                      type: integer
    ---
    apiVersion: acme.io/v2
    kind: Gizmo
    spec:
      count: many
      cuont: 1
  `);
  expectDiag(text, 'kubernetes/schema', 23);
  expectDiag(text, 'kubernetes/unknown-field', 24);
});

test('kubernetes/unknown-field warns with a did-you-mean fix, but not under open objects', () => {
  const d = expectDiag(widget('  size: 3\n  enablePodAntiAffinty: true\n'), 'kubernetes/unknown-field', 6);
  assert.equal(d.severity, 'warning');
  assert.match(d.message, /enablePodAntiAffinity/);
  expectDiag(widget('  size: 3\n  items:\n    - nmae: a\n'), 'kubernetes/unknown-field', 7);
  expectNone(widget('  size: 3\n  labels:\n    anything: x\n  extra:\n    whatever: 1\n'), 'kubernetes/unknown-field');
  expectNone(widget('  size: 3\n') + 'status:\n  ready: true\n', 'kubernetes/unknown-field');
});

test('the unknown-field quick fix renames the key', () => {
  const fixed = applyFix(widget('  size: 3\n  enablePodAntiAffinty: true\n'), 'kubernetes/unknown-field');
  assert.equal(fixed, widget('  size: 3\n  enablePodAntiAffinity: true\n'));
});

test('kubernetes/unknown-field never suggests a field the object already has (the rename would repeat it)', () => {
  const d = expectDiag(widget('  size: 3\n  sise: 4\n'), 'kubernetes/unknown-field', 6);
  assert.doesNotMatch(d.message, /`size`/);
  const uri = `file:///k8s-schema/${n++}/manifest.yaml`;
  const text = widget('  size: 3\n  sise: 4\n');
  assert.deepEqual(engine.codeActions({ uri, text }, d.range).filter((a) => a.diagnostic.code === 'kubernetes/unknown-field'), []);
  engine.forget(uri);
});

test('kubernetes/deprecated-api flags removed apiVersions and says which to use', () => {
  const pdb = 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: p\n';
  const d = expectDiag(pdb, 'kubernetes/deprecated-api', 0);
  assert.equal(d.severity, 'error');
  assert.match(d.message, /policy\/v1\b/);
  expectDiag('---\napiVersion: apps/v1beta2\nkind: StatefulSet\n', 'kubernetes/deprecated-api', 1);
  expectDiag('apiVersion: extensions/v1beta1\nkind: Deployment\n', 'kubernetes/deprecated-api', 0);
  expectDiag('apiVersion: apps/v1alpha1\nkind: PetSet\n', 'kubernetes/deprecated-api', 0);
  expectNone('apiVersion: policy/v1\nkind: PodDisruptionBudget\n', 'kubernetes/deprecated-api');
  expectNone('apiVersion: v1\nkind: ReplicationController\n', 'kubernetes/deprecated-api');
});

test('the deprecated-api quick fix writes the new apiVersion (and kind), keeping quotes', () => {
  assert.equal(applyFix('apiVersion: "policy/v1beta1"\nkind: PodDisruptionBudget\n', 'kubernetes/deprecated-api'), 'apiVersion: "policy/v1"\nkind: PodDisruptionBudget\n');
  assert.equal(applyFix('apiVersion: apps/v1alpha1\nkind: PetSet\n', 'kubernetes/deprecated-api'), 'apiVersion: apps/v1\nkind: StatefulSet\n');
});

test('a YAML error at the very end of a document stays in that document', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "unclosed\n---\napiVersion: v1\nkind: ConfigMap\n';
  const syntax = diagnose(text).filter((d) => d.code === 'kubernetes/syntax');
  assert.ok(syntax.length > 0);
  for (const d of syntax) assert.ok(d.range.start.line <= 3, `line ${d.range.start.line}`);
});

test('unknown fields of core kinds follow coreSchemaValidation too', () => {
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  lables:\n    a: b\n';
  expectDiag(svc, 'kubernetes/unknown-field', 4);
  expectNone(svc, 'kubernetes/unknown-field', { kubernetes: { coreSchemaValidation: false } });
});
