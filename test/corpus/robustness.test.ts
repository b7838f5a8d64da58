import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rng } from '../helpers/random';
import { createEngine } from '../../server/src/core';
import type { FileKind } from '../../server/src/core';
import { DEFAULT_SETTINGS, FILE_KINDS } from '../../server/src/core';
import { corpusFiles, corpusSkip, readCorpus } from '../helpers/corpus';


function mutate(text: string, rand: () => number): string {
  const ops = [
    () => text.slice(0, Math.floor(rand() * text.length)), // truncated
    () => {
      const i = Math.floor(rand() * text.length);
      return text.slice(0, i) + text.slice(i + 1 + Math.floor(rand() * 40));
    },
    () => {
      const i = Math.floor(rand() * text.length);
      const junk = ['"', "'", '\\', ':', '- ', '\t', '{', '[', '&a', '*a', '%', '\u0000', '\r', '\n  ', '#'][Math.floor(rand() * 15)];
      return text.slice(0, i) + junk + text.slice(i);
    },
    () => text.split('\n').reverse().join('\n'),
  ];
  return ops[Math.floor(rand() * ops.length)]();
}

test('every corpus file, as every kind, and mutations of it: no internal error anywhere', { skip: corpusSkip }, () => {
  const errors: string[] = [];
  const engine = createEngine({ logger: { info: () => undefined, error: (m) => errors.push(m) } });
  const rand = rng(20261123);
  let runs = 0;
  for (const rel of corpusFiles()) {
    const text = readCorpus(rel);
    if (text.length > 300_000) continue; // the 2.9 MB CRD: parsed elsewhere; here it would only slow the loop
    for (const kind of FILE_KINDS as readonly FileKind[]) {
      const settings = { ...DEFAULT_SETTINGS, associations: { '**': kind } };
      const variants = [text, mutate(text, rand), mutate(text, rand)];
      variants.forEach((v, i) => {
        const uri = `file:///corpus/${i}/${rel}`;
        engine.validate({ uri, text: v }, settings);
        engine.symbols({ uri, text: v }, settings);
        const mid = { line: Math.floor(rand() * 40), character: Math.floor(rand() * 20) };
        engine.complete({ uri, text: v }, mid, settings);
        engine.hover({ uri, text: v }, mid, settings);
        engine.codeActions({ uri, text: v }, { start: { line: 0, character: 0 }, end: { line: 9999, character: 0 } }, settings);
        engine.forget(uri);
        runs++;
      });
    }
  }
  assert.ok(runs > 1000, `ran ${runs} documents`);
  assert.deepEqual(errors, [], `internal errors:\n${errors.slice(0, 5).join('\n')}`);
});
