import assert from 'node:assert/strict';
import { createEngine } from '../../server/src/core';
import type { Diagnostic, EngineSettings } from '../../server/src/core';
import { DEFAULT_SETTINGS } from '../../server/src/core';

export const engine = createEngine({ logger: { info: () => undefined, error: (m) => { throw new Error(m); } } });

let counter = 0;

/** Diagnostics of `text` as a file named `name` (its name picks the kind). A fresh URI each call. */
export function diagnose(name: string, text: string, settings: Partial<EngineSettings> = {}): Diagnostic[] {
  const uri = `file:///test/${counter++}/${name}`;
  const s: EngineSettings = { ...DEFAULT_SETTINGS, ...settings };
  const result = engine.validate({ uri, text }, s);
  engine.forget(uri);
  engine.removeWorkspaceFile(uri);
  return result;
}

function show(diags: Diagnostic[]): string {
  return diags.map((d) => `  ${d.range.start.line}:${d.range.start.character} ${d.severity} ${d.code} ${d.message}`).join('\n') || '  (none)';
}

/** Asserts a diagnostic with `code` starts on 0-based `line`; returns it. */
export function expectDiag(name: string, text: string, code: string, line: number, settings: Partial<EngineSettings> = {}): Diagnostic {
  const diags = diagnose(name, text, settings);
  const hit = diags.find((d) => d.code === code && d.range.start.line === line);
  assert.ok(hit, `expected ${code} on line ${line}, got:\n${show(diags)}`);
  return hit;
}

/** Asserts no diagnostic with `code` at all. */
export function expectNoDiag(name: string, text: string, code: string, settings: Partial<EngineSettings> = {}): void {
  const diags = diagnose(name, text, settings).filter((d) => d.code === code);
  assert.equal(diags.length, 0, `expected no ${code}, got:\n${show(diags)}`);
}

/** Strips the common indentation of a template literal so tests can indent documents. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
