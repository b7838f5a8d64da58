import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { decodeEntry, defaultCodeCacheDir, encodeEntry } from '../../server/src/core/schema/code-cache';

const REPO = resolve(__dirname, '..', '..');

interface Run {
  stats: { accepted: number; rejected: number; damaged: number; written: number };
  errors: string[];
}

/** A fresh process that validates CNPG Clusters through the bundled registry, with the cache in `dir`. */
function start(dir: string) {
  const script = `
    const { useCodeCache, codeCacheStats, flushCodeCache } = require('./server/src/core/schema/code-cache');
    const { createSchemaRegistry } = require('./server/src/core/schema/registry');
    const { compileSchema } = require('./server/src/core/schema/validate');
    const { parseAllDocuments } = require('yaml');
    useCodeCache(process.argv[1]);
    const match = createSchemaRegistry().schemaFor('postgresql.cnpg.io/v1', 'Cluster');
    const validate = compileSchema(match.schema);
    const fixture = parseAllDocuments(require('fs').readFileSync('test/fixtures/kubernetes/cnpg-cluster.yaml', 'utf8'))[0].toJS();
    const errors = [];
    for (const value of [fixture, { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg' }, spec: { instances: '3', storage: { size: '1Gi' } } }]) {
      validate(value);
      errors.push(...(validate.errors ?? []).map((e) => e.instancePath + ' ' + e.keyword));
    }
    flushCodeCache();
    console.log(JSON.stringify({ stats: codeCacheStats, errors }));
  `;
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', script, dir], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
}

function run(dir: string): Run {
  const r = start(dir);
  assert.equal(r.signal, null, `the process was killed by ${r.signal}: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Run;
}

const runtime = `-v8-${process.versions.v8}-${process.arch}`;

test('the compiled validators are saved in the code cache, taken back by the next process with the same results, and replaced when stale or damaged', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hatopo-code-cache-'));
  // Left by earlier versions: the same validator from an older schema (replaced), the same one in
  // the format without a header (replaced), the same one for another Node (kept), and another
  // validator (kept).
  const older = `operator-postgresql.cnpg.io_Cluster.v1.schema.json-000000000000${runtime}.cache`;
  const headerless = `operator-postgresql.cnpg.io_Cluster.v1.schema.json-000000000000${runtime}.bin`;
  const otherNode = 'operator-postgresql.cnpg.io_Cluster.v1.schema.json-000000000000-v8-1.0-x64.cache';
  const otherKind = `operator-postgresql.cnpg.io_Pooler.v1.schema.json-000000000000${runtime}.cache`;
  for (const name of [older, headerless, otherNode, otherKind]) writeFileSync(join(dir, name), 'old');
  try {
    const first = run(dir);
    assert.deepEqual(first.stats, { accepted: 0, rejected: 0, damaged: 0, written: 1 });
    const entries = readdirSync(dir).filter((n) => n !== otherNode && n !== otherKind);
    assert.deepEqual(readdirSync(dir).filter((n) => n === otherNode || n === otherKind).sort(), [otherNode, otherKind].sort());
    assert.equal(entries.length, 1, entries.join(', '));
    assert.match(entries[0], /^operator-postgresql\.cnpg\.io_Cluster\.v1\.schema\.json-[0-9a-f]{12}-v8-.+\.cache$/);
    assert.notEqual(entries[0], older);
    const second = run(dir);
    assert.deepEqual(second.stats, { accepted: 1, rejected: 0, damaged: 0, written: 0 });
    assert.deepEqual(second.errors, first.errors);
    assert.ok(first.errors.includes('/spec/instances type'), first.errors.join(', '));
    // Something else under the entry's name is refused and written again; validation is unaffected.
    writeFileSync(join(dir, entries[0]), 'not a code cache');
    const third = run(dir);
    assert.deepEqual(third.stats, { accepted: 0, rejected: 1, damaged: 1, written: 1 });
    assert.deepEqual(third.errors, first.errors);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Copies of an entry damaged where V8 would not notice: bytes zeroed or flipped past the headers, or the end cut off. */
function damaged(entry: Buffer): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  const at = (i: number, n: number) => 200 + Math.floor(((entry.length - 600) * (i + 1)) / (n + 1));
  for (let i = 0; i < 7; i++) {
    const b = Buffer.from(entry);
    b.fill(0, at(i, 7), at(i, 7) + 256);
    out.push([`256 bytes zeroed at ${at(i, 7)}`, b]);
  }
  for (let i = 0; i < 7; i++) {
    const b = Buffer.from(entry);
    b[at(i, 7)] ^= 0xff;
    out.push([`byte flipped at ${at(i, 7)}`, b]);
  }
  for (let i = 0; i < 6; i++) out.push([`cut at ${at(i, 6)}`, entry.subarray(0, at(i, 6))]);
  return out;
}

test('an entry damaged on disk never crashes a run: it is refused before V8 runs it, written again, and the rewritten entry is taken by the next run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hatopo-code-cache-damaged-'));
  try {
    const first = run(dir);
    const [name] = readdirSync(dir);
    const good = readFileSync(join(dir, name));
    let kind = '';
    for (const [what, bytes] of damaged(good)) {
      writeFileSync(join(dir, name), bytes);
      const r = start(dir);
      assert.equal(r.signal, null, `${what}: the process was killed by ${r.signal}`);
      assert.equal(r.status, 0, `${what}: exit status ${r.status}: ${r.stderr}`);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Run;
      assert.deepEqual(out.stats, { accepted: 0, rejected: 1, damaged: 1, written: 1 }, what);
      assert.deepEqual(out.errors, first.errors, what);
      if (what.split(' ')[0] !== kind) {
        kind = what.split(' ')[0];
        const next = run(dir);
        assert.deepEqual(next.stats, { accepted: 1, rejected: 0, damaged: 0, written: 0 }, `after ${what}`);
        assert.deepEqual(next.errors, first.errors);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an entry is taken only whole and for the very source it was made from', () => {
  const source = Buffer.from('module.exports = 1;');
  const payload = Buffer.from('compiled code');
  const entry = encodeEntry(source, payload);
  assert.deepEqual(decodeEntry(source, entry), payload);
  // V8 checks only the length of the source: another source of the same length is refused here.
  assert.equal(decodeEntry(Buffer.from('module.exports = 2;'), entry), undefined);
  assert.equal(decodeEntry(source, entry.subarray(0, entry.length - 1)), undefined);
  assert.equal(decodeEntry(source, Buffer.concat([entry, Buffer.from([0])])), undefined);
  assert.equal(decodeEntry(source, entry.subarray(0, 20)), undefined);
  assert.equal(decodeEntry(source, payload), undefined);
  const flipped = Buffer.from(entry);
  flipped[flipped.length - 3] ^= 1;
  assert.equal(decodeEntry(source, flipped), undefined);
});

test('the cache folder: $HATOPO_CODE_CACHE, `off` for none, else hatopo/code-cache in the user cache folder', () => {
  assert.equal(defaultCodeCacheDir({ HATOPO_CODE_CACHE: '/x/cc' }), '/x/cc');
  assert.equal(defaultCodeCacheDir({ HATOPO_CODE_CACHE: 'off' }), undefined);
  assert.equal(defaultCodeCacheDir({ XDG_CACHE_HOME: '/c' }), join('/c', 'hatopo', 'code-cache'));
  assert.ok(defaultCodeCacheDir({})!.endsWith(join('.cache', 'hatopo', 'code-cache')));
});
