import { before, test } from 'node:test';
import fc from 'fast-check';
import { corpusSkip } from '../helpers/corpus';
import { createEngine } from '../../server/src/core';
import { FILE_OF, KINDS, settingsFor } from './support/engine';
import { exercise, probes, settingsOf } from './support/exercise';
import { applyEdits, editOf } from './support/edits';
import { fuzz } from './support/run';
import { REPO_SEEDS, corpusSeeds } from './support/seeds';
import { anyText, longRunOf, textOf } from './support/text';

/*
 * No crash, no internal error, no call over the bound: every engine entry point (validate, code
 * actions, completion, hover, outline) on random documents of each kind, on texts of other shapes
 * read as that kind, and on mutations of real files.
 */

before(() => {
  // Schemas and validators load on first use; that one-time cost is not what the bound is about.
  const engine = createEngine();
  for (const kind of KINDS) for (const seed of REPO_SEEDS[kind]) engine.validate({ uri: `file:///warm-up/${FILE_OF[kind]}`, text: seed.text }, settingsFor(kind));
});

for (const kind of KINDS) {
  test(`${kind}: random documents`, async (t) => {
    await fuzz(t, __filename, fc.property(textOf(kind), settingsOf(kind), probes, (text, settings, at) => exercise(kind, text, settings, at)), 1000);
  });

  test(`${kind}: mutated fixtures, examples and check documentation`, async (t) => {
    const seeds = REPO_SEEDS[kind];
    const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(editOf(kind), { minLength: 1, maxLength: 8 })).map(([s, edits]) => applyEdits(s.text, edits));
    await fuzz(t, __filename, fc.property(mutated, settingsOf(kind), probes, (text, settings, at) => exercise(kind, text, settings, at)), 1000);
  });
}

test('documents of tens of KB: real files and random documents, one after the other', async (t) => {
  const large = fc.constantFrom(...KINDS).chain((kind) => {
    const part = fc.oneof(fc.constantFrom(...REPO_SEEDS[kind]).map((s) => s.text), textOf(kind));
    // Manifests and Patroni files as documents of one stream; the line-based formats as one file.
    const separator = kind === 'kubernetes' || kind === 'patroni' ? '\n---\n' : '\n';
    return fc.tuple(fc.constant(kind), fc.array(part, { minLength: 20, maxLength: 80 }).map((parts) => parts.join(separator)), settingsOf(kind));
  });
  let biggest = 0;
  await fuzz(t, __filename, fc.property(large, probes, ([kind, text, settings], at) => {
    biggest = Math.max(biggest, text.length);
    exercise(kind, text, settings, at);
  }), 40);
  t.diagnostic(`largest document: ${(biggest / 1024).toFixed(0)} KB`);
});

test('long runs of one piece of text (a line of 50,000 `[`, 30,000 lines of `"`): every call within the bound', async (t) => {
  const run = fc.constantFrom(...KINDS).chain((kind) => fc.tuple(fc.constant(kind), longRunOf(kind), settingsOf(kind)));
  await fuzz(t, __filename, fc.property(run, probes, ([kind, text, settings], at) => exercise(kind, text, settings, at)), 30);
});

test('any text read as any kind', async (t) => {
  const kindAndSettings = fc.constantFrom(...KINDS).chain((kind) => fc.tuple(fc.constant(kind), settingsOf(kind)));
  await fuzz(t, __filename, fc.property(kindAndSettings, anyText, probes, ([kind, settings], text, at) => exercise(kind, text, settings, at)), 1500);
});

test('mutated corpus files', { skip: corpusSkip }, async (t) => {
  const seeds = corpusSeeds();
  const kinds = KINDS.filter((k) => seeds[k].length > 0);
  const mutated = fc.constantFrom(...kinds).chain((kind) =>
    fc.tuple(fc.constant(kind), fc.constantFrom(...seeds[kind]), fc.array(editOf(kind), { maxLength: 8 }), settingsOf(kind)).map(([k, s, edits, settings]) => ({ kind: k, settings, text: applyEdits(s.text, edits) })),
  );
  await fuzz(t, __filename, fc.property(mutated, probes, ({ kind, text, settings }, at) => exercise(kind, text, settings, at)), 800);
});
