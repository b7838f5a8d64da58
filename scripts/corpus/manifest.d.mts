export interface ManifestEntry {
  /** Relative to the corpus root, e.g. `haproxy/zalando-patroni_haproxy.cfg`. */
  path: string;
  repo: string;
  commit: string;
  pathInRepo: string;
  license: string;
  sha256: string;
  /** `git`, `stored-text` or `debian-package`: how the corpus copy was obtained (test/corpus/README.md). */
  origin: string;
}
export const COLUMNS: readonly string[];
export function sha256(data: string | Uint8Array): string;
export function manifestHash(file: string): string;
export function readManifest(file: string): ManifestEntry[];
export function sourceUrl(base: string, entry: ManifestEntry): string;
export function walkCorpus(dir: string, rel?: string): string[];
export function writeManifest(corpusDir: string, manifestFile: string, labelsFile: string): { files: number };
