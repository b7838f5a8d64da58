import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { declaresKind, kindsOfDispatchSchema } from '../../client/src/manifest-kinds';
import { corpusFiles, corpusSkip, readCorpus } from '../helpers/corpus';
import { fixtureFiles, readFixture } from '../helpers/fixtures';

const REPO = resolve(__dirname, '..', '..');
const kinds = kindsOfDispatchSchema(readFileSync(join(REPO, 'schemas', 'generated', 'kubernetes.schema.json'), 'utf8'));

test('the dispatch schema covers every bundled operator and core kind', () => {
  const index = (folder: string) => Object.keys(JSON.parse(readFileSync(join(REPO, 'schemas', folder, 'index.json'), 'utf8')) as object);
  assert.deepEqual([...kinds].sort(), [...index('generated'), ...index('kubernetes')].sort());
});

test('declaresKind finds a covered apiVersion/kind in any document, quoted or commented', () => {
  assert.equal(declaresKind('apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\n', kinds), true);
  assert.equal(declaresKind('kind: "Cluster"   # the database\napiVersion: \'postgresql.cnpg.io/v1\'\n', kinds), true);
  assert.equal(declaresKind('a: 1\n---\nplain: yes\n---\napiVersion: acid.zalan.do/v1\nkind: postgresql\n', kinds), true);
  assert.equal(declaresKind('apiVersion: policy/v1\r\nkind: PodDisruptionBudget\r\n', kinds), true);
});

test('declaresKind ignores other kinds, nested keys and pairs split across documents', () => {
  assert.equal(declaresKind('apiVersion: example.com/v1\nkind: Widget\n', kinds), false);
  assert.equal(declaresKind('spec:\n  apiVersion: postgresql.cnpg.io/v1\n  kind: Cluster\n', kinds), false);
  assert.equal(declaresKind('apiVersion: postgresql.cnpg.io/v1\n---\nkind: Cluster\n', kinds), false);
  assert.equal(declaresKind('name: ci\non: push\njobs: {}\n', kinds), false);
  assert.equal(declaresKind('', kinds), false);
});

/** How many of `files` declare a bundled kind, asserting that declaresKind says so exactly when the YAML parser does. */
function agreeWithParser(files: string[], read: (file: string) => string): number {
  let yes = 0;
  for (const file of files) {
    const text = read(file);
    const truth = parseAllDocuments(text).some((d) => {
      const v = d.errors.length ? undefined : (d.toJS({ maxAliasCount: -1 }) as { apiVersion?: unknown; kind?: unknown } | null);
      return typeof v?.apiVersion === 'string' && typeof v.kind === 'string' && kinds.has(`${v.apiVersion} ${v.kind}`);
    });
    assert.equal(declaresKind(text, kinds), truth, file);
    if (truth) yes++;
  }
  return yes;
}

test('declaresKind agrees with the YAML parser on the fixture manifests', () => {
  const files = fixtureFiles('kubernetes');
  assert.equal(agreeWithParser(files, readFixture), files.length);
});

test('declaresKind agrees with the YAML parser on the corpus manifests', { skip: corpusSkip }, () => {
  const yes = agreeWithParser(corpusFiles('kubernetes'), readCorpus);
  assert.ok(yes > 20, `${yes} corpus manifests declare a bundled kind`);
});
