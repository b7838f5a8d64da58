import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CATALOG } from '../../../server/src/core/documents/haproxy/catalog';
import type { Engine, EngineSettings, FileKind } from '../../../server/src/core';
import { EVERYTHING, FILE_OF, cpuTimed, positionIn, recordingEngine, settingsFor } from './engine';

/** A bound on one call, not a speed measure: CPU time, so a loaded machine does not fail it. */
export const CALL_LIMIT_MS = 1000;

/** The settings a document may be checked with. */
export function settingsOf(kind: FileKind): fc.Arbitrary<EngineSettings> {
  return fc
    .record({ version: fc.constantFrom(...CATALOG.versions), core: fc.boolean() })
    .map(({ version, core }) => settingsFor(kind, { haproxy: { version }, kubernetes: { coreSchemaValidation: core } }));
}

/** Places to ask for completion and hover: [line, character] seeds, read modulo the text's size. */
export const probes = fc.array(fc.tuple(fc.nat(400), fc.nat(200)), { minLength: 1, maxLength: 3 });

/**
 * Every engine entry point on one text, each call within the bound and none logging an internal
 * error. `engine` defaults to a fresh one; pass one to exercise it with what it remembers.
 */
export function exercise(kind: FileKind, text: string, settings: EngineSettings, at: [number, number][], given?: { engine: Engine; errors: string[] }): void {
  const { engine, errors } = given ?? recordingEngine();
  const doc = { uri: `file:///fuzz/${FILE_OF[kind]}`, text };
  const bounded = <T>(what: string, fn: () => T): T => {
    const r = cpuTimed(fn);
    assert.ok(r.cpuMs <= CALL_LIMIT_MS, `${what} took ${r.cpuMs.toFixed(0)} ms of CPU (${r.wallMs.toFixed(0)} ms) on a text of ${text.length} characters`);
    return r.value;
  };
  const diagnostics = bounded('validate', () => engine.validate(doc, settings));
  bounded('codeActions', () => engine.codeActions(doc, EVERYTHING, settings));
  bounded('symbols', () => engine.symbols(doc, settings));
  for (const [l, c] of at) {
    const p = positionIn(text, l, c);
    bounded('complete', () => engine.complete(doc, p, settings));
    bounded('hover', () => engine.hover(doc, p, settings));
    bounded('codeActions', () => engine.codeActions(doc, { start: p, end: p }, settings));
  }
  assert.deepEqual(errors, [], 'internal errors');
  assert.deepEqual(diagnostics.filter((d) => d.code === 'hatopo/internal-error'), [], 'internal errors reported as diagnostics');
}
