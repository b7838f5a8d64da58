import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readManifest, walkCorpus } from '../../scripts/corpus/manifest.mjs';
import type { CorpusState } from '../../scripts/corpus/resolve.mjs';
import { besideFolder, manifestFile, repoLabelsFile, resolveCorpus } from '../../scripts/corpus/resolve.mjs';

/**
 * The corpus: real public HA configs with the real tools' verdicts (test/corpus/README.md).
 * test/run.mjs finds it, or fetches it into the cache, and passes the answer in HATOPO_CORPUS_STATE;
 * a test file run on its own searches the same places without fetching.
 */
const REPO = resolve(__dirname, '..', '..');
const state: CorpusState = process.env.HATOPO_CORPUS_STATE
  ? (JSON.parse(process.env.HATOPO_CORPUS_STATE) as CorpusState)
  : resolveCorpus({ repoRoot: REPO, env: process.env });

/** For node:test's `skip` option: a reason when there is no corpus (test/run.mjs prints the whole of it once), else false. */
export const corpusSkip: string | false = state.skip === undefined ? false : 'no corpus (node scripts/corpus.mjs where)';

/** The corpus folder; when there is none, where it was looked for beside the repository. */
export const CORPUS = state.skip === undefined ? state.dir : besideFolder(REPO);

/** Files a fetched corpus lacks because the download did not match the manifest's sha256. */
export const corpusLeftOut: ReadonlySet<string> = new Set(state.skip === undefined ? state.leftOut : []);

/** How many files under `sub` (a folder of the corpus) are left out. */
export function leftOutCount(sub: string): number {
  return [...corpusLeftOut].filter((f) => f.startsWith(`${sub}/`)).length;
}

/** `corpusSkip`, or a reason when one of these files is left out. */
export function corpusSkipFor(...rels: string[]): string | false {
  const gone = rels.filter((r) => corpusLeftOut.has(r));
  return corpusSkip || (gone.length > 0 && `left out of the fetched corpus: ${gone.join(', ')}`);
}

export function requireCorpus(): void {
  if (state.skip !== undefined) throw new Error(`the corpus is missing: ${state.skip}`);
}

export interface Label {
  path: string;
  tool: string;
  exitCode: string;
  firstErrorLine: string;
  class: string;
  note: string;
}

/** The real tools' verdicts (LABELS.tsv of the corpus folder, else the repository's copy); available without the corpus. */
export function labels(): Map<string, Label> {
  const out = new Map<string, Label>();
  const file = state.skip === undefined ? state.labels : repoLabelsFile(REPO);
  const rows = readFileSync(file, 'utf8').split('\n').slice(1);
  for (const row of rows) {
    if (!row.trim()) continue;
    const [path, tool, exitCode, firstErrorLine, cls, note] = row.split('\t');
    out.set(path, { path, tool, exitCode, firstErrorLine, class: cls, note: note ?? '' });
  }
  return out;
}

/**
 * Every corpus file under `sub`, as paths relative to the corpus root; none without a corpus.
 * A folder is used as it is; from the cache, the manifest's files less those left out.
 */
export function corpusFiles(sub = ''): string[] {
  if (state.skip !== undefined) return [];
  const all =
    state.source === 'cache'
      ? readManifest(manifestFile(REPO))
          .map((e) => e.path)
          .filter((p) => !corpusLeftOut.has(p))
          .sort()
      : walkCorpus(state.dir);
  return sub ? all.filter((p) => p.startsWith(`${sub}/`)) : all;
}

export function readCorpus(rel: string): string {
  requireCorpus();
  return readFileSync(join(CORPUS, rel), 'utf8');
}
