// Where the corpus is: $HATOPO_CORPUS, ../shared/corpus beside the repository, or the download cache.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { manifestHash, readManifest, sha256 } from './manifest.mjs';

export const DEFAULT_BASE_URL = 'https://raw.githubusercontent.com';
const STATUS = '.fetch-status.json';
/** At most this share of the manifest (rounded up) may be left out (hash mismatch, gone upstream) for the cache to be used. */
const MAX_LEFT_OUT = 0.1;

export const manifestFile = (repoRoot) => join(repoRoot, 'test', 'corpus', 'MANIFEST.tsv');
export const repoLabelsFile = (repoRoot) => join(repoRoot, 'test', 'corpus', 'LABELS.tsv');
export const besideFolder = (repoRoot) => resolve(repoRoot, '..', 'shared', 'corpus');

export function cacheRoot(env) {
  if (env.HATOPO_CORPUS_CACHE) return resolve(env.HATOPO_CORPUS_CACHE);
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'hatopo', 'corpus');
}

/** The cache folder of one manifest: a changed manifest never reuses files fetched for another. */
export function cacheFolder(env, manifest) {
  return join(cacheRoot(env), manifestHash(manifest));
}

const isFolder = (p) => existsSync(p) && statSync(p).isDirectory();

export function readStatus(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, STATUS), 'utf8'));
  } catch {
    return undefined;
  }
}

export function writeStatus(dir, status) {
  const tmp = join(dir, `${STATUS}.tmp-${process.pid}`);
  writeFileSync(tmp, `${JSON.stringify(status, null, 2)}\n`);
  renameSync(tmp, join(dir, STATUS));
}

/**
 * Splits the manifest's files into those in the cache with the right sha256, those a finished
 * fetch left out (with the reason), and the rest (missing or damaged since).
 */
export function inspectCache(entries, dir, hash) {
  const status = readStatus(dir);
  const recorded = new Map(status?.manifest === hash ? status.leftOut.map((l) => [l.path, l]) : []);
  const verified = [];
  const leftOut = [];
  const missing = [];
  for (const e of entries) {
    const file = join(dir, e.path);
    if (existsSync(file) && sha256(readFileSync(file)) === e.sha256) verified.push(e);
    else if (recorded.has(e.path) && !existsSync(file)) leftOut.push(recorded.get(e.path));
    else missing.push(e);
  }
  return { verified, leftOut, missing };
}

/**
 * The corpus the tests use, found without network access: `{ dir, source, labels, leftOut }`, or
 * `{ skip, fetchable }` with the reason in one line.
 */
export function resolveCorpus({ repoRoot, env = process.env, manifest = manifestFile(repoRoot) }) {
  const labelsOf = (dir) => (existsSync(join(dir, 'LABELS.tsv')) ? join(dir, 'LABELS.tsv') : repoLabelsFile(repoRoot));
  if (env.HATOPO_CORPUS) {
    const dir = resolve(env.HATOPO_CORPUS);
    if (!isFolder(dir)) return { skip: `HATOPO_CORPUS=${env.HATOPO_CORPUS} is not a folder`, fetchable: false };
    return { dir, source: 'HATOPO_CORPUS', labels: labelsOf(dir), leftOut: [] };
  }
  const beside = besideFolder(repoRoot);
  if (isFolder(beside)) return { dir: beside, source: '../shared/corpus', labels: labelsOf(beside), leftOut: [] };
  const entries = readManifest(manifest);
  const dir = cacheFolder(env, manifest);
  const { verified, leftOut, missing } = inspectCache(entries, dir, manifestHash(manifest));
  if (missing.length === 0 && leftOut.length <= Math.ceil(entries.length * MAX_LEFT_OUT)) {
    return { dir, source: 'cache', labels: repoLabelsFile(repoRoot), leftOut: leftOut.map((l) => l.path) };
  }
  const cache = missing.length ? `${dir} (${verified.length} of ${entries.length} files)` : `${dir} (${leftOut.length} of ${entries.length} files left out)`;
  return { skip: `no corpus at $HATOPO_CORPUS (unset), ../shared/corpus (${beside}) or the cache ${cache}`, fetchable: missing.length > 0 };
}

export const HOW_TO_GET = 'run `node scripts/corpus.mjs fetch` with network access, or set HATOPO_CORPUS to a corpus folder';
