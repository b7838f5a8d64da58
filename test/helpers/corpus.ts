import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** ../shared/corpus beside the repository (or $HATOPO_CORPUS): real public HA configs with the real tools' verdicts. */
export const CORPUS = process.env.HATOPO_CORPUS ? resolve(process.env.HATOPO_CORPUS) : resolve(__dirname, '..', '..', '..', 'shared', 'corpus');

export function requireCorpus(): void {
  if (!existsSync(join(CORPUS, 'LABELS.tsv'))) {
    throw new Error(`the corpus is missing: expected ${CORPUS}/LABELS.tsv (the shared/ folder beside the repository)`);
  }
}

export interface Label {
  path: string;
  tool: string;
  exitCode: string;
  firstErrorLine: string;
  class: string;
  note: string;
}

export function labels(): Map<string, Label> {
  requireCorpus();
  const out = new Map<string, Label>();
  const rows = readFileSync(join(CORPUS, 'LABELS.tsv'), 'utf8').split('\n').slice(1);
  for (const row of rows) {
    if (!row.trim()) continue;
    const [path, tool, exitCode, firstErrorLine, cls, note] = row.split('\t');
    out.set(path, { path, tool, exitCode, firstErrorLine, class: cls, note: note ?? '' });
  }
  return out;
}

/** Every corpus file, as paths relative to the corpus root. */
export function corpusFiles(sub = ''): string[] {
  requireCorpus();
  const walk = (rel: string): string[] =>
    readdirSync(join(CORPUS, rel)).flatMap((name) => {
      const r = rel ? `${rel}/${name}` : name;
      return statSync(join(CORPUS, r)).isDirectory() ? walk(r) : [r];
    });
  return walk(sub).filter((p) => !/\.(md|tsv)$/.test(p)).sort();
}

export function readCorpus(rel: string): string {
  return readFileSync(join(CORPUS, rel), 'utf8');
}
