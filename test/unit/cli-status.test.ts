// The built CLI's `hatopo status` and `hatopo check --live` where no cluster is needed: usage
// errors, an endpoint that refuses connections (a port just closed), --watch appending to a pipe and
// redrawing on a terminal, and the password in a URL never shown. The live suite runs them on real clusters.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clusterStateErrors } from '../helpers/cluster-state';

const CLI = resolve(__dirname, '..', '..', 'dist', 'hatopo.js');
const SECRET = 'pw-Zq81x';
const dir = mkdtempSync(join(tmpdir(), 'hatopo-status-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A loopback port nothing listens on: one the system just gave out and that was closed again. */
function closedPort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

let port = 0;
before(async () => {
  port = await closedPort();
});

describe('hatopo status: usage', () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /no cluster given: --patroni URL/],
    [['--patroni'], /option '--patroni' needs a value/],
    [['--patroni', 'ftp://h'], /--patroni takes http:\/\/ or https:\/\/ URLs/],
    [['--format', 'xml', '--patroni', 'h'], /--format must be text or json, not 'xml'/],
    [['--interval', '1', '--patroni', 'h'], /--interval goes with --watch/],
    [['--watch', '--interval', '0', '--patroni', 'h'], /--interval takes seconds from 0\.1 to 3600/],
    [['--timeout', '2s', '--patroni', 'h'], /--timeout takes milliseconds/],
    [['--master', 'm', '--patroni', 'h'], /--master .* --sentinel/],
    [['--haproxy', '127.0.0.1:9999'], /for a TCP stats socket write tcp:\/\/127\.0\.0\.1:9999/],
    [['--postgres', 'db1'], /--postgres: 'db1' is neither/],
    [['--cacert', join(dir, 'none.pem'), '--patroni', 'h'], /--cacert: no such file/],
    [['extra', '--patroni', 'h'], /unexpected argument 'extra'/],
    [['--patroni', `http://u:${SECRET}@[broken`], /--patroni takes/],
  ];
  for (const [args, message] of cases) {
    test(`${args.join(' ') || '(nothing)'} → exit 2`, () => {
      const r = run(['status', ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^hatopo status: /);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /Run 'hatopo status --help' for usage\.\n$/);
      assert.ok(!r.stderr.includes(SECRET));
    });
  }
});

describe('hatopo status: an endpoint that refuses', () => {
  test('text: the error under the cluster, exit 2, no password anywhere', () => {
    const r = run(['status', '--patroni', `http://admin:${SECRET}@127.0.0.1:${port}`, '--timeout', '2000']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, new RegExp(`^http://127\\.0\\.0\\.1:${port} \\(patroni, http://127\\.0\\.0\\.1:${port}\\) — error · `));
    assert.match(r.stdout, new RegExp(`\\n {2}error: .*connection refused.*127\\.0\\.0\\.1:${port}`));
    assert.ok(!(r.stdout + r.stderr).includes(SECRET));
  });

  test('json: exactly the states, valid against the schema, several endpoints in order', () => {
    const env = { PATRONI_RESTAPI_PASSWORD: SECRET, REDISCLI_AUTH: SECRET, PGPASSWORD: SECRET };
    const r = run(['status', '--format', 'json', '--timeout', '2000', '--patroni', `127.0.0.1:${port}`, '--sentinel', `redis://:${SECRET}@127.0.0.1:${port}`, '--haproxy', `tcp://127.0.0.1:${port}`], env);
    assert.equal(r.code, 2, r.stderr);
    const states = JSON.parse(r.stdout) as Array<{ kind: string; error?: string; source: string }>;
    assert.deepEqual(clusterStateErrors(states), []);
    assert.deepEqual(states.map((s) => s.kind), ['patroni', 'sentinel', 'haproxy']);
    for (const s of states) assert.ok(s.error, `${s.kind} has an error`);
    assert.equal(states[1].source, `redis://127.0.0.1:${port}`);
    assert.ok(!(r.stdout + r.stderr).includes(SECRET));
  });
});

