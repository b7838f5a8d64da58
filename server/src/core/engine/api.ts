// What the engine hands out: plain data in lines and characters, no LSP types.
import type { Range } from '../line-index';
import type { CompletionEntry, FileEncoding, FileKind, FormatSupport, Logger, OutlineKind, Severity } from '../types';

export interface EngineOptions {
  logger?: Logger;
  /** Base URL of docs/checks/ (ending in '/'); diagnostics link to `<docsBase><id>.md`. */
  docsBase?: string;
  /** Replaces the support of some kinds (tests, embedders). */
  formats?: Partial<Record<FileKind, FormatSupport<unknown>>>;
}

export interface DocumentInput {
  uri: string;
  text: string;
  /** How the text was decoded from the file's bytes (see decodeFile), when it was read from disk. */
  encoding?: FileEncoding;
}

export interface RangedEdit {
  range: Range;
  newText: string;
}

/** Another place a diagnostic speaks of (the first definition of a repeated name, say). */
export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface Diagnostic {
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  source: 'hatopo';
  message: string;
  codeDescription?: { href: string };
  related?: RelatedLocation[];
}

export interface CodeAction {
  title: string;
  kind: 'quickfix';
  diagnostic: Diagnostic;
  edits: RangedEdit[];
  preferred: boolean;
}

export interface Completion extends Omit<CompletionEntry, 'replace'> {
  range?: Range;
}

export interface Hover {
  contents: string;
  range: Range;
}

export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: OutlineKind;
  range: Range;
  selectionRange: Range;
  children?: DocumentSymbol[];
}

export interface CheckInfo {
  id: string;
  kind: FileKind;
  defaultSeverity: Severity;
  title: string;
  summary: string;
  /** A small document that triggers the check (its documentation example). */
  bad?: string;
}
