// Runs the node:test suites: `node test/run.mjs [suite ...]` (unit, corpus, lsp, differential).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('.', import.meta.url).pathname;
const all = ['unit', 'corpus', 'lsp', 'differential'];
const suites = process.argv.slice(2).length ? process.argv.slice(2) : all;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return walk(p);
    return p.endsWith('.test.ts') ? [p] : [];
  });
}

const files = suites.flatMap((s) => {
  if (!all.includes(s)) {
    console.error(`unknown suite '${s}'; expected one of ${all.join(', ')}`);
    process.exit(2);
  }
  return walk(join(root, s)).sort();
});
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// Servers and CLIs the tests start keep no compile cache in the user's folder (code-cache.test.ts tests it).
process.env.HATOPO_CODE_CACHE ??= 'off';
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
