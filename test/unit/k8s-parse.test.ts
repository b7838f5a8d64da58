import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Composer, isMap, isSeq, YAMLMap, YAMLSeq } from 'yaml';
import { createEngine, DEFAULT_SETTINGS } from '../../server/src/core';
import type { KubeDocument, KubernetesModel } from '../../server/src/core/documents/yaml/kubernetes';
import { keyRangeAt, MAX_DOCUMENT_LENGTH, MAX_DOCUMENTS, parseKubernetes, valueRangeAt } from '../../server/src/core/documents/yaml/kubernetes';
import { chunkStarts, kubernetesIncremental } from '../../server/src/core/documents/yaml/kubernetes-regions';
import { duplicateKeys } from '../../server/src/core/documents/yaml/yaml-document';
import { kubernetesManifest } from '../bench/generate';
import { corpusFiles, corpusSkip, readCorpus } from '../helpers/corpus';
import { fixtureFiles, readFixture } from '../helpers/fixtures';
import { rng } from '../helpers/random';
import { testFormat } from './k8s-schema-checks-fixtures.test';

const file = (text: string) => ({ uri: 'file:///p/manifest.yaml', text, kind: 'kubernetes' as const });
const parse = (text: string, previous?: KubernetesModel) => parseKubernetes(file(text), DEFAULT_SETTINGS, previous);

test('chunks start at 0, at every --- line and after every ... line', () => {
  const text = '# head\n---\na: 1\n--- # c\nb: 2\n...\nc: 3\n---x: not a marker\n ---\n---\n';
  const starts = chunkStarts(text);
  assert.deepEqual(starts.map((s) => text.slice(s, s + 5)), ['# hea', '---\na', '--- #', 'c: 3\n', '---\n']);
  assert.deepEqual(chunkStarts(''), []);
  assert.deepEqual(chunkStarts('---\na: 1\n'), [0]);
  assert.deepEqual(chunkStarts('a: 1\r\n---\r\nb: 2\r\n'), [0, 6]);
});

test('each document keeps absolute offsets into the whole file', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: b\n  namespace: db\n';
  const m = parse(text);
  assert.equal(m.documents.length, 2);
  assert.equal(m.chunks.length, 2);
  const [a, b] = m.documents;
  assert.deepEqual([a.kind, a.name, b.kind, b.name, b.namespace], ['Service', 'a', 'StatefulSet', 'b', 'db']);
  const r = valueRangeAt(b, ['metadata', 'namespace']);
  assert.equal(text.slice(r.start, r.end), 'db');
  const k = keyRangeAt(b, ['kind']);
  assert.equal(text.slice(k.start, k.end), 'kind');
  assert.equal(m.chunks[1].start, text.indexOf('---'));
  assert.equal(m.chunks[1].end, text.length);
  assert.ok(b.start >= m.chunks[1].start && b.end <= text.length);
});

test('a syntax error is located in its own document', () => {
  const text = 'a: 1\n---\nb: [1, 2\n---\nc: 3\n';
  const m = parse(text);
  assert.equal(m.documents.length, 3);
  assert.equal(m.documents[0].yaml.errors.length, 0);
  assert.equal(m.documents[2].yaml.errors.length, 0);
  const e = m.documents[1].yaml.errors[0];
  assert.ok(e && e.start >= text.indexOf('b:') && e.start <= text.indexOf('---', 6), JSON.stringify(e));
});

test('an edit re-parses only the document it touches; the others are the same objects, moved', () => {
  const text = kubernetesManifest(3000);
  const before = parse(text);
  const docs = [...before.documents];
  const at = text.indexOf('instances: 3', text.length / 2);
  const edited = text.slice(0, at) + 'instances: 5' + text.slice(at + 'instances: 3'.length);
  const after = parse(edited, before);
  assert.equal(after.documents.length, docs.length);
  const fresh = after.documents.filter((d, i) => d !== docs[i]);
  assert.equal(fresh.length, 1);
  assert.ok(fresh[0].start <= at && at < fresh[0].end);

  // An insertion near the top moves every later document, which keeps its identity.
  const inserted = '# a new comment line\n' + edited;
  const last = after.documents[after.documents.length - 1];
  const moved = parse(inserted, after);
  assert.equal(moved.documents[moved.documents.length - 1], last);
  const r = valueRangeAt(last, ['metadata', 'name']);
  assert.equal(inserted.slice(r.start, r.end), last.name);
});

/** Everything about a document that checks read, with every node range, for comparing two parses. */
function snapshot(d: KubeDocument): unknown {
  const ranges: unknown[] = [];
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    ranges.push((n as { range?: unknown }).range);
    if (isMap(n)) n.items.forEach((p) => { walk(p.key); walk(p.value); });
    else if (isSeq(n)) n.items.forEach(walk);
  };
  walk(d.yaml.doc.contents);
  return { start: d.start, end: d.end, value: d.value, kind: d.kind, errors: d.yaml.errors, range: d.yaml.doc.range, ranges };
}

