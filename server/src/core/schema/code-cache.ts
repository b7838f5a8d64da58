import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/*
 * The validators compiled at build time are large functions (the CNPG Cluster one alone is 1.4 MB
 * of JavaScript), and V8 compiles each on its first call: tens of milliseconds each time a server
 * or `hatopo check` starts. V8 can save that compiled code and take it back on the next start, as
 * Node's own compile cache does. The cache is only ever an optimisation: a missing, stale or
 * foreign entry (another Node, another V8) is ignored by V8 and written again.
 */

let cacheDir: string | undefined;
/** Entries waiting to be written, by file: the script, and the prefix its older versions share. */
const pending = new Map<string, { script: Script; stale: (name: string) => boolean }>();
let flushOnExit = false;
/** What the cache did in this process: entries V8 took, entries it refused, entries written. */
export const codeCacheStats = { accepted: 0, rejected: 0, written: 0 };

/** Keeps the compiled validators in `dir` between runs; undefined (the default) keeps nothing. */
export function useCodeCache(dir: string | undefined): void {
  cacheDir = dir;
}

/** The folder in use, if any. */
export function codeCacheDir(): string | undefined {
  return cacheDir;
}

/**
 * Where the CLI and the language server keep the cache unless the editor says: $HATOPO_CODE_CACHE
 * (`off` for none), else hatopo/code-cache in the user's cache folder ($XDG_CACHE_HOME or ~/.cache).
 */
export function defaultCodeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const set = env.HATOPO_CODE_CACHE;
  if (set === 'off') return undefined;
  if (set) return set;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'hatopo', 'code-cache');
}

function save(file: string, script: Script, stale: (name: string) => boolean): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    // Written aside and renamed, so another process never reads half an entry.
    const part = `${file}.${process.pid}.part`;
    writeFileSync(part, script.createCachedData());
    renameSync(part, file);
    codeCacheStats.written++;
    // Entries of the same validator from older schemas (same Node) will never be read again.
    for (const name of readdirSync(dirname(file))) if (name !== basename(file) && stale(name)) rmSync(join(dirname(file), name), { force: true });
  } catch {
    // A cache only: a read-only or full disk costs the next start its compile time, nothing else.
  }
}

/** Saves the entries waiting to be written (also done shortly after a load, and at exit). */
export function flushCodeCache(): void {
  for (const [file, { script, stale }] of pending) save(file, script, stale);
  pending.clear();
}

/**
 * Loads a self-contained CommonJS file (a generated validator) through V8's code cache, as entry
 * `name` at `version` (what the file was generated from). The compiled code is saved a moment
 * after the first load, once the functions the first validation needed are compiled too.
 */
export function loadWithCodeCache(file: string, name: string, version: string): unknown {
  const source = readFileSync(file, 'utf8');
  const runtime = `-v8-${process.versions.v8}-${process.arch}.bin`;
  const entry = cacheDir ? join(cacheDir, `${name}-${version}${runtime}`) : undefined;
  let cachedData: Buffer | undefined;
  if (entry) {
    try {
      cachedData = readFileSync(entry);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  if (cachedData) codeCacheStats[script.cachedDataRejected ? 'rejected' : 'accepted']++;
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, file, dirname(file));
  if (entry && (!cachedData || script.cachedDataRejected)) {
    pending.set(entry, { script, stale: (other) => other.startsWith(`${name}-`) && other.endsWith(runtime) && !other.slice(name.length + 1, -runtime.length).includes('-') });
    setTimeout(flushCodeCache, 500).unref();
    if (!flushOnExit) {
      flushOnExit = true;
      process.once('exit', flushCodeCache);
    }
  }
  return module.exports;
}
