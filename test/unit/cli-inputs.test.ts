// What `hatopo check` reads and refuses: special files, symbolic links, sizes and counts of files.
// The built CLI (dist/hatopo.js, `npm run build` first), run on files written here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';

const CLI = resolve(__dirname, '..', '..', 'dist', 'hatopo.js');
const dir = mkdtempSync(join(tmpdir(), 'hatopo-cli-inputs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI; a run that hangs is killed and shows as `code: null`. */
function run(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, text: string | Buffer): string {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
  return name;
}

function mkfifo(name: string): string {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  const r = spawnSync('mkfifo', [join(dir, name)]);
  assert.equal(r.status, 0, String(r.stderr));
  return name;
}

function link(name: string, target: string): string {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  symlinkSync(target, join(dir, name));
  return name;
}

/** A file of `bytes` bytes that takes no room on disk (a hole). */
function sparse(name: string, bytes: number): string {
  write(name, '');
  truncateSync(join(dir, name), bytes);
  return name;
}

const DEFAULTS = 'defaults\n    mode tcp\n    timeout connect 5s\n    timeout client 30m\n    timeout server 30m\n';
const DUPLICATE = `${DEFAULTS}\nbackend pg\n    server pg1 10.0.0.1:5432 check\n    server pg1 10.0.0.2:5432 check\n`;

function files(stdout: string): string[] {
  return (JSON.parse(stdout) as { diagnostics: Array<{ file: string; code: string }> }).diagnostics.filter((d) => d.code === 'haproxy/duplicate-server').map((d) => d.file);
}

const posix = process.platform !== 'win32';

describe('special files', { skip: !posix && 'POSIX file types' }, () => {
  test('a FIFO, /dev/null or a socket named on the command line: exit 2, naming the path and what it is', async () => {
    mkfifo('named/haproxy.cfg');
    const socketPath = join(dir, 'named', 'haproxy.sock');
    const server = createServer();
    await new Promise<void>((done) => server.listen(socketPath, done));
    try {
      for (const [path, what] of [
        ['named/haproxy.cfg', /'named\/haproxy\.cfg': a FIFO \(named pipe\), not a regular file/],
        ['/dev/null', /'\/dev\/null': a character device, not a regular file/],
        ['named/haproxy.sock', /'named\/haproxy\.sock': a socket, not a regular file/],
      ] as const) {
        const r = run(['check', path]);
        assert.equal(r.code, 2, `${path}: ${r.stdout}${r.stderr}`);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, what);
      }
    } finally {
      server.close();
    }
  });

  test('a FIFO or a device found in a directory: reported on stderr, the other files checked, exit 2', () => {
    write('walk-special/haproxy.cfg', DUPLICATE);
    mkfifo('walk-special/pipe.cfg');
    link('walk-special/null.cfg', '/dev/null');
    const r = run(['check', 'walk-special']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /^walk-special\/haproxy\.cfg:9:12: error .*\[haproxy\/duplicate-server\]$/m);
    assert.match(r.stdout, /\(1 file checked\)/);
    assert.match(r.stderr, /^hatopo: walk-special\/pipe\.cfg: a FIFO \(named pipe\), not a regular file or directory; not checked$/m);
    assert.match(r.stderr, /^hatopo: walk-special\/null\.cfg: a character device, not a regular file or directory; not checked$/m);
  });

  test('a dangling symbolic link: named, exit 2 naming its target; found by the walk, a note and the walk goes on', () => {
    link('dangling/haproxy.cfg', '../nowhere/haproxy.cfg');
    write('dangling/lb/haproxy.cfg', DEFAULTS);
    const named = run(['check', 'dangling/haproxy.cfg']);
    assert.equal(named.code, 2, named.stderr);
    assert.match(named.stderr, /cannot read 'dangling\/haproxy\.cfg': a symbolic link to '\.\.\/nowhere\/haproxy\.cfg', which does not exist/);
    const walked = run(['check', 'dangling']);
    assert.equal(walked.code, 0, walked.stderr);
    assert.match(walked.stdout, /\(1 file checked\)/);
    assert.match(walked.stderr, /^hatopo: dangling\/haproxy\.cfg: a symbolic link to '\.\.\/nowhere\/haproxy\.cfg', which does not exist; not checked$/m);
  });
});

describe('symbolic links', { skip: !posix && 'POSIX symbolic links' }, () => {
  test('a link back to a parent folder: each file checked once, no error', () => {
    write('loop/haproxy.cfg', DUPLICATE);
    link('loop/sub/up', '..');
    const r = run(['check', '--format', 'json', 'loop']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(files(r.stdout), ['loop/haproxy.cfg']);
  });

  test('two links to the same folder in every folder (2^40 paths) end at once', () => {
    write('fork/haproxy.cfg', DEFAULTS);
    link('fork/a', '.');
    link('fork/b', '.');
    const r = run(['check', 'fork']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(1 file checked\)/);
  });

  test('a link to a folder or a file: its files are checked once, under the path met first', () => {
    write('aliased/real/haproxy.cfg', DUPLICATE);
    link('aliased/alias', 'real');
    link('aliased/haproxy-link.cfg', 'real/haproxy.cfg');
    const r = run(['check', '--format', 'json', 'aliased']);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(files(r.stdout), ['aliased/alias/haproxy.cfg']);
    const named = run(['check', '--format', 'json', 'aliased/haproxy-link.cfg', 'aliased/real/haproxy.cfg', 'aliased']);
    assert.deepEqual(files(named.stdout), ['aliased/haproxy-link.cfg']);
  });
});

describe('--config reads only a small regular file', { skip: !posix && 'POSIX file types' }, () => {
  mkdirSync(dir, { recursive: true });
  const CLEAN = write('config/haproxy.cfg', DEFAULTS);
  const cases: Array<[string, () => string, RegExp]> = [
    ['a FIFO', () => mkfifo('config/fifo.json'), /cannot read config 'config\/fifo\.json': a FIFO \(named pipe\), not a regular file/],
    ['/dev/zero', () => '/dev/zero', /cannot read config '\/dev\/zero': a character device, not a regular file/],
    ['a directory', () => 'config', /cannot read config 'config': a directory, not a regular file/],
    ['a file over 1 MiB', () => sparse('config/huge.json', 2 * 1024 * 1024), /cannot read config 'config\/huge\.json': larger than 1 MiB/],
  ];
  for (const [what, make, message] of cases) {
    test(`${what}: exit 2 at once, saying why`, () => {
      const r = run(['check', '--config', make(), CLEAN]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
    });
  }
});

describe('sizes and shapes of files', () => {
  test('a 50 MB single-line file is checked, named or found by the walk', () => {
    write('big/haproxy.cfg', `# ${'x'.repeat(50_000_000)}\n`);
    for (const path of ['big/haproxy.cfg', 'big']) {
      const r = run(['check', path]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /\(1 file checked\)/);
    }
    rmSync(join(dir, 'big'), { recursive: true });
  });

  test('a file over 64 MiB: named, exit 2 saying so; found by the walk, a note, and a failure when it is named like a configuration', () => {
    sparse('huge/haproxy.cfg', 65 * 1024 * 1024);
    write('huge/lb/haproxy.cfg', DEFAULTS);
    const named = run(['check', 'huge/haproxy.cfg']);
    assert.equal(named.code, 2, named.stderr);
    assert.match(named.stderr, /cannot read 'huge\/haproxy\.cfg': larger than 64 MiB/);
    const walked = run(['check', 'huge']);
    assert.equal(walked.code, 2, walked.stderr);
    assert.match(walked.stdout, /\(1 file checked\)/);
    assert.match(walked.stderr, /^hatopo: huge\/haproxy\.cfg: larger than 64 MiB.*; not checked$/m);
    rmSync(join(dir, 'huge', 'haproxy.cfg'));
    sparse('huge/dump.sql', 65 * 1024 * 1024);
    const data = run(['check', 'huge']);
    assert.equal(data.code, 0, data.stderr);
    assert.match(data.stderr, /^hatopo: huge\/dump\.sql: larger than 64 MiB.*; not checked$/m);
  });

  test('CRLF line ends and tab indentation give the same lines as LF; empty and binary files are no trouble', () => {
    write('shapes/lf/haproxy.cfg', DUPLICATE);
    write('shapes/crlf/haproxy.cfg', DUPLICATE.replace(/\n/g, '\r\n'));
    write('shapes/tabs/haproxy.cfg', DUPLICATE.replace(/^ {4}/gm, '\t'));
    write('shapes/empty/haproxy.cfg', '');
    write('shapes/binary/haproxy.cfg', Buffer.from([0x64, 0x65, 0x66, 0, 0xff, 0xfe, 0x0a, 0x00, 0x0d, 0x0a]));
    const r = run(['check', '--format', 'json', 'shapes']);
    assert.equal(r.code, 1, r.stderr);
    const lines = (JSON.parse(r.stdout) as { diagnostics: Array<{ file: string; code: string; range: { start: { line: number } } }> }).diagnostics
      .filter((d) => d.code === 'haproxy/duplicate-server')
      .map((d) => `${d.file}:${d.range.start.line}`);
    assert.deepEqual(lines, ['shapes/crlf/haproxy.cfg:8', 'shapes/lf/haproxy.cfg:8', 'shapes/tabs/haproxy.cfg:8']);
    for (const named of ['shapes/empty/haproxy.cfg', 'shapes/binary/haproxy.cfg']) {
      const one = run(['check', named]);
      assert.ok(one.code === 0 || one.code === 1, `${named}: ${one.stderr}`);
      assert.doesNotMatch(one.stderr, /internal error/);
      assert.match(one.stdout, /\(1 file checked\)/);
    }
  });

  test('20,000 small files are all checked (their time is a row of npm run bench)', () => {
    for (let d = 0; d < 100; d++) {
      mkdirSync(join(dir, 'many', `d${d}`), { recursive: true });
      for (let i = 0; i < 200; i++) writeFileSync(join(dir, 'many', `d${d}`, `haproxy-${i}.cfg`), DEFAULTS);
    }
    const r = run(['check', 'many']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(20000 files checked\)\n$/);
  });
});