const SNIPPETS = ['\n', 'x', '---\n', '\n---\n', '...\n', ' ', ':', '"', '- ', 'kind: Widget\n', 'apiVersion: example.com/v1\n', 'spec:\n  size: "2"\n', '  mode: slow\n', '  enablePodAntiAffinty: true\n', 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\n'];

function edit(text: string, rand: () => number): string {
  const r = rand();
  const markers = [...text.matchAll(/^---.*\n?/gm)];
  if (r < 0.15 && markers.length > 0) {
    // Remove a document marker: two documents become one.
    const m = markers[Math.floor(rand() * markers.length)];
    return text.slice(0, m.index) + text.slice(m.index! + m[0].length);
  }
  const at = Math.floor(rand() * (text.length + 1));
  if (r < 0.6) return text.slice(0, at) + SNIPPETS[Math.floor(rand() * SNIPPETS.length)] + text.slice(at);
  return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rand() * 40)));
}

function widgets(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(`apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w${i}\nspec:\n  size: ${i % 3 === 0 ? '"x"' : i}\n  mode: ${i % 4 === 0 ? 'slow' : 'safe'}\n  items:\n    - name: a\n    - nmae: b\n`);
  }
  return out.join('---\n');
}

/** 25 random edits of each source, each parsed and validated incrementally and from scratch; returns the number of edits. */
function editAndCompare(sources: string[], seed: number): number {
  const rand = rng(seed);
  const everything = { start: { line: 0, character: 0 }, end: { line: 1e6, character: 0 } };
  let edits = 0;
  sources.forEach((source, n) => {
    const live = createEngine({ formats: { kubernetes: testFormat() } });
    const uri = `file:///inc/${n}/manifest.yaml`;
    let text = source;
    let model = parse(text);
    live.validate({ uri, text });
    for (let i = 0; i < 25; i++) {
      text = edit(text, rand);
      edits++;
      model = parse(text, model);
      const scratch = parse(text);
      assert.deepEqual(model.documents.map(snapshot), scratch.documents.map(snapshot), `model: source ${n}, edit ${i}`);
      assert.deepEqual(kubernetesIncremental.regions(model)!.map((r) => [r.start, r.end]), kubernetesIncremental.regions(scratch)!.map((r) => [r.start, r.end]));
      const fresh = createEngine({ formats: { kubernetes: testFormat() } });
      assert.deepEqual(live.validate({ uri, text }), fresh.validate({ uri, text }), `diagnostics: source ${n}, edit ${i}`);
      assert.deepEqual(live.codeActions({ uri, text }, everything), fresh.codeActions({ uri, text }, everything), `actions: source ${n}, edit ${i}`);
    }
  });
  return edits;
}

test('incremental parsing and validation after random edits equal a parse from scratch', () => {
  // Runs of short chunks of one text are copied from the first of them; keys written twice, stray markers.
  const repeated = '---\n'.repeat(12) + '--- 5\n'.repeat(6) + '--- # c\n\n'.repeat(6) + '...\n'.repeat(3) + 'a: 1\na: 2\n---\n'.repeat(4) + widgets(3);
  const sources = [widgets(40), kubernetesManifest(800), repeated, ...fixtureFiles('kubernetes').map(readFixture)];
  assert.ok(editAndCompare(sources, 11) >= 200);
});

test('incremental parsing and validation after random edits equal a parse from scratch, on corpus manifests', { skip: corpusSkip }, () => {
  assert.ok(editAndCompare(corpusFiles('kubernetes').slice(0, 10).map(readCorpus), 11) >= 250);
});

test('regions cover the whole text without gaps and restrict keeps only the chosen documents', () => {
  const text = 'a: 1\n---\nb: 2\n---\nc: 3\n';
  const m = parse(text);
  const regions = kubernetesIncremental.regions(m)!;
  assert.equal(regions[0].start, 0);
  assert.equal(regions[regions.length - 1].end, text.length);
  for (let i = 1; i < regions.length; i++) assert.equal(regions[i].start, regions[i - 1].end);
  const only = kubernetesIncremental.restrict(m, new Set([regions[1].id]));
  assert.deepEqual(only.documents.map((d) => d.value), [{ b: 2 }]);
});

const emptyDocuments = (n: number) => 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' + '---\n'.repeat(n);

