import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { EngineSettings, FileKind } from '../../server/src/core';
import { parseKubernetes } from '../../server/src/core/documents/yaml/kubernetes';
import { parsePatroni } from '../../server/src/core/documents/yaml/patroni';
import { corpusSkip } from '../helpers/corpus';
import { EVERYTHING, FILE_OF, KINDS, applyRangedEdits, overlapping, recordingEngine } from './support/engine';
import { applyEdits, editOf } from './support/edits';
import { exercise, probes, settingsOf } from './support/exercise';
import { fuzz } from './support/run';
import type { Seed } from './support/seeds';
import { REPO_SEEDS, corpusSeeds } from './support/seeds';
import { textOf } from './support/text';

/*
 * Every quick fix the engine offers, applied: its edits do not overlap, the text it gives is
 * analysed without internal error, and a YAML file that read without a syntax error still does.
 */

/** The YAML problems of a text read as `kind`; undefined for formats that are not YAML. */
function yamlErrors(kind: FileKind, text: string, settings: EngineSettings): string[] | undefined {
  const file = { uri: `file:///fixes/${FILE_OF[kind]}`, text, kind };
  if (kind === 'patroni') return parsePatroni(file, settings).yaml.documents.flatMap((d) => d.errors.map((e) => `${e.code} ${e.message}`));
  if (kind === 'kubernetes') {
    const m = parseKubernetes(file, settings);
    return [...m.chunks.flatMap((c) => c.errors), ...m.documents.flatMap((d) => d.yaml.errors)].map((e) => `${e.code} ${e.message}`);
  }
  return undefined;
}

/** Applies every fix offered on `text`; returns how many there were. */
function applyEveryFix(kind: FileKind, text: string, settings: EngineSettings, at: [number, number][]): number {
  const { engine, errors } = recordingEngine();
  const uri = `file:///fixes/${FILE_OF[kind]}`;
  const actions = engine.codeActions({ uri, text }, EVERYTHING, settings);
  const before = yamlErrors(kind, text, settings);
  for (const action of actions) {
    const what = `fix "${action.title}" (${action.diagnostic.code} at ${action.diagnostic.range.start.line}:${action.diagnostic.range.start.character})`;
    assert.ok(action.edits.length > 0, `${what} has no edit`);
    assert.ok(!overlapping(text, action.edits), `${what} has overlapping edits`);
    const fixed = applyRangedEdits(text, action.edits);
    exercise(kind, fixed, settings, at);
    if (before?.length === 0) assert.deepEqual(yamlErrors(kind, fixed, settings), [], `${what} breaks the YAML:\n${fixed}`);
  }
  assert.deepEqual(errors, [], 'internal errors');
  return actions.length;
}

function check(kind: FileKind, sources: fc.Arbitrary<string>, fixed: { runs: number; fixes: number }) {
  return fc.property(sources, settingsOf(kind), probes, (text, settings, at) => {
    const n = applyEveryFix(kind, text, settings, at);
    fixed.runs += n > 0 ? 1 : 0;
    fixed.fixes += n;
  });
}

/** Real files with a few edits: most of their problems, and so their fixes, survive. */
const mutated = (kind: FileKind, seeds: Seed[]) => fc.tuple(fc.constantFrom(...seeds), fc.array(editOf(kind), { maxLength: 4 })).map(([s, edits]) => applyEdits(s.text, edits));

for (const kind of KINDS) {
  test(`${kind}: fixes of edited fixtures, examples and documentation`, async (t) => {
    const fixed = { runs: 0, fixes: 0 };
    await fuzz(t, __filename, check(kind, mutated(kind, REPO_SEEDS[kind]), fixed), 500);
    t.diagnostic(`${fixed.fixes} fixes applied, in ${fixed.runs} documents`);
    assert.ok(fixed.fixes > 0, 'no document had a fix');
  });

  test(`${kind}: fixes of random documents`, async (t) => {
    const fixed = { runs: 0, fixes: 0 };
    await fuzz(t, __filename, check(kind, textOf(kind), fixed), 500);
    t.diagnostic(`${fixed.fixes} fixes applied, in ${fixed.runs} documents`);
  });
}

test('fixes of edited corpus files', { skip: corpusSkip }, async (t) => {
  const seeds = corpusSeeds();
  const kinds = KINDS.filter((k) => seeds[k].length > 0);
  const fixed = { runs: 0, fixes: 0 };
  const cases = fc.constantFrom(...kinds).chain((kind) => fc.tuple(fc.constant(kind), mutated(kind, seeds[kind]), settingsOf(kind), probes));
  await fuzz(t, __filename, fc.property(cases, ([kind, text, settings, at]) => {
    const n = applyEveryFix(kind, text, settings, at);
    fixed.runs += n > 0 ? 1 : 0;
    fixed.fixes += n;
  }), 500);
  t.diagnostic(`${fixed.fixes} fixes applied, in ${fixed.runs} documents`);
});
