// Downloads the manifest's files into the cache folder, verifying each sha256.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { manifestHash, readManifest, sha256, sourceUrl } from './manifest.mjs';
import { DEFAULT_BASE_URL, HOW_TO_GET, cacheFolder, inspectCache, manifestFile, resolveCorpus, writeStatus } from './resolve.mjs';

const TEMP = /\.tmp-(\d+)-[0-9a-f]{8}$/;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Temporary files of an interrupted fetch (never a corpus file), unless their fetch is still running. */
function removeTemps(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const m = TEMP.exec(name);
    if (statSync(p).isDirectory()) removeTemps(p);
    else if (m && !alive(Number(m[1]))) rmSync(p, { force: true });
  }
}

/** Written under a temporary name and renamed, so a file at its final path is always whole. */
function writeAtomic(file, data) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

function describe(err, timeoutMs) {
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = err?.cause;
  return String(cause?.message ?? cause?.code ?? err?.message ?? err).split('\n')[0];
}

/** One GET: `{ body }`, `{ status }` for an HTTP failure, or `{ error }` when no answer came. */
async function download(url, timeoutMs) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { status: res.status };
    }
    return { body: Buffer.from(await res.arrayBuffer()) };
  } catch (err) {
    return { error: describe(err, timeoutMs) };
  }
}

const transient = (r) => r.error !== undefined || r.status === 429 || r.status >= 500;

/**
 * Fetches what the cache lacks. Returns `{ ok, dir, verified, leftOut, failed, error }`: a sha256
 * mismatch or a file gone upstream (HTTP 4xx) is left out and reported, not a failure; files that
 * got no answer are `failed`, and when the first request gets none, no other is made.
 */
export async function fetchCorpus({ entries, dir, hash, baseUrl = DEFAULT_BASE_URL, timeoutMs = 15_000, concurrency = 6, retryLeftOut = true, log = () => undefined }) {
  removeTemps(dir);
  const cached = inspectCache(entries, dir, hash);
  const leftOut = retryLeftOut ? [] : cached.leftOut;
  const keptOut = new Set(leftOut.map((l) => l.path));
  const todo = entries.filter((e) => !cached.verified.includes(e) && !keptOut.has(e.path));
  const failed = [];
  let verified = cached.verified.length;

  const one = async (e, { attempts = 2, probe = false } = {}) => {
    const url = sourceUrl(baseUrl, e);
    let r = await download(url, timeoutMs);
    for (let i = 1; i < attempts && transient(r); i++) r = await download(url, timeoutMs);
    if (probe && !r.body) return r;
    if (r.body) {
      const got = sha256(r.body);
      if (got === e.sha256) {
        writeAtomic(join(dir, e.path), r.body);
        verified++;
        return r;
      }
      leftOut.push({ path: e.path, reason: `sha256 ${got}, expected ${e.sha256}` });
      log(`corpus: left out ${e.path}: sha256 mismatch, expected ${e.sha256}, got ${got} (${url})`);
    } else if (r.status !== undefined && !transient(r)) {
      leftOut.push({ path: e.path, reason: `HTTP ${r.status}` });
      log(`corpus: left out ${e.path}: HTTP ${r.status} (${url})`);
    } else {
      failed.push({ path: e.path, error: r.error ?? `HTTP ${r.status}`, url });
    }
    return r;
  };

  if (todo.length) {
    // One request first: without network, that says so at once and nothing else is tried.
    const first = await one(todo[0], { attempts: 1, probe: true });
    if (!first.body) {
      const url = sourceUrl(baseUrl, todo[0]);
      return { ok: false, dir, verified, leftOut, failed: todo.map((e) => ({ path: e.path, error: 'not tried', url })), error: first.error !== undefined ? `${new URL(url).origin}: ${first.error}` : `HTTP ${first.status} from ${url}` };
    }
    let next = 1;
    const worker = async () => {
      while (next < todo.length) await one(todo[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
  }
  if (existsSync(dir) || leftOut.length) {
    mkdirSync(dir, { recursive: true });
    writeStatus(dir, { manifest: hash, baseUrl, finished: new Date().toISOString(), leftOut });
  }
  const error = failed.length ? `${failed.length} of ${entries.length} files got no answer (first: ${failed[0].path}: ${failed[0].error})` : undefined;
  return { ok: failed.length === 0, dir, verified, leftOut, failed, error };
}

/** Options of a fetch from the environment: HATOPO_CORPUS_URL, HATOPO_CORPUS_TIMEOUT_MS. */
export function fetchOptions(env) {
  const timeout = Number(env.HATOPO_CORPUS_TIMEOUT_MS);
  return { baseUrl: env.HATOPO_CORPUS_URL || DEFAULT_BASE_URL, timeoutMs: timeout > 0 ? timeout : 15_000 };
}

/**
 * What the test command does: find the corpus, and when only the cache could hold it, fetch into
 * the cache first (unless HATOPO_CORPUS_FETCH=0). Returns resolveCorpus's answer; a skip carries one line.
 */
export async function prepareCorpus({ repoRoot, env = process.env, log = () => undefined }) {
  const found = resolveCorpus({ repoRoot, env });
  if (!found.skip) return found;
  if (!found.fetchable) return { skip: `${found.skip}; ${HOW_TO_GET}` };
  if (env.HATOPO_CORPUS_FETCH === '0') return { skip: `${found.skip}, and fetching is off (HATOPO_CORPUS_FETCH=0); ${HOW_TO_GET}` };
  const manifest = manifestFile(repoRoot);
  const result = await fetchCorpus({ entries: readManifest(manifest), dir: cacheFolder(env, manifest), hash: manifestHash(manifest), retryLeftOut: false, log, ...fetchOptions(env) });
  const after = resolveCorpus({ repoRoot, env });
  if (!after.skip) return after;
  return { skip: `${after.skip}, and fetching failed (${result.error ?? 'too many files left out'}); ${HOW_TO_GET}` };
}
