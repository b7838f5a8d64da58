#!/usr/bin/env node
// The test corpus: `node scripts/corpus.mjs fetch | where | write-manifest <folder>` (see test/corpus/README.md).
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { fetchCorpus, fetchOptions } from './corpus/fetch.mjs';
import { manifestHash, readManifest, writeManifest } from './corpus/manifest.mjs';
import { cacheFolder, manifestFile, repoLabelsFile, resolveCorpus } from './corpus/resolve.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: node scripts/corpus.mjs <command> [options]

commands:
  fetch                    download the files named in test/corpus/MANIFEST.tsv into the cache,
                           verifying each sha256 (a mismatch is reported and the file left out)
  where                    say which corpus the tests would use, or why there is none
  write-manifest <folder>  rewrite test/corpus/MANIFEST.tsv and LABELS.tsv from a corpus folder
                           (its files, SOURCES.tsv and LABELS.tsv)

options:
  --manifest <file>        another manifest (default test/corpus/MANIFEST.tsv)
  --cache-root <folder>    the cache root (default $HATOPO_CORPUS_CACHE, else
                           $XDG_CACHE_HOME/hatopo/corpus or ~/.cache/hatopo/corpus)

environment: HATOPO_CORPUS_URL (default https://raw.githubusercontent.com), HATOPO_CORPUS_TIMEOUT_MS
(per request, default 15000), HATOPO_CORPUS, HATOPO_CORPUS_CACHE`;

function parse(argv) {
  const args = { positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--manifest' || a === '--cache-root') args[a.slice(2)] = argv[++i];
    else if (a === '-h' || a === '--help') args.help = true;
    else if (a.startsWith('--') && !args.command) args.command = a.slice(2); // --write-manifest, --fetch
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else if (!args.command) args.command = a;
    else args.positional.push(a);
  }
  return args;
}

async function main() {
  const args = parse(process.argv.slice(2));
  if (args.help || !args.command) {
    console.log(USAGE);
    return args.help ? 0 : 2;
  }
  const env = args['cache-root'] ? { ...process.env, HATOPO_CORPUS_CACHE: args['cache-root'] } : process.env;
  const manifest = args.manifest ? resolve(args.manifest) : manifestFile(REPO);
  switch (args.command) {
    case 'fetch': {
      const dir = cacheFolder(env, manifest);
      const entries = readManifest(manifest);
      const r = await fetchCorpus({ entries, dir, hash: manifestHash(manifest), log: (l) => console.log(l), ...fetchOptions(env) });
      if (!r.ok) {
        console.error(`corpus fetch failed: ${r.error}`);
        return 1;
      }
      console.log(`corpus: ${r.verified} of ${entries.length} files verified in ${dir}${r.leftOut.length ? `; ${r.leftOut.length} left out` : ''}`);
      return 0;
    }
    case 'where': {
      const found = resolveCorpus({ repoRoot: REPO, env, manifest });
      if (found.skip) {
        console.log(`no corpus: ${found.skip}`);
        return 1;
      }
      console.log(`${found.dir} (${found.source}; labels ${found.labels}${found.leftOut.length ? `; left out: ${found.leftOut.join(', ')}` : ''})`);
      return 0;
    }
    case 'write-manifest': {
      const [folder] = args.positional;
      if (!folder) throw new Error('write-manifest needs the corpus folder');
      const out = args.manifest ? manifest : manifestFile(REPO);
      const labels = args.manifest ? join(dirname(out), 'LABELS.tsv') : repoLabelsFile(REPO);
      const { files } = writeManifest(resolve(folder), out, labels);
      console.log(`wrote ${out} (${files} files) and ${labels}`);
      return 0;
    }
    default:
      throw new Error(`unknown command ${args.command}\n${USAGE}`);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`corpus: ${err.message}`);
    process.exit(2);
  },
);
