import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMap, isSeq } from 'yaml';
import { DEFAULT_SETTINGS } from '../../server/src/core';
import type { KubernetesModel } from '../../server/src/core/documents/yaml/kubernetes';
import { parseKubernetes } from '../../server/src/core/documents/yaml/kubernetes';
import { readBlockChunk } from '../../server/src/core/documents/yaml/block-reader';
import { chunkStarts } from '../../server/src/core/documents/yaml/kubernetes-regions';
import { parseYamlChunk } from '../../server/src/core/documents/yaml/yaml-document';
import { kubernetesManifest } from '../bench/generate';
import type { Outcome } from '../helpers/block-reader-diff';
import { CHUNK_OPTIONS, compareChunk, mutate, random } from '../helpers/block-reader-diff';
import { corpusFiles, corpusSkip, readCorpus } from '../helpers/corpus';
import { fixtureFiles, readFixture } from '../helpers/fixtures';

/** Every chunk of `text` through compareChunk; the differences, described. */
function compareAll(text: string, label: string, tally: Record<'same' | 'declined', number>): string[] {
  const out: string[] = [];
  const starts = chunkStarts(text);
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    const o: Outcome = compareChunk(text, start, end);
    if (o === 'same' || o === 'declined') tally[o]++;
    else out.push(`${label}, chunk ${i} (offset ${start}): ${o.differs}\n${text.slice(start, Math.min(end, start + 600))}`);
  });
  return out;
}

/** Asserts that every chunk of `files` the reader declines uses an anchor or alias. */
function declinedOnlyAnchored(files: string[], read: (f: string) => string): void {
  for (const f of files) {
    const text = read(f);
    const starts = chunkStarts(text);
    starts.forEach((s, i) => {
      const end = starts[i + 1] ?? text.length;
      if (readBlockChunk(text, s, end, CHUNK_OPTIONS) !== undefined) return;
      assert.match(text.slice(s, end), /(^|[:-] +)[&*][\w-]+/m, `${f}: chunk ${i} declined without an anchor or alias`);
    });
  }
}

test('the block reader builds exactly what yaml builds on the fixture manifests and variants of them', () => {
  const files = fixtureFiles('kubernetes');
  const tally = { same: 0, declined: 0 };
  const diffs = files.flatMap((f) => compareAll(readFixture(f), f, tally));
  declinedOnlyAnchored(files, readFixture);
  for (const f of files) {
    for (let seed = 1; seed <= 20 && diffs.length < 3; seed++) diffs.push(...compareAll(mutate(readFixture(f), random(seed * 7919 + f.length)), `${f} (variant ${seed})`, tally));
  }
  assert.deepEqual(diffs, []);
  assert.ok(tally.same > 2 * tally.declined, `read ${tally.same}, declined ${tally.declined}`);
});

const yamlFiles = corpusFiles().filter((f) => /\.ya?ml$/.test(f));
const read = readCorpus;

test('the block reader builds exactly what yaml builds on every corpus chunk it reads, and declines only anchored ones', { skip: corpusSkip }, () => {
  const tally = { same: 0, declined: 0 };
  const diffs = yamlFiles.flatMap((f) => compareAll(read(f), f, tally));
  assert.deepEqual(diffs, []);
  // Of the 164 corpus chunks (143 read), those declined use anchors and aliases (`name: &id x`, `- *id`).
  declinedOnlyAnchored(yamlFiles, read);
  assert.ok(tally.same >= 140, `read ${tally.same} chunks, declined ${tally.declined}`);
});

test('on thousands of variants of the corpus (comments at every depth, moved lines, odd values) the reader never differs from yaml', { skip: corpusSkip }, () => {
  const tally = { same: 0, declined: 0 };
  const diffs: string[] = [];
  for (const f of yamlFiles) {
    // The CRDs are large and alike: a few variants of each are enough.
    const seeds = f.startsWith('crds/') ? 2 : 20;
    for (let seed = 1; seed <= seeds && diffs.length < 3; seed++) {
      diffs.push(...compareAll(mutate(read(f), random(seed * 7919 + f.length)), `${f} (variant ${seed})`, tally));
    }
  }
  assert.deepEqual(diffs, []);
  // The variants must mostly stay readable, or this test would prove nothing.
  assert.ok(tally.same > 2 * tally.declined, `read ${tally.same}, declined ${tally.declined}`);
});

