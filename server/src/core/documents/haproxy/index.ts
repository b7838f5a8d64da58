import type { EngineSettings, SourceFile } from '../../types';

export interface HaproxyModel {
  file: SourceFile;
}

export function parseHaproxy(file: SourceFile, _settings: EngineSettings): HaproxyModel {
  return { file };
}
