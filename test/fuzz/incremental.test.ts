import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { EngineSettings, FileKind } from '../../server/src/core';
import { corpusSkip } from '../helpers/corpus';
import { EVERYTHING, FILE_OF, KINDS, positionIn, recordingEngine } from './support/engine';
import type { Edit } from './support/edits';
import { applyEdit, editOf } from './support/edits';
import { probes, settingsOf } from './support/exercise';
import { fuzz } from './support/run';
import type { Seed } from './support/seeds';
import { REPO_SEEDS, corpusSeeds } from './support/seeds';
import { textOf } from './support/text';

/*
 * The engine re-reads and re-checks only what an edit touches (HAProxy sections, manifest
 * documents; the other formats from scratch). After every edit of a random sequence, a live engine
 * must give what a fresh engine gives on the same text: diagnostics, code actions, outline,
 * completion and hover. Some steps only ask for completion, so the next validation spans several edits.
 */

interface Step {
  edit: Edit;
  /** What the editor asks for after this edit: diagnostics (compared), or only completion (nothing compared). */
  validate: boolean;
}

function stepsOf(kind: FileKind): fc.Arbitrary<Step[]> {
  return fc.array(fc.record({ edit: editOf(kind), validate: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) }), { minLength: 1, maxLength: 12 });
}

function editAndCompare(kind: FileKind, source: string, steps: Step[], settings: EngineSettings, at: [number, number][]): void {
  const live = recordingEngine();
  const uri = `file:///incremental/${FILE_OF[kind]}`;
  let text = source;
  live.engine.validate({ uri, text }, settings);
  steps.forEach((step, i) => {
    text = applyEdit(text, step.edit);
    const doc = { uri, text };
    if (!step.validate && i < steps.length - 1) {
      live.engine.complete(doc, positionIn(text, at[0][0], at[0][1]), settings);
      return;
    }
    const fresh = recordingEngine();
    const where = `after edit ${i + 1} of ${steps.length}`;
    assert.deepEqual(live.engine.validate(doc, settings), fresh.engine.validate(doc, settings), `diagnostics ${where}`);
    assert.deepEqual(live.engine.codeActions(doc, EVERYTHING, settings), fresh.engine.codeActions(doc, EVERYTHING, settings), `code actions ${where}`);
    assert.deepEqual(live.engine.symbols(doc, settings), fresh.engine.symbols(doc, settings), `outline ${where}`);
    for (const [l, c] of at) {
      const p = positionIn(text, l, c);
      assert.deepEqual(live.engine.complete(doc, p, settings), fresh.engine.complete(doc, p, settings), `completion at ${p.line}:${p.character} ${where}`);
      assert.deepEqual(live.engine.hover(doc, p, settings), fresh.engine.hover(doc, p, settings), `hover at ${p.line}:${p.character} ${where}`);
    }
    assert.deepEqual(fresh.errors, [], `internal errors ${where}`);
  });
  assert.deepEqual(live.errors, [], 'internal errors of the live engine');
}

function property(kind: FileKind, sources: fc.Arbitrary<string>) {
  return fc.property(sources, stepsOf(kind), settingsOf(kind), probes, (source, steps, settings, at) => editAndCompare(kind, source, steps, settings, at));
}

const fromSeeds = (seeds: Seed[]) => fc.constantFrom(...seeds).map((s) => s.text);

for (const kind of KINDS) {
  // The formats read in regions get the most runs.
  const runs = kind === 'haproxy' || kind === 'kubernetes' ? 400 : 120;
  test(`${kind}: edits of fixtures, examples and documentation`, async (t) => {
    await fuzz(t, __filename, property(kind, fromSeeds(REPO_SEEDS[kind])), runs);
  });

  test(`${kind}: edits of random documents`, async (t) => {
    await fuzz(t, __filename, property(kind, textOf(kind)), runs / 2);
  });
}

test('edits of corpus files', { skip: corpusSkip }, async (t) => {
  const seeds = corpusSeeds();
  const kinds = KINDS.filter((k) => seeds[k].length > 0);
  const cases = fc.constantFrom(...kinds).chain((kind) => fc.tuple(fc.constant(kind), fromSeeds(seeds[kind]), stepsOf(kind), settingsOf(kind), probes));
  await fuzz(t, __filename, fc.property(cases, ([kind, source, steps, settings, at]) => editAndCompare(kind, source, steps, settings, at)), 250);
});
