// Chunks of a stream whose text repeats an earlier chunk's (a run of empty `---` documents, say):
// read once, copied for the others. What a copy holds is what a reading of its own text would give.
import type { Document } from 'yaml';
import type { YamlChunk, YamlDocument, YamlOptions, YamlProblem } from './yaml-document';
import { parseYamlChunk } from './yaml-document';

/** Chunks longer than this are always read: only short ones repeat often enough to matter. */
export const MAX_REPEATED_CHUNK = 256;

const NONE: readonly YamlProblem[] = Object.freeze([]);

const moved = (list: readonly YamlProblem[], delta: number): YamlProblem[] =>
  (list.length === 0 ? NONE : list.map((p) => ({ ...p, start: p.start + delta, end: p.end + delta }))) as YamlProblem[];

/** Whether the reading of a chunk can lend itself to chunks of the same text: no value that a copy would share. */
export function copyable(chunk: YamlChunk): boolean {
  return chunk.documents.every((d) => d.value === null || typeof d.value !== 'object');
}

/**
 * A document of a chunk that repeats an earlier chunk's text: its value and problems are the first
 * reading's, moved; its nodes are read from its own text when something asks for them.
 */
export class RepeatedYamlDocument implements YamlDocument {
  private built: Document.Parsed | undefined;
  start: number;
  end: number;
  value: unknown;
  errors: YamlProblem[];
  warnings: YamlProblem[];
  unvalidated?: YamlProblem;

  constructor(
    private text: string,
    private chunkStart: number,
    private chunkEnd: number,
    private readonly index: number,
    private readonly options: YamlOptions,
    first: YamlDocument,
    delta: number,
  ) {
    this.start = first.start + delta;
    this.end = first.end + delta;
    this.value = first.value;
    this.errors = moved(first.errors, delta);
    this.warnings = moved(first.warnings, delta);
    if (first.unvalidated) this.unvalidated = moved([first.unvalidated], delta)[0];
  }

  get doc(): Document.Parsed {
    this.built ??= parseYamlChunk(this.text, this.chunkStart, this.chunkEnd, this.options).documents[this.index].doc;
    return this.built;
  }

  set doc(doc: Document.Parsed) {
    this.built = doc;
  }

  /** The same chunk now stands `delta` characters further in `text`; nodes built before are read again when asked for. */
  moveTo(text: string, delta: number): void {
    this.text = text;
    if (delta === 0) return;
    this.built = undefined;
    this.chunkStart += delta;
    this.chunkEnd += delta;
    this.start += delta;
    this.end += delta;
    this.errors = moved(this.errors, delta);
    this.warnings = moved(this.warnings, delta);
    if (this.unvalidated) this.unvalidated = moved([this.unvalidated], delta)[0];
  }
}

/** The reading of `text.slice(start, end)`, whose text is that of `first`, read at `firstStart`. */
export function repeatChunk(first: YamlChunk, firstStart: number, text: string, start: number, end: number, options: YamlOptions): YamlChunk {
  const delta = start - firstStart;
  return {
    documents: first.documents.map((d, i) => new RepeatedYamlDocument(text, start, end, i, options, d, delta)),
    errors: moved(first.errors, delta),
  };
}
