// Runs the node:test suites: `node test/run.mjs [suite ...]` (unit, corpus, lsp, differential, fuzz, live; e2e on demand).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { prepareCorpus } from '../scripts/corpus/fetch.mjs';

const root = new URL('.', import.meta.url).pathname;
const all = ['unit', 'corpus', 'lsp', 'differential', 'fuzz', 'live'];
// Real VS Code (code-server + Chromium, scripts/e2e-setup.sh): only when named.
const onDemand = ['e2e'];
const suites = process.argv.slice(2).length ? process.argv.slice(2) : all;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return walk(p);
    return p.endsWith('.test.ts') ? [p] : [];
  });
}

for (const s of suites) {
  if (!all.includes(s) && !onDemand.includes(s)) {
    console.error(`unknown suite '${s}'; expected one of ${[...all, ...onDemand].join(', ')}`);
    process.exit(2);
  }
}
// Live suites start real clusters on fixed loopback ports: one file at a time, after the others.
const serial = ['e2e', 'live'];
const files = suites.filter((s) => !serial.includes(s)).flatMap((s) => walk(join(root, s)).sort());
const liveFiles = suites.includes('live') ? walk(join(root, 'live')).sort() : [];
const e2eFiles = suites.includes('e2e') ? walk(join(root, 'e2e')).sort() : [];
if (files.length + liveFiles.length + e2eFiles.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// The corpus is found (or fetched into the cache) once here; the tests read the answer from
// HATOPO_CORPUS_STATE (test/helpers/corpus.ts). Without it, the tests that read it are skipped.
if (suites.some((s) => !['lsp', 'e2e', 'live'].includes(s))) {
  const state = await prepareCorpus({ repoRoot: resolve(root, '..'), env: process.env, log: (line) => console.log(line) });
  process.env.HATOPO_CORPUS_STATE = JSON.stringify(state);
  if (state.skip) console.log(`corpus suites skipped: ${state.skip}`);
  else console.log(`corpus: ${state.dir} (${state.source}${state.leftOut.length ? `; ${state.leftOut.length} files left out` : ''})`);
}
// One seed for every fuzz property of the run, printed so a failure can be replayed (test/fuzz/support/run.ts).
if (suites.includes('fuzz') && process.env.HATOPO_FUZZ_SEED === 'random') {
  process.env.HATOPO_FUZZ_SEED = String(Math.floor(Math.random() * 0x7fffffff));
  console.log(`fuzz seed: HATOPO_FUZZ_SEED=${process.env.HATOPO_FUZZ_SEED}`);
}
// Servers and CLIs the tests start keep no compile cache in the user's folder (code-cache.test.ts tests it).
process.env.HATOPO_CODE_CACHE ??= 'off';
// Nor any memory of clusters' members in the user's state folder (a test that needs it names its own).
process.env.HATOPO_STATE_DIR ??= 'off';
const run = (list, concurrency) => spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...list], { stdio: 'inherit' }).status ?? 1;
let status = files.length ? run(files, 2) : 0;
if (liveFiles.length) status = run(liveFiles, 1) || status;
// One code-server and one Chromium at a time: the typing test measures what a person would see.
if (e2eFiles.length) status = run(e2eFiles, 1) || status;
process.exit(status);
