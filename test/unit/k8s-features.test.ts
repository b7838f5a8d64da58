import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../server/src/core';
import { parseKubernetes } from '../../server/src/core/documents/yaml/kubernetes';
import { createKubernetesFeatures } from '../../server/src/core/features/kubernetes';
import { testLookup } from './k8s-schema-checks-fixtures.test';
import { engine } from '../helpers/engine';
import { WIDGET_CRD } from '../helpers/kubernetes-fixtures';

const features = createKubernetesFeatures(testLookup);
const model = (text: string) => parseKubernetes({ uri: 'file:///f/manifest.yaml', text, kind: 'kubernetes' }, DEFAULT_SETTINGS);

/** Completion at the `|` of `marked`. */
function complete(marked: string) {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return { text, offset, items: features.complete!(model(text), offset, DEFAULT_SETTINGS) };
}

test('the top level of an empty document offers apiVersion, kind, metadata and spec', () => {
  const { items } = complete('apiVersion: v1\nkind: ConfigMap\n---\n|');
  assert.deepEqual(items.map((i) => i.label), ['apiVersion', 'kind', 'metadata', 'spec']);
  const partial = complete('apiVersion: example.com/v1\n|');
  assert.ok(!partial.items.some((i) => i.label === 'apiVersion'), 'keys already written are not offered');
});

test('kind values come from the known kinds and the CRDs of the file', () => {
  const { items, offset } = complete('apiVersion: apps/v1\nkind: Sta|');
  const sts = items.find((i) => i.label === 'StatefulSet');
  assert.ok(sts);
  assert.deepEqual(sts.replace, { start: offset - 3, end: offset });
  assert.ok(items.some((i) => i.label === 'Cluster'));
  const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  group: acme.io\n  names:\n    kind: Gizmo\n  versions:\n    - name: v2\n---\nkind: |';
  assert.ok(complete(crd).items.some((i) => i.label === 'Gizmo' && i.detail?.startsWith('acme.io/v2')));
});

test('apiVersion values follow the kind written in the document', () => {
  const { items } = complete('apiVersion: |\nkind: PodDisruptionBudget\n');
  assert.deepEqual(items.map((i) => i.label), ['policy/v1']);
});

test('keys inside spec come from the document\'s own schema, minus keys already present', () => {
  const { items } = complete('apiVersion: v1\nkind: Service\n---\napiVersion: example.com/v1\nkind: Widget\nspec:\n  size: 2\n  |');
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('mode') && labels.includes('enablePodAntiAffinity'));
  assert.ok(!labels.includes('size'), 'size is already written');
  assert.ok(!labels.includes('ports'), 'Service fields do not leak into a Widget');
});

test('enum values of the schema are completed, with the replaced span in file offsets', () => {
  const { items, offset } = complete('apiVersion: v1\nkind: ConfigMap\n---\napiVersion: example.com/v1\nkind: Widget\nspec:\n  mode: f|');
  assert.deepEqual(items.map((i) => i.label), ['fast', 'safe']);
  assert.deepEqual(items[0].replace, { start: offset - 1, end: offset });
});

test('hover shows the description, type, default and the schema origin', () => {
  const text = 'apiVersion: example.com/v1\nkind: Widget\nspec:\n  size: 2\n  mode: fast\n';
  const m = model(text);
  const h = features.hover!(m, text.indexOf('size') + 1, DEFAULT_SETTINGS);
  assert.ok(h);
  assert.equal(text.slice(h.start, h.end), 'size');
  assert.match(h.contents, /How many widgets/);
  assert.match(h.contents, /Default: `1`/);
  assert.match(h.contents, /test widget CRD/);
  const e = features.hover!(m, text.indexOf('fast'), DEFAULT_SETTINGS);
  assert.match(e!.contents, /`"fast"`, `"safe"`/);
  assert.equal(features.hover!(model('apiVersion: x/v1\nkind: Nope\nspec: {}\n'), 30, DEFAULT_SETTINGS), undefined);
});

test('symbols: one per document, Kind name with the namespace, top-level keys as children', () => {
  const text = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: pg\n  namespace: db\nspec:\n  replicas: 3\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: pg\n';
  const symbols = features.symbols!(model(text));
  assert.deepEqual(symbols.map((s) => [s.name, s.detail]), [['StatefulSet pg', 'db'], ['Service pg', undefined]]);
  assert.deepEqual(symbols[0].children!.map((c) => [c.name, c.kind]), [['apiVersion', 'property'], ['kind', 'property'], ['metadata', 'object'], ['spec', 'object']]);
  assert.equal(text.slice(symbols[1].selectionStart, symbols[1].selectionEnd), 'Service');
  assert.ok(symbols[1].start > text.indexOf('---'));
  const spec = symbols[0].children![3];
  assert.equal(text.slice(spec.start, spec.end).trimEnd(), 'spec:\n  replicas: 3');
});


