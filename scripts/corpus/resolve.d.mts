import type { ManifestEntry } from './manifest.mjs';

export interface LeftOut {
  path: string;
  reason: string;
}
export interface CorpusFound {
  dir: string;
  source: 'HATOPO_CORPUS' | '../shared/corpus' | 'cache';
  /** LABELS.tsv of the corpus folder, or the repository's copy. */
  labels: string;
  /** Manifest files the cache lacks for a hash mismatch or an HTTP error. */
  leftOut: string[];
  skip?: undefined;
}
export interface CorpusMissing {
  /** Why there is no corpus, in one line. */
  skip: string;
  fetchable?: boolean;
}
export type CorpusState = CorpusFound | CorpusMissing;
type Env = Record<string, string | undefined>;

export const DEFAULT_BASE_URL: string;
export const HOW_TO_GET: string;
export function manifestFile(repoRoot: string): string;
export function repoLabelsFile(repoRoot: string): string;
export function besideFolder(repoRoot: string): string;
export function cacheRoot(env: Env): string;
export function cacheFolder(env: Env, manifest: string): string;
export function readStatus(dir: string): { manifest: string; baseUrl: string; finished: string; leftOut: LeftOut[] } | undefined;
export function inspectCache(entries: ManifestEntry[], dir: string, hash: string): { verified: ManifestEntry[]; leftOut: LeftOut[]; missing: ManifestEntry[] };
export function resolveCorpus(options: { repoRoot: string; env?: Env; manifest?: string }): CorpusState;
