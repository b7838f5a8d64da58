import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { readManifest, sha256 } from '../../scripts/corpus/manifest.mjs';
import { CORPUS, corpusFiles, corpusLeftOut, corpusSkip } from '../helpers/corpus';

const REPO = resolve(__dirname, '..', '..');
const manifest = readManifest(join(REPO, 'test', 'corpus', 'MANIFEST.tsv'));

test('the corpus holds exactly the files of test/corpus/MANIFEST.tsv, byte for byte', { skip: corpusSkip }, () => {
  const listed = new Map(manifest.map((e) => [e.path, e.sha256]));
  const files = corpusFiles();
  const differ = files.filter((f) => listed.has(f) && sha256(readFileSync(join(CORPUS, f))) !== listed.get(f));
  const unlisted = files.filter((f) => !listed.has(f));
  const absent = [...listed.keys()].filter((f) => !files.includes(f) && !corpusLeftOut.has(f));
  const fix = 'a changed corpus needs `node scripts/corpus.mjs write-manifest <corpus folder>`';
  assert.deepEqual({ differ, unlisted, absent }, { differ: [], unlisted: [], absent: [] }, fix);
  // The labels the suites read are those the repository carries.
  const labels = join(CORPUS, 'LABELS.tsv');
  if (existsSync(labels)) assert.equal(readFileSync(labels, 'utf8'), readFileSync(join(REPO, 'test', 'corpus', 'LABELS.tsv'), 'utf8'), fix);
});
