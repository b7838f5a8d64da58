import { createEngine, DEFAULT_SETTINGS, FILE_KINDS, LineIndex } from '../../../server/src/core';
import type { CodeAction, Engine, EngineSettings, FileKind, Position, Range } from '../../../server/src/core';

type RangedEdit = CodeAction['edits'][number];

export const KINDS: readonly FileKind[] = FILE_KINDS;

/** A file name per kind that detection by name gives that kind. */
export const FILE_OF: Record<FileKind, string> = {
  patroni: 'patroni.yml',
  sentinel: 'sentinel.conf',
  redis: 'redis.conf',
  haproxy: 'haproxy.cfg',
  kubernetes: 'manifest.yaml',
};

/** Settings that make any file `kind`, whatever its name and content (the text need not look like one). */
export function settingsFor(kind: FileKind, extra: Partial<EngineSettings> = {}): EngineSettings {
  return { ...DEFAULT_SETTINGS, ...extra, associations: { '**': kind } };
}

/**
 * `HATOPO_FUZZ_IGNORE=<regex>`: internal errors it matches do not fail a property, to hunt for other
 * failures while a known one is being fixed.
 */
const IGNORE = process.env.HATOPO_FUZZ_IGNORE ? new RegExp(process.env.HATOPO_FUZZ_IGNORE) : undefined;

/** An engine whose logged errors (a check or parser that threw, caught by the engine) are kept for the property to fail on. */
export function recordingEngine(): { engine: Engine; errors: string[] } {
  const errors: string[] = [];
  const engine = createEngine({ logger: { info: () => undefined, error: (m) => (IGNORE?.test(m) ? undefined : errors.push(m)) } });
  return { engine, errors };
}

/** The whole document, as a range. */
export const EVERYTHING: Range = { start: { line: 0, character: 0 }, end: { line: 1e9, character: 0 } };

/** CPU time, in ms, of `fn` (this process, every thread): a bound that load on the machine does not move much. */
export function cpuTimed<T>(fn: () => T): { value: T; cpuMs: number; wallMs: number } {
  const wall = performance.now();
  const before = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(before);
  return { value, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall };
}

/** Applies engine edits (line/character ranges of `text`) as an editor would: ranges read on the original text. */
export function applyRangedEdits(text: string, edits: readonly RangedEdit[]): string {
  const lines = new LineIndex(text);
  const abs = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }));
  abs.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of abs) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Whether some of the edits overlap (an editor refuses such a workspace edit). */
export function overlapping(text: string, edits: readonly RangedEdit[]): boolean {
  const lines = new LineIndex(text);
  const abs = edits.map((e) => [lines.offsetAt(e.range.start), lines.offsetAt(e.range.end)]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return abs.some(([s], i) => i > 0 && s < abs[i - 1][1]);
}

/** A position from two random numbers: mostly inside the text, sometimes past a line's end or the last line. */
export function positionIn(text: string, line: number, character: number): Position {
  const lines = new LineIndex(text);
  const l = line % (lines.lineCount + 2);
  const width = l < lines.lineCount ? lines.lineEnd(l) - lines.lineStart(l) : 0;
  return { line: l, character: character % (width + 3) };
}

/** Keeps the start and the end of a long text for a failure message. */
export function excerpt(text: string, max = 1500): string {
  return text.length <= max ? text : `${text.slice(0, max / 2)}\n[… ${text.length - max} characters …]\n${text.slice(-max / 2)}`;
}
