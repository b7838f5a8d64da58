import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/*
 * The validators compiled at build time are large functions (the CNPG Cluster one alone is 1.4 MB
 * of JavaScript), and V8 compiles each on its first call: tens of milliseconds each time a server
 * or `hatopo check` starts. V8 can save that compiled code and take it back on the next start, as
 * Node's own compile cache does. The cache is only ever an optimisation: a missing, stale, damaged
 * or foreign entry (another Node, another V8) is refused and written again.
 *
 * V8 checks an entry's version, flags and the length of its source, but not its contents: a
 * damaged payload, or one made from another source of the same length, is run as it is and may
 * crash the process. So each entry starts with a header of our own, checked before V8 sees the
 * payload: a magic, the payload's length and the SHA-256 of the source and payload together.
 */

const MAGIC = Buffer.from('hatopo-code-cache-1\n');
const HEADER = MAGIC.length + 4 + 32;

let cacheDir: string | undefined;
/** Entries waiting to be written, by file: the script, its source, and which other files are its older versions. */
const pending = new Map<string, { script: Script; source: Buffer; stale: (name: string) => boolean }>();
let flushOnExit = false;
/**
 * What the cache did in this process: entries V8 took, entries refused (by V8, or by their header
 * before V8 saw them: `damaged`, which counts among `rejected`), entries written.
 */
export const codeCacheStats = { accepted: 0, rejected: 0, damaged: 0, written: 0 };

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

function digest(source: Buffer, payload: Buffer): Buffer {
  return createHash('sha256').update(source).update(payload).digest();
}

/** An entry as written: header, then V8's data. */
export function encodeEntry(source: Buffer, payload: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(payload.length);
  return Buffer.concat([MAGIC, length, digest(source, payload), payload]);
}

/** V8's data of an entry made from `source`, or undefined when the entry is damaged, truncated or made from another source. */
export function decodeEntry(source: Buffer, entry: Buffer): Buffer | undefined {
  if (entry.length < HEADER || !entry.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const length = entry.readUInt32LE(MAGIC.length);
  if (entry.length !== HEADER + length) return undefined;
  const payload = entry.subarray(HEADER);
  return digest(source, payload).equals(entry.subarray(MAGIC.length + 4, HEADER)) ? payload : undefined;
}

function save(file: string, script: Script, source: Buffer, stale: (name: string) => boolean): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    // Written aside and renamed, so another process never reads half an entry.
    const part = `${file}.${process.pid}.part`;
    writeFileSync(part, encodeEntry(source, script.createCachedData()));
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
  for (const [file, { script, source, stale }] of pending) save(file, script, source, stale);
  pending.clear();
}

/** Whether `other` is an entry of validator `name` at another version for this Node, or one in the format before entries had a header. */
function staleOf(name: string, runtime: string, earlier: string): (other: string) => boolean {
  return (other) => {
    if (!other.startsWith(`${name}-`)) return false;
    const suffix = other.endsWith(runtime) ? runtime : other.endsWith(earlier) ? earlier : undefined;
    return suffix !== undefined && !other.slice(name.length + 1, -suffix.length).includes('-');
  };
}

/**
 * Loads a self-contained CommonJS file (a generated validator) through V8's code cache, as entry
 * `name` at `version` (what the file was generated from). `provided` are modules the file requires
 * that the engine supplies itself. The compiled code is saved a moment after the first load, once
 * the functions the first validation needed are compiled too.
 */
export function loadWithCodeCache(file: string, name: string, version: string, provided: Record<string, unknown> = {}): unknown {
  const bytes = readFileSync(file);
  const source = bytes.toString('utf8');
  const v8 = `-v8-${process.versions.v8}-${process.arch}`;
  const runtime = `${v8}.cache`;
  const entry = cacheDir ? join(cacheDir, `${name}-${version}${runtime}`) : undefined;
  let cachedData: Buffer | undefined;
  let refused = false;
  if (entry) {
    let stored: Buffer | undefined;
    try {
      stored = readFileSync(entry);
    } catch {
      stored = undefined;
    }
    if (stored) {
      cachedData = decodeEntry(bytes, stored);
      if (!cachedData) {
        refused = true;
        codeCacheStats.rejected++;
        codeCacheStats.damaged++;
      }
    }
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  if (cachedData) {
    if (script.cachedDataRejected) refused = true;
    codeCacheStats[script.cachedDataRejected ? 'rejected' : 'accepted']++;
  }
  const module = { exports: {} as unknown };
  const requireIn = (id: string): unknown => {
    if (Object.prototype.hasOwnProperty.call(provided, id)) return provided[id];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- whatever else the file requires, resolved as before
    return require(id);
  };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, requireIn, module, file, dirname(file));
  if (entry && (!cachedData || refused)) {
    pending.set(entry, { script, source: bytes, stale: staleOf(name, runtime, `${v8}.bin`) });
    setTimeout(flushCodeCache, 500).unref();
    if (!flushOnExit) {
      flushOnExit = true;
      process.once('exit', flushCodeCache);
    }
  }
  return module.exports;
}
