import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { fetchCorpus, prepareCorpus } from '../../scripts/corpus/fetch.mjs';
import { COLUMNS, manifestHash, readManifest, sha256, writeManifest } from '../../scripts/corpus/manifest.mjs';
import { cacheFolder, resolveCorpus } from '../../scripts/corpus/resolve.mjs';
import { fixtureFiles, readFixture } from '../helpers/fixtures';

const REPO = resolve(__dirname, '..', '..');
const CLI = join(REPO, 'scripts', 'corpus.mjs');
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
/** Served with other bytes than the manifest's sha256 says. */
const DAMAGED = 'haproxy/web.cfg';
/** Served as a truncated response: the connection closes halfway through the body. */
const CUT = 'kubernetes/redis-operators.yaml';

const files = [...fixtureFiles('haproxy'), ...fixtureFiles('kubernetes')];
const work = mkdtempSync(join(tmpdir(), 'hatopo-corpus-fetch-'));
const requests: string[] = [];
let server: Server;
let base = '';
let cut = false;

/** The fixtures as a manifest: repository example/fixtures at COMMIT, one row with a wrong sha256. */
function writeTestManifest(file: string): void {
  const rows = files.map((f) => [f, 'example/fixtures', COMMIT, f, 'MIT', f === DAMAGED ? sha256('other bytes') : sha256(readFixture(f)), 'git'].join('\t'));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${COLUMNS.join('\t')}\n${rows.join('\n')}\n`);
}

/** A repository folder with that manifest, and no ../shared/corpus beside it. */
function fakeRepo(name: string): string {
  const repo = join(work, name, 'main');
  writeTestManifest(join(repo, 'test', 'corpus', 'MANIFEST.tsv'));
  writeFileSync(join(repo, 'test', 'corpus', 'LABELS.tsv'), 'local_path\ttool\texit_code\tfirst_error_line\tclass\tnote\n');
  return repo;
}

function serve(req: IncomingMessage, res: ServerResponse): void {
  requests.push(req.url ?? '');
  const m = /^\/example\/fixtures\/([0-9a-f]{40})\/(.+)$/.exec(req.url ?? '');
  const rel = m && decodeURIComponent(m[2]);
  if (!rel || !files.includes(rel)) {
    res.writeHead(404).end('404: Not Found');
    return;
  }
  const body = Buffer.from(readFixture(rel));
  if (cut && rel === CUT) {
    res.writeHead(200, { 'content-length': body.length });
    res.write(body.subarray(0, body.length >> 1), () => res.destroy());
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

const run = promisify(execFile);
async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every file below `dir`, relative to it. */
function tree(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? tree(dir, join(rel, d.name)) : [join(rel, d.name)]));
}

before(async () => {
  server = createServer(serve);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(work, { recursive: true, force: true });
});

test("the repository's manifest names every labelled file once, with source, license and sha256", () => {
  const entries = readManifest(join(REPO, 'test', 'corpus', 'MANIFEST.tsv'));
  const paths = entries.map((e) => e.path);
  assert.equal(new Set(paths).size, paths.length);
  assert.ok(entries.length >= 180, `${entries.length} files`);
  for (const e of entries) assert.ok(e.repo && e.commit && e.pathInRepo && e.license && ['git', 'stored-text', 'debian-package'].includes(e.origin), e.path);
  const labelled = readFileSync(join(REPO, 'test', 'corpus', 'LABELS.tsv'), 'utf8').split('\n').slice(1).filter(Boolean).map((r) => r.split('\t')[0]);
  assert.deepEqual(labelled.filter((p) => !paths.includes(p)), []);
});

test('fetch: verified files land in the cache; a sha256 mismatch is reported and left out, not a failure', async () => {
  const manifest = join(work, 'fetch', 'MANIFEST.tsv');
  writeTestManifest(manifest);
  const cacheRoot = join(work, 'fetch', 'cache');
  const r = await cli(['fetch', '--manifest', manifest, '--cache-root', cacheRoot], { HATOPO_CORPUS_URL: base });
  assert.equal(r.code, 0, r.stderr);
  const dir = cacheFolder({ HATOPO_CORPUS_CACHE: cacheRoot }, manifest);
  assert.deepEqual(tree(dir).filter((f) => !f.startsWith('.')).sort(), files.filter((f) => f !== DAMAGED).sort());
  const mismatch = r.stdout.split('\n').filter((l) => l.includes(DAMAGED));
  assert.equal(mismatch.length, 1, r.stdout);
  assert.ok(mismatch[0].includes(sha256('other bytes')) && mismatch[0].includes(sha256(readFixture(DAMAGED))), 'the line gives the expected and the received sha256');
  for (const f of files.filter((x) => x !== DAMAGED)) assert.equal(readFileSync(join(dir, f), 'utf8'), readFixture(f));

  // The cache is then the corpus, less the file left out.
  const found = resolveCorpus({ repoRoot: join(work, 'fetch', 'nowhere'), env: { HATOPO_CORPUS_CACHE: cacheRoot }, manifest });
  assert.equal(found.skip, undefined);
  assert.deepEqual(found.skip === undefined && [found.source, found.dir, found.leftOut], ['cache', dir, [DAMAGED]]);

  // A second fetch downloads nothing it has: only the file left out is asked again.
  const before = requests.length;
  const again = await cli(['fetch', '--manifest', manifest, '--cache-root', cacheRoot], { HATOPO_CORPUS_URL: base });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(requests.slice(before).map((u) => u.split('/').slice(4).join('/')), [DAMAGED]);
});

test('fetch: an unreachable server is one line on stderr and an exit code, and writes nothing', async () => {
  const manifest = join(work, 'down', 'MANIFEST.tsv');
  writeTestManifest(manifest);
  const cacheRoot = join(work, 'down', 'cache');
  const r = await cli(['fetch', '--manifest', manifest, '--cache-root', cacheRoot], { HATOPO_CORPUS_URL: `http://127.0.0.1:${await closedPort()}` });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^corpus fetch failed: http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  assert.equal(existsSync(cacheRoot), false);
});