test('the bench manifest is read entirely by the block reader, and the same as yaml reads it', () => {
  const tally = { same: 0, declined: 0 };
  const text = kubernetesManifest(3000);
  assert.deepEqual(compareAll(text, 'bench manifest', tally), []);
  assert.equal(tally.declined, 0);
  assert.ok(tally.same > 50);
});

test('tabs, carriage returns, a byte-order mark, anchors, tags and merge keys are left to yaml', () => {
  for (const text of ['a:\tb\n', 'a: b\r\nc: d\r\n', '\ufeffa: b\n', 'a: &x b\nc: *x\n', 'a: !!str 1\n', 'a: {b: c}\n', '<<: {}\n', 'a:\n  - - b\n', '%YAML 1.2\n---\na: 1\n']) {
    assert.equal(readBlockChunk(text, 0, text.length, CHUNK_OPTIONS), undefined, JSON.stringify(text));
  }
  // A syntax error is never read: yaml reports it.
  for (const text of ['a: b: c\n', 'a:\n  b: 1\n c: 2\n', 'a: "x\n', 'a: [b\n', 'a: b\n  c\n  d: e\n']) {
    assert.equal(readBlockChunk(text, 0, text.length, CHUNK_OPTIONS), undefined, JSON.stringify(text));
    assert.ok(parseYamlChunk(text, 0, text.length).documents[0].errors.length > 0, JSON.stringify(text));
  }
});

test('a chunk of comments holds no document; repeated keys are reported as yaml-document reports them', () => {
  const comments = '# only\n\n# comments\n';
  assert.equal(readBlockChunk(comments, 0, comments.length, CHUNK_OPTIONS), null);
  const text = 'kind: A\nspec:\n  x: 1\n  x: 2\n';
  const parsed = parseYamlChunk(text, 0, text.length, { version: '1.2', merge: true });
  assert.deepEqual(
    parsed.documents[0].errors.map((e) => [e.code, e.start, e.end]),
    [['DUPLICATE_KEY', 23, 24]],
  );
  assert.deepEqual(parsed.documents[0].value, { kind: 'A', spec: { x: 2 } });
});

test('offsets count from the start of the whole text, as for yaml', () => {
  const text = 'a: 1\n---\nkind: B # c\nlist:\n- x\n-   "y"\n';
  const start = text.indexOf('---');
  const r = readBlockChunk(text, start, text.length, CHUNK_OPTIONS);
  assert.ok(r);
  assert.deepEqual(r.doc.range, [start, text.length, text.length]);
  assert.deepEqual(r.value, { kind: 'B', list: ['x', 'y'] });
  assert.equal(compareChunk(text, start, text.length), 'same');
});


/** Every node's range and the document's range: what a late build must get right. */
function ranges(doc: { yaml: { doc: { contents: unknown; range: unknown } } }): unknown[] {
  const out: unknown[] = [doc.yaml.doc.range];
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    out.push((n as { range?: unknown }).range);
    if (isMap(n)) n.items.forEach((p) => (walk(p.key), walk(p.value)));
    else if (isSeq(n)) n.items.forEach(walk);
  };
  walk(doc.yaml.doc.contents);
  return out;
}

test('nodes built late, after edits moved the text around them, are those of a fresh parse', () => {
  const parse = (text: string, previous?: KubernetesModel) => parseKubernetes({ uri: 'file:///m.yaml', text, kind: 'kubernetes' }, DEFAULT_SETTINGS, previous);
  const rand = random(5);
  let text = kubernetesManifest(1500);
  let model = parse(text);
  let built = 0;
  for (let i = 0; i < 40; i++) {
    const lines = text.split('\n');
    const at = Math.floor(rand() * lines.length);
    if (lines[at] === '# moved') lines.splice(at, 1);
    else lines.splice(at, 0, '# moved');
    text = lines.join('\n');
    const reused = new Set(model.documents);
    model = parse(text, model);
    assert.ok(model.documents.filter((d) => reused.has(d)).length >= model.documents.length - 2, 'most documents are reused');
    const fresh = parse(text);
    // Build the nodes of a few documents only; the others stay unbuilt through several moves.
    for (let k = 0; k < 3; k++) {
      const j = Math.floor(rand() * model.documents.length);
      assert.deepEqual(ranges(model.documents[j]), ranges(fresh.documents[j]), `edit ${i}, document ${j}`);
      built++;
    }
  }
  const last = parse(text);
  model.documents.forEach((d, j) => assert.deepEqual(ranges(d), ranges(last.documents[j]), `document ${j}`));
  assert.ok(built >= 100);
});
