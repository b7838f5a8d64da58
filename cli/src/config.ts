// Settings for `hatopo check`: the --config file (the editor's settings as JSON) and the flags that override it.
import { readSettings } from '../../server/src/core';
import type { EngineSettings } from '../../server/src/core';
import { CATALOG } from '../../server/src/core/documents/haproxy/catalog';
import { readRegularFile } from './read-file';
import { UsageError } from './usage';

/** The HAProxy versions whose keyword catalog the engine holds, oldest first. */
export const HAPROXY_VERSIONS: readonly string[] = CATALOG.versions;

export function checkHaproxyVersion(version: string, what: string): string {
  if (HAPROXY_VERSIONS.includes(version)) return version;
  throw new UsageError(`${what} must be one of ${HAPROXY_VERSIONS.join(', ')} (the HAProxy versions whose keywords are known), not '${version}'`, 'check');
}

/** Settings are a few lines of JSON; a larger --config file is not one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

function readConfig(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readRegularFile(path, MAX_CONFIG_BYTES).toString('utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UsageError(`cannot read config '${path}': ${missing ? 'no such file' : (err as Error).message}`, 'check');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`config '${path}' is not valid JSON: ${(err as Error).message}`, 'check');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new UsageError(`config '${path}' must hold a JSON object, not ${kind}`, 'check');
  }
  return value as Record<string, unknown>;
}

/** The settings a run uses (`haproxyVersion` already checked); every problem with them is a UsageError. */
export function loadSettings(configPath: string | undefined, haproxyVersion: string | undefined): EngineSettings {
  const raw = configPath === undefined ? {} : readConfig(configPath);
  const problems: string[] = [];
  const settings = readSettings(raw, (m) => problems.push(m));
  if (problems.length) throw new UsageError(`config '${configPath}' is invalid: ${problems.join('; ')}`, 'check');
  if (configPath !== undefined && typeof (raw.haproxy as Record<string, unknown> | undefined)?.version === 'string') {
    checkHaproxyVersion(settings.haproxy.version, `haproxy.version in config '${configPath}'`);
  }
  if (haproxyVersion !== undefined) settings.haproxy.version = haproxyVersion;
  return settings;
}
