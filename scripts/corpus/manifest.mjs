// The corpus manifest (test/corpus/MANIFEST.tsv): every corpus file with its source, license and sha256.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export const COLUMNS = ['local_path', 'repo', 'commit', 'path_in_repo', 'license', 'sha256', 'origin'];

export const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** The first 16 hex digits of the manifest's own sha256: names its cache folder. */
export function manifestHash(file) {
  return sha256(readFileSync(file)).slice(0, 16);
}

export function readManifest(file) {
  const [header, ...rows] = readFileSync(file, 'utf8').split('\n');
  if (header !== COLUMNS.join('\t')) throw new Error(`${file}: the first line must be the header ${COLUMNS.join(', ')}`);
  return rows.flatMap((row, i) => {
    if (!row.trim()) return [];
    const f = row.split('\t');
    const where = `${file}:${i + 2}`;
    if (f.length !== COLUMNS.length) throw new Error(`${where}: ${f.length} columns, expected ${COLUMNS.length}`);
    const [path, repo, commit, pathInRepo, license, hash, origin] = f;
    // The path names a file inside the cache folder: nothing may climb out of it.
    if (isAbsolute(path) || path.split('/').some((s) => s === '..' || s === '')) throw new Error(`${where}: bad local path ${path}`);
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new Error(`${where}: bad repository ${repo}`);
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`${where}: bad sha256 ${hash}`);
    return [{ path, repo, commit, pathInRepo, license, sha256: hash, origin }];
  });
}

/** Where the raw file is served: `<base>/<owner>/<name>/<commit>/<path>`, as raw.githubusercontent.com does. */
export function sourceUrl(base, entry) {
  const enc = (s) => s.split('/').map(encodeURIComponent).join('/');
  return `${base.replace(/\/+$/, '')}/${enc(entry.repo)}/${enc(entry.commit)}/${enc(entry.pathInRepo)}`;
}

function readTsv(file) {
  const [header, ...rows] = readFileSync(file, 'utf8').split('\n');
  const names = header.split('\t');
  return rows.filter((r) => r.trim()).map((r) => Object.fromEntries(r.split('\t').map((v, i) => [names[i], v])));
}

/** Corpus files below `dir`, relative to it: everything but the notes (.md) and tables (.tsv). */
export function walkCorpus(dir, rel = '') {
  return readdirSync(join(dir, rel))
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => {
      const r = rel ? `${rel}/${name}` : name;
      return statSync(join(dir, r)).isDirectory() ? walkCorpus(dir, r) : [r];
    })
    .filter((p) => !/\.(md|tsv)$/.test(p))
    .sort();
}

function origin(obtainedVia) {
  if (/git show/.test(obtainedVia)) return 'git';
  if (/stored index text|read_file/.test(obtainedVia)) return 'stored-text';
  if (/Debian package/.test(obtainedVia)) return 'debian-package';
  throw new Error(`unknown provenance: ${obtainedVia}`);
}

function writeAtomic(file, data) {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/**
 * Rewrites MANIFEST.tsv from a corpus folder (its files and SOURCES.tsv) and copies its LABELS.tsv.
 * Every file needs a SOURCES row and every row a file.
 */
export function writeManifest(corpusDir, manifestFile, labelsFile) {
  const sources = new Map(readTsv(join(corpusDir, 'SOURCES.tsv')).map((r) => [r.local_path, r]));
  const files = walkCorpus(corpusDir);
  const unsourced = files.filter((f) => !sources.has(f));
  const absent = [...sources.keys()].filter((f) => !files.includes(f));
  if (unsourced.length || absent.length) {
    throw new Error(`${corpusDir}: files without a SOURCES.tsv row: ${unsourced.join(', ') || 'none'}; rows without a file: ${absent.join(', ') || 'none'}`);
  }
  const rows = files.map((f) => {
    const s = sources.get(f);
    // A row may name a tag with a note ("REL_15_18 tag (...)"): the ref is its first word.
    const commit = s.commit.split(/\s+/)[0];
    return [f, s.repo, commit, s.path_in_repo, s.license, sha256(readFileSync(join(corpusDir, f))), origin(s.obtained_via)].join('\t');
  });
  writeAtomic(manifestFile, `${COLUMNS.join('\t')}\n${rows.join('\n')}\n`);
  copyFileSync(join(corpusDir, 'LABELS.tsv'), labelsFile);
  return { files: rows.length };
}