/** Runs `hatopo status --watch` until `reads` outputs came (counted by `count`), then sends SIGINT. */
function watch(args: string[], count: (out: string) => number, reads: number, wrap?: (argv: string[]) => string[]) {
  const argv = [process.execPath, CLI, 'status', '--watch', '--interval', '0.2', '--timeout', '1000', ...args];
  const [cmd, ...rest] = wrap ? wrap(argv) : argv;
  // script(1) runs the command through $SHELL -c; `exec` leaves no shell between the terminal and the CLI to take the Ctrl-C.
  const child = spawn(cmd, rest, { env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((done, fail) => {
    const killer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`no ${reads} reads within 15 s:\n${out}\n${err}`));
    }, 15_000);
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!signalled && count(out) >= reads) {
        signalled = true;
        // On a terminal (through `script`), Ctrl-C typed: the terminal sends SIGINT to the command.
        if (wrap) child.stdin.write('\x03');
        else child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      done({ code, signal, out, err });
    });
  });
}

describe('hatopo status --watch', () => {
  test('to a pipe: one JSON line per read, appended; SIGINT ends it with the status of the last read', async () => {
    const r = await watch(['--format', 'json', '--patroni', `http://127.0.0.1:${port}`], (o) => o.split('\n').filter(Boolean).length, 3);
    assert.equal(r.signal, null, 'it ends by itself, not killed by the signal');
    assert.equal(r.code, 2, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.ok(lines.length >= 3);
    for (const line of lines) {
      const states = JSON.parse(line) as unknown[];
      assert.deepEqual(clusterStateErrors(states), []);
      assert.equal(states.length, 1);
    }
    assert.ok(!r.out.includes('\x1b['));
  });

  test('a reader that goes away (| head -1) ends the watch by itself', async () => {
    const child = spawn(process.execPath, [CLI, 'status', '--watch', '--interval', '0.1', '--timeout', '500', '--format', 'json', '--patroni', `http://127.0.0.1:${port}`]);
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await new Promise<void>((done) => child.stdout.once('data', () => done()));
    child.stdout.destroy();
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(killer);
    assert.equal(code, 2, 'it ended by itself with the status of its last read, not killed');
  });

  test('on a terminal: the screen is cleared and the table drawn again in place', { skip: spawnSync('script', ['--version']).status !== 0 && 'script(1) is not installed' }, async () => {
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const r = await watch(['--patroni', `http://127.0.0.1:${port}`], (o) => o.split('\x1b[H\x1b[2J').length - 1, 2, (argv) => ['script', '-qfec', `exec ${argv.map(quote).join(' ')}`, '/dev/null']);
    const frames = r.out.split('\x1b[H\x1b[2J').slice(1);
    assert.ok(frames.length >= 2, JSON.stringify(r.out));
    for (const f of frames) assert.match(f, new RegExp(`^http://127\\.0\\.0\\.1:${port} \\(patroni`));
    assert.equal(r.code, 2);
  });
});

describe('hatopo check --live', () => {
  const file = join(dir, 'patroni.yml');
  before(() => writeFileSync(file, 'scope: demo\nname: pg1\netcd3:\n  hosts: 10.0.0.1:2379\n'));

  test('cluster options need --live, and --live needs a cluster', () => {
    const a = run(['check', '--patroni', 'h', file]);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /^hatopo check: the cluster options .* go with --live/);
    const b = run(['check', '--live', file]);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /^hatopo check: no cluster given/);
  });

  test('a cluster that cannot be read: said on stderr without the password, the files still checked, exit 2', () => {
    const r = run(['check', '--live', '--format', 'json', '--timeout', '2000', '--patroni', `http://u:${SECRET}@127.0.0.1:${port}`, file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^hatopo: cannot read patroni http://127\\.0\\.0\\.1:${port}: .*; its drift checks are skipped\\n$`));
    const out = JSON.parse(r.stdout) as { diagnostics: Array<{ code: string }> };
    assert.ok(out.diagnostics.every((d) => !d.code.startsWith('live/')));
    assert.ok(!(r.stdout + r.stderr).includes(SECRET));
  });
});
