import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMap, isSeq } from 'yaml';
import { createEngine, DEFAULT_SETTINGS } from '../../server/src/core';
import type { KubeDocument, KubernetesModel } from '../../server/src/core/documents/yaml/kubernetes';
import { keyRangeAt, parseKubernetes, valueRangeAt } from '../../server/src/core/documents/yaml/kubernetes';
import { chunkStarts, kubernetesIncremental } from '../../server/src/core/documents/yaml/kubernetes-regions';
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
  const sources = [widgets(40), kubernetesManifest(800), ...fixtureFiles('kubernetes').map(readFixture)];
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
