import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEngine } from '../../../server/src/core';
import type { FileKind } from '../../../server/src/core';
import { formatOf } from '../../../server/src/core/formats';
import { corpusFiles, readCorpus } from '../../helpers/corpus';
import { fixtureFiles, readFixture } from '../../helpers/fixtures';
import { KINDS } from './engine';

/** Real files to mutate, per kind: test/fixtures, examples/ and every check's documented bad and good example; the corpus apart. */

const EXAMPLES = resolve(__dirname, '..', '..', '..', 'examples');
const detector = createEngine();

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

export interface Seed {
  name: string;
  text: string;
}

function byKind(files: { name: string; uri: string; text: string }[]): Record<FileKind, Seed[]> {
  const out = Object.fromEntries(KINDS.map((k) => [k, [] as Seed[]])) as Record<FileKind, Seed[]>;
  for (const f of files) {
    const kind = detector.detect(f.uri, f.text)?.kind;
    if (kind) out[kind].push({ name: f.name, text: f.text });
  }
  return out;
}

/** Files of the repository: fixtures, examples and the checks' documentation examples. */
export const REPO_SEEDS: Record<FileKind, Seed[]> = (() => {
  const files = [
    ...['haproxy', 'kubernetes', 'named-like-patroni'].flatMap(fixtureFiles).map((rel) => ({ name: `test/fixtures/${rel}`, uri: `file:///fixtures/${rel}`, text: readFixture(rel) })),
    ...walk(EXAMPLES).map((f) => ({ name: f.slice(EXAMPLES.length - 'examples'.length), uri: pathToFileURL(f).href, text: readFileSync(f, 'utf8') })),
  ];
  const out = byKind(files);
  for (const kind of KINDS) {
    for (const check of formatOf(kind).checks) {
      for (const [which, text] of [['bad', check.docs.bad], ['good', check.docs.good]] as const) {
        if (text && !out[kind].some((s) => s.text === text)) out[kind].push({ name: `docs of ${check.id} (${which})`, text });
      }
    }
  }
  return out;
})();

/** Corpus files by the kind they are detected as (none without a corpus); larger ones left out. */
export function corpusSeeds(maxSize = 64 * 1024): Record<FileKind, Seed[]> {
  const files = corpusFiles()
    .map((rel) => ({ name: rel, uri: `file:///corpus/${rel}`, text: readCorpus(rel) }))
    .filter((f) => f.text.length <= maxSize);
  return byKind(files);
}