test('fetch: a server that never answers is given up after the timeout, in one line', async () => {
  // Reads the request and never answers; its connections are closed at the end.
  const held = new Set<Socket>();
  const silent = createTcpServer((socket) => {
    held.add(socket);
    socket.resume();
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const manifest = join(work, 'silent', 'MANIFEST.tsv');
    writeTestManifest(manifest);
    const started = Date.now();
    const r = await cli(['fetch', '--manifest', manifest, '--cache-root', join(work, 'silent', 'cache')], {
      HATOPO_CORPUS_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      HATOPO_CORPUS_TIMEOUT_MS: '300',
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^corpus fetch failed: .*no answer within 0\.3 s\n$/);
    assert.ok(Date.now() - started < 20_000);
  } finally {
    for (const socket of held) socket.destroy();
    await new Promise((r) => silent.close(r));
  }
});

test('fetch: a download cut short leaves no file behind, whole or partial, and the cache is not used', async () => {
  const manifest = join(work, 'cut', 'MANIFEST.tsv');
  writeTestManifest(manifest);
  const env = { HATOPO_CORPUS_CACHE: join(work, 'cut', 'cache') };
  const dir = cacheFolder(env, manifest);
  cut = true;
  try {
    const r = await fetchCorpus({ entries: readManifest(manifest), dir, hash: manifestHash(manifest), baseUrl: base, timeoutMs: 5000 });
    assert.equal(r.ok, false);
    assert.deepEqual(r.failed.map((f) => f.path), [CUT]);
    assert.match(r.error ?? '', new RegExp(`1 of ${files.length} files got no answer \\(first: ${CUT}`));
  } finally {
    cut = false;
  }
  assert.equal(existsSync(join(dir, CUT)), false);
  assert.deepEqual(tree(dir).filter((f) => f.includes('.tmp-')), []);
  const found = resolveCorpus({ repoRoot: join(work, 'cut', 'nowhere'), env, manifest });
  assert.match(found.skip ?? '', new RegExp(`${files.length - 2} of ${files.length} files`));
});

test('the test command: $HATOPO_CORPUS, then ../shared/corpus, then the cache, else fetch; without network, one line why', async () => {
  const repo = fakeRepo('order');
  const own = join(work, 'own-corpus');
  mkdirSync(own, { recursive: true });
  const cache = { HATOPO_CORPUS_CACHE: join(work, 'order', 'cache') };

  const down = await prepareCorpus({ repoRoot: repo, env: { ...cache, HATOPO_CORPUS_URL: `http://127.0.0.1:${await closedPort()}` } });
  assert.ok(down.skip);
  assert.doesNotMatch(down.skip, /\n/);
  assert.match(down.skip, /fetching failed \(.*ECONNREFUSED.*\); run `node scripts\/corpus\.mjs fetch`/);

  const fetched = await prepareCorpus({ repoRoot: repo, env: { ...cache, HATOPO_CORPUS_URL: base } });
  assert.deepEqual(fetched.skip === undefined && [fetched.source, fetched.leftOut], ['cache', [DAMAGED]]);
  // Once complete, the cache is used without a request.
  const before = requests.length;
  assert.equal((await prepareCorpus({ repoRoot: repo, env: { ...cache, HATOPO_CORPUS_URL: base } })).skip, undefined);
  assert.equal(requests.length, before);

  const beside = join(work, 'order', 'shared', 'corpus');
  mkdirSync(beside, { recursive: true });
  const found = resolveCorpus({ repoRoot: repo, env: cache });
  assert.deepEqual(found.skip === undefined && [found.source, found.dir], ['../shared/corpus', beside]);
  const chosen = resolveCorpus({ repoRoot: repo, env: { ...cache, HATOPO_CORPUS: own } });
  assert.deepEqual(chosen.skip === undefined && [chosen.source, chosen.dir, chosen.labels], ['HATOPO_CORPUS', own, join(repo, 'test', 'corpus', 'LABELS.tsv')]);
  const wrong = await prepareCorpus({ repoRoot: repo, env: { ...cache, HATOPO_CORPUS: join(work, 'no-such-folder') } });
  assert.match(wrong.skip ?? '', /^HATOPO_CORPUS=.*no-such-folder is not a folder; /);

  const off = await prepareCorpus({ repoRoot: fakeRepo('off'), env: { HATOPO_CORPUS_CACHE: join(work, 'off', 'cache'), HATOPO_CORPUS_FETCH: '0' } });
  assert.match(off.skip ?? '', /fetching is off/);
});

test('write-manifest: one row per file from SOURCES.tsv, with its sha256; a file without a source is refused', () => {
  const corpus = join(work, 'write', 'corpus');
  mkdirSync(join(corpus, 'haproxy'), { recursive: true });
  writeFileSync(join(corpus, 'haproxy', 'a.cfg'), 'global\n');
  writeFileSync(join(corpus, 'LABELS.tsv'), 'local_path\ttool\n');
  writeFileSync(join(corpus, 'README.md'), 'notes\n');
  writeFileSync(
    join(corpus, 'SOURCES.tsv'),
    'local_path\trepo\tpath_in_repo\tcommit\tlicense\tobtained_via\nhaproxy/a.cfg\texample/lb\tetc/a.cfg\tREL_1 tag (a note)\tMIT\tfetch snapshot + git show (byte-exact)\n',
  );
  const out = join(work, 'write', 'MANIFEST.tsv');
  assert.deepEqual(writeManifest(corpus, out, join(work, 'write', 'LABELS.tsv')), { files: 1 });
  assert.deepEqual(readManifest(out), [{ path: 'haproxy/a.cfg', repo: 'example/lb', commit: 'REL_1', pathInRepo: 'etc/a.cfg', license: 'MIT', sha256: sha256('global\n'), origin: 'git' }]);
  assert.equal(readFileSync(join(work, 'write', 'LABELS.tsv'), 'utf8'), 'local_path\ttool\n');
  writeFileSync(join(corpus, 'haproxy', 'b.cfg'), 'defaults\n');
  assert.throws(() => writeManifest(corpus, out, join(work, 'write', 'LABELS.tsv')), /without a SOURCES.tsv row: haproxy\/b\.cfg/);
});