/** Line and character of the `|` in `marked`, and the text without it. */
function at(marked: string): { text: string; position: { line: number; character: number } } {
  const offset = marked.indexOf('|');
  const before = marked.slice(0, offset).split('\n');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), position: { line: before.length - 1, character: before[before.length - 1].length } };
}

test('completion and hover of a custom resource use a CRD from another workspace file', () => {
  const crdUri = 'file:///ws/features/crds/widget-crd.yaml';
  const uri = 'file:///ws/features/apps/widget.yaml';
  const body = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n';
  try {
    const keys = at(`${body}  |`);
    assert.ok(!engine.complete({ uri, text: keys.text }, keys.position).some((i) => i.label === 'replicas'), 'no CRD known yet');
    assert.equal(engine.setWorkspaceFile(crdUri, WIDGET_CRD, DEFAULT_SETTINGS), true);

    const labels = engine.complete({ uri, text: keys.text }, keys.position).map((i) => i.label);
    assert.ok(labels.includes('replicas') && labels.includes('tier'), JSON.stringify(labels));
    const tier = at(`${body}  tier: |`);
    assert.deepEqual(engine.complete({ uri, text: tier.text }, tier.position).map((i) => i.label), ['gold', 'silver']);
    const kind = at('apiVersion: example.com/v1\nkind: Wid|');
    const widget = engine.complete({ uri, text: kind.text }, kind.position).find((i) => i.label === 'Widget');
    assert.match(widget?.detail ?? '', /^example\.com\/v1 — Defined in widget-crd\.yaml/);

    const text = `${body}  replicas: 3\n`;
    const h = engine.hover({ uri, text }, { line: 5, character: 4 });
    assert.ok(h);
    assert.deepEqual(h.range, { start: { line: 5, character: 2 }, end: { line: 5, character: 10 } });
    assert.match(h.contents, /How many widget pods run/);
    assert.match(h.contents, /workspace CRD \(file:\/\/\/ws\/features\/crds\/widget-crd\.yaml\)/);

    assert.equal(engine.removeWorkspaceFile(crdUri), true);
    assert.equal(engine.hover({ uri, text }, { line: 5, character: 4 }), undefined, 'the CRD is gone with its file');
  } finally {
    engine.removeWorkspaceFile(crdUri);
    engine.forget(uri);
    engine.removeWorkspaceFile(uri);
  }
});

test('a custom resource next to its CRD in the same file still completes from it', () => {
  const uri = 'file:///ws/features/same-file.yaml';
  const marked = at(`${WIDGET_CRD}---\napiVersion: example.com/v1\nkind: Widget\nspec:\n  |`);
  try {
    const labels = engine.complete({ uri, text: marked.text }, marked.position).map((i) => i.label);
    assert.ok(labels.includes('replicas') && labels.includes('tier'), JSON.stringify(labels));
  } finally {
    engine.forget(uri);
    engine.removeWorkspaceFile(uri);
  }
});

test('features called without a workspace (embedders, older callers) see the CRDs of the file only', () => {
  const text = 'apiVersion: example.com/v2\nkind: Gadget\nspec:\n  \n';
  const crds = [{ uri: 'file:///other/crd.yaml', group: 'example.com', kind: 'Gadget', versions: [{ name: 'v2', schema: { type: 'object', properties: { spec: { type: 'object', properties: { speed: { type: 'integer' } } } } } }] }];
  const workspace = { version: 1, fileCount: 2, pdbs: () => [], workloads: () => [], crds: () => crds, operatorSettings: () => [], nodeLabels: () => [] };
  const offset = text.indexOf('  \n') + 2;
  assert.ok(!features.complete!(model(text), offset, DEFAULT_SETTINGS).some((i) => i.label === 'speed'));
  assert.ok(features.complete!(model(text), offset, DEFAULT_SETTINGS, { workspace }).some((i) => i.label === 'speed'));
});

test('enum strings kubectl would read as numbers or booleans are completed quoted', () => {
  const uri = 'file:///f/quoted-enum/manifest.yaml';
  const text = 'apiVersion: acid.zalan.do/v1\nkind: postgresql\nspec:\n  postgresql:\n    version: ';
  const v16 = engine.complete({ uri, text }, { line: 4, character: 13 }).find((i) => i.label === '16');
  engine.forget(uri);
  assert.equal(v16?.insertText, '"16"', 'kubectl would read a bare 16 as a number');
});
