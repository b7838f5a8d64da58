import type { EngineSettings, SourceFile } from '../../types';

export interface RedisModel {
  file: SourceFile;
}

export function parseRedis(file: SourceFile, _settings: EngineSettings): RedisModel {
  return { file };
}
