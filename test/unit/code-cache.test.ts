import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { defaultCodeCacheDir } from '../../server/src/core/schema/code-cache';

const REPO = resolve(__dirname, '..', '..');

/** A fresh process that validates a CNPG Cluster through the bundled registry, with the cache in `dir`. */
function run(dir: string): { stats: { accepted: number; rejected: number; written: number }; errors: string[] } {
  const script = `
    const { useCodeCache, codeCacheStats, flushCodeCache } = require('./server/src/core/schema/code-cache');
    const { createSchemaRegistry } = require('./server/src/core/schema/registry');
    const { compileSchema } = require('./server/src/core/schema/validate');
    useCodeCache(process.argv[1]);
    const match = createSchemaRegistry().schemaFor('postgresql.cnpg.io/v1', 'Cluster');
    const validate = compileSchema(match.schema);
    validate({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg' }, spec: { instances: '3', storage: { size: '1Gi' } } });
    const errors = validate.errors.map((e) => e.instancePath + ' ' + e.keyword);
    flushCodeCache();
    console.log(JSON.stringify({ stats: codeCacheStats, errors }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script, dir], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ReturnType<typeof run>;
}

test('the compiled validators are saved in the code cache, taken back by the next process with the same results, and replaced when stale or damaged', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hatopo-code-cache-'));
  const runtime = `-v8-${process.versions.v8}-${process.arch}.bin`;
  // Left by earlier versions: the same validator from an older schema (replaced), the same one for
  // another Node (kept), and another validator (kept).
  const older = `operator-postgresql.cnpg.io_Cluster.v1.schema.json-000000000000${runtime}`;
  const otherNode = 'operator-postgresql.cnpg.io_Cluster.v1.schema.json-000000000000-v8-1.0-x64.bin';
  const otherKind = `operator-postgresql.cnpg.io_Pooler.v1.schema.json-000000000000${runtime}`;
  for (const name of [older, otherNode, otherKind]) writeFileSync(join(dir, name), 'old');
  try {
    const first = run(dir);
    assert.deepEqual(first.stats, { accepted: 0, rejected: 0, written: 1 });
    const entries = readdirSync(dir).filter((n) => n !== otherNode && n !== otherKind);
    assert.deepEqual(readdirSync(dir).filter((n) => n === otherNode || n === otherKind).sort(), [otherNode, otherKind].sort());
    assert.equal(entries.length, 1, entries.join(', '));
    assert.match(entries[0], /^operator-postgresql\.cnpg\.io_Cluster\.v1\.schema\.json-[0-9a-f]{12}-v8-.+\.bin$/);
    assert.notEqual(entries[0], older);
    const second = run(dir);
    assert.deepEqual(second.stats, { accepted: 1, rejected: 0, written: 0 });
    assert.deepEqual(second.errors, first.errors);
    assert.ok(first.errors.includes('/spec/instances type'), first.errors.join(', '));
    // A damaged entry is refused by V8 and written again; validation is unaffected.
    writeFileSync(join(dir, entries[0]), 'not a code cache');
    const third = run(dir);
    assert.deepEqual(third.stats, { accepted: 0, rejected: 1, written: 1 });
    assert.deepEqual(third.errors, first.errors);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the cache folder: $HATOPO_CODE_CACHE, `off` for none, else hatopo/code-cache in the user cache folder', () => {
  assert.equal(defaultCodeCacheDir({ HATOPO_CODE_CACHE: '/x/cc' }), '/x/cc');
  assert.equal(defaultCodeCacheDir({ HATOPO_CODE_CACHE: 'off' }), undefined);
  assert.equal(defaultCodeCacheDir({ XDG_CACHE_HOME: '/c' }), join('/c', 'hatopo', 'code-cache'));
  assert.ok(defaultCodeCacheDir({})!.endsWith(join('.cache', 'hatopo', 'code-cache')));
});
