export { createEngine } from './engine';
export type { Detection } from './documents/detect';
export type { Engine, Diagnostic, CodeAction, Completion, Hover, DocumentSymbol, DocumentInput, CheckInfo, RelatedLocation } from './engine';
export { LineIndex } from './line-index';
export type { Position, Range } from './line-index';
export * from './types';
export { readSettings } from './settings';
export { defaultCodeCacheDir, useCodeCache } from './schema/code-cache';
export { SKIP_FOLDERS, isSkippedName } from './workspace/skip-folders';
