import type { ManifestEntry } from './manifest.mjs';
import type { CorpusState, LeftOut } from './resolve.mjs';

type Env = Record<string, string | undefined>;
export interface FetchResult {
  ok: boolean;
  dir: string;
  verified: number;
  leftOut: LeftOut[];
  failed: { path: string; error: string; url: string }[];
  /** Why the fetch is incomplete, in one line. */
  error?: string;
}
export function fetchCorpus(options: {
  entries: ManifestEntry[];
  dir: string;
  hash: string;
  baseUrl?: string;
  timeoutMs?: number;
  concurrency?: number;
  retryLeftOut?: boolean;
  log?: (line: string) => void;
}): Promise<FetchResult>;
export function fetchOptions(env: Env): { baseUrl: string; timeoutMs: number };
export function prepareCorpus(options: { repoRoot: string; env?: Env; log?: (line: string) => void }): Promise<CorpusState>;
