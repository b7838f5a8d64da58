// Settings for `hatopo check`: the --config file (the editor's settings as JSON) and the flags that override it.
import { ENGINE_DIAGNOSTICS, createEngine, readSettings } from '../../server/src/core';
import type { EngineSettings } from '../../server/src/core';
import { CATALOG } from '../../server/src/core/documents/haproxy/catalog';
import { closest } from '../../server/src/core/suggest';
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

/**
 * The settings VS Code has and what each holds, as keys of the --config object: those `hatopo
 * check` uses, and those of the editor it accepts and leaves alone (a copy of the editor's
 * settings is a valid --config file).
 */
const SETTINGS: Record<string, readonly string[] | 'any'> = {
  checks: 'any',
  haproxy: ['version'],
  kubernetes: ['schemaValidation', 'coreSchemaValidation'],
  files: ['associations'],
  associations: 'any',
  trace: ['server'],
  clusters: 'any',
  live: ['enabled', 'refreshInterval'],
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function guessed(word: string, among: Iterable<string>): string {
  const guess = closest(word, among, 1)[0];
  return guess ? `; did you mean '${guess}'?` : '';
}

/**
 * The settings of a --config object with VS Code's own spelling taken too: `"hatopo.checks"` and
 * `"hatopo.haproxy.version"`, as they stand in settings.json, are `checks` and `haproxy.version`.
 */
function nested(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith('hatopo.')) {
      out[key] = value;
      continue;
    }
    const path = key.slice('hatopo.'.length).split('.');
    let at = out;
    for (const part of path.slice(0, -1)) {
      if (!isObject(at[part])) at[part] = {};
      at = at[part] as Record<string, unknown>;
    }
    at[path[path.length - 1]] = value;
  }
  return out;
}

/**
 * What is wrong with the shape of a --config object: a setting or check id hatopo does not know
 * (a typo would otherwise be ignored without a word), a group that is not an object.
 */
function shapeProblems(raw: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const fields = SETTINGS[key];
    if (fields === undefined) {
      problems.push(`unknown setting '${key}'${guessed(key, Object.keys(SETTINGS))}`);
      continue;
    }
    if (!isObject(value)) {
      if (key !== 'clusters') problems.push(`'${key}' must be an object, not ${JSON.stringify(value)}`);
      continue;
    }
    if (fields === 'any') continue;
    for (const field of Object.keys(value)) {
      if (!fields.includes(field)) problems.push(`unknown setting '${key}.${field}'${guessed(`${key}.${field}`, fields.map((f) => `${key}.${f}`))}`);
    }
  }
  if (isObject(raw.checks)) {
    const ids = new Set(createEngine().checks().map((c) => c.id));
    for (const id of Object.keys(raw.checks)) {
      if (ids.has(id)) continue;
      if (ENGINE_DIAGNOSTICS.some((d) => d.id === id)) problems.push(`checks: '${id}' cannot be configured (a file, or part of one, that was not analysed is always reported)`);
      else problems.push(`checks: unknown check '${id}'${guessed(id, ids)}`);
    }
  }
  return problems;
}

/** The settings a run uses (`haproxyVersion` already checked); every problem with them is a UsageError. */
export function loadSettings(configPath: string | undefined, haproxyVersion: string | undefined): EngineSettings {
  const raw = configPath === undefined ? {} : nested(readConfig(configPath));
  const problems: string[] = shapeProblems(raw);
  const settings = readSettings(raw, (m) => problems.push(m));
  if (problems.length) throw new UsageError(`config '${configPath}' is invalid: ${problems.join('; ')}`, 'check');
  if (configPath !== undefined && typeof (raw.haproxy as Record<string, unknown> | undefined)?.version === 'string') {
    checkHaproxyVersion(settings.haproxy.version, `haproxy.version in config '${configPath}'`);
  }
  if (haproxyVersion !== undefined) settings.haproxy.version = haproxyVersion;
  return settings;
}