test('an edit among many identical documents re-parses one chunk and matches the others in linear work', () => {
  for (const n of [5000, 10000]) {
    const text = emptyDocuments(n);
    const before = parse(text);
    const at = text.length - 4 * Math.floor(n / 2);
    const after = parse(text.slice(0, at) + 'a: 1\n' + text.slice(at), before);
    assert.equal(after.chunks.length, n + 1);
    assert.equal(after.chunks.filter((c) => !before.chunks.includes(c)).length, 1, 'one chunk parsed again');
    const compared = (after as unknown as { reuse: { compared: number } }).reuse.compared;
    assert.ok(compared <= 2 * (n + 1), `${compared} chunk comparisons for ${n + 1} chunks`);
  }
});

test('empty documents are read by the YAML parser once per distinct text, and built only when asked for', () => {
  // Every text the library reads ends with Composer.end().
  const composer = Composer.prototype as unknown as { end: (...args: unknown[]) => unknown };
  const end = composer.end;
  let composed = 0;
  composer.end = function (this: unknown, ...args: unknown[]) {
    composed++;
    return end.apply(this, args);
  };
  try {
    const text = emptyDocuments(3000) + '--- # a comment\n\n'.repeat(3000);
    const m = parse(text);
    assert.equal(m.documents.length, 6001);
    assert.ok(composed <= 4, `${composed} documents composed`);
    // Each one still has its own nodes, at its own place, the same as a document read on its own.
    const last = m.documents[m.documents.length - 1];
    const alone = parse(text.slice(last.start)).documents[0];
    assert.equal(last.yaml.doc.range[0], last.start);
    assert.deepEqual(last.yaml.doc.range.map((o) => o - last.start), alone.yaml.doc.range);
    assert.deepEqual([last.value, last.end - last.start], [alone.value, alone.end - alone.start]);
  } finally {
    composer.end = end;
  }
});

test('a document longer than hatopo reads is reported as not validated; the other documents are validated', () => {
  const huge = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  k: "${'x'.repeat(MAX_DOCUMENT_LENGTH)}"\n`;
  const text = `${huge}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports: 80\n`;
  const m = parse(text);
  assert.equal(m.chunks.length, 2);
  assert.deepEqual(m.chunks[0].documents, [], 'the long document is not read');
  assert.deepEqual(m.documents.map((d) => d.kind), ['Service']);
  const diags = createEngine().validate({ uri: 'file:///p/big.yaml', text });
  const unread = diags.filter((d) => d.code === 'hatopo/not-validated');
  assert.deepEqual(unread.map((d) => d.range.start.line), [0]);
  assert.ok(diags.some((d) => d.code === 'kubernetes/schema' && d.range.start.line === 12), 'the Service is still validated');
});

test('past the most documents hatopo reads, the rest of the file is one chunk reported as not validated, also after edits', () => {
  const text = emptyDocuments(MAX_DOCUMENTS + 10);
  const m = parse(text);
  assert.equal(m.chunks.length, MAX_DOCUMENTS + 1);
  assert.equal(m.documents.length, MAX_DOCUMENTS);
  const last = m.chunks[MAX_DOCUMENTS];
  assert.deepEqual([last.start, last.end, last.documents.length, last.unread?.code], [text.length - 4 * 11, text.length, 0, 'TOO_MANY_DOCUMENTS']);
  const diags = createEngine().validate({ uri: 'file:///p/many.yaml', text });
  assert.deepEqual(diags.filter((d) => d.code === 'hatopo/not-validated').map((d) => d.range.start.line), [4 + MAX_DOCUMENTS - 1]);
  // An inserted marker near the top moves the boundary: the reused chunks agree with a fresh parse.
  const edited = text.slice(0, 60) + '---\n' + text.slice(60);
  const again = parse(edited, m);
  const fresh = parse(edited);
  assert.deepEqual(again.chunks.map((c) => [c.start, c.end, c.documents.length, c.unread?.code]), fresh.chunks.map((c) => [c.start, c.end, c.documents.length, c.unread?.code]));
});

test('a collection of hundreds of thousands of items is walked without overflowing the stack', () => {
  const seq = new YAMLSeq();
  for (let i = 0; i < 300_000; i++) seq.items.push(new YAMLMap());
  assert.deepEqual(duplicateKeys(seq), []);
});

test('a file that stops or starts being a JSON stream is read again whole, not from the previous reading', () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
  const errorsOf = (m: KubernetesModel) => m.chunks.flatMap((c) => c.errors.map((e) => e.code));
  const json = parse(`{${yaml}`);
  assert.ok(errorsOf(json).includes('JSON'), errorsOf(json).join());
  // `...` first: no longer a file that starts with `{`, so no JSON problem is left over.
  const after = parse(`...\n{${yaml}`, json);
  assert.deepEqual(errorsOf(after), errorsOf(parse(`...\n{${yaml}`)));
  assert.ok(!errorsOf(after).includes('JSON'));
});
