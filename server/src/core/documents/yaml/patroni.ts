import type { EngineSettings, SourceFile } from '../../types';

export interface PatroniModel {
  file: SourceFile;
}

export function parsePatroni(file: SourceFile, _settings: EngineSettings): PatroniModel {
  return { file };
}
