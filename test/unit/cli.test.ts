import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';

const CLI = resolve(__dirname, '..', '..', 'dist', 'hatopo.js');
const dir = mkdtempSync(join(tmpdir(), 'hatopo-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('hatopo CLI', () => {
  test('--help and --version exit 0', () => {
    const h = run(['--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /hatopo check/);
    const v = run(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout.trim(), /^\d+\.\d+\.\d+$/);
  });

  test('bad usage exits 2 with a message on stderr', () => {
    for (const args of [['frobnicate'], ['check'], ['check', '--format', 'xml', '.'], ['check', '--bogus', '.'], ['lsp']]) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^hatopo: /);
    }
  });

  test('an unreadable path exits 2', () => {
    const r = run(['check', join(dir, 'missing.cfg')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing\.cfg/);
  });

  test('a directory with nothing to report exits 0 and says so', () => {
    writeFileSync(join(dir, 'notes.txt'), 'nothing here\n');
    const r = run(['check', '.']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0 errors, 0 warnings/);
    const j = run(['check', '--format', 'json', '.']);
    assert.deepEqual(JSON.parse(j.stdout), { version: 1, diagnostics: [] });
    const s = JSON.parse(run(['check', '--format=sarif', '.']).stdout);
    assert.equal(s.version, '2.1.0');
    assert.equal(s.runs[0].tool.driver.name, 'hatopo');
  });

  test('an invalid --config is bad usage', () => {
    writeFileSync(join(dir, 'bad.json'), '{"checks": {"x/y": "loud"}}');
    const r = run(['check', '--config', 'bad.json', '.']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /loud/);
  });
});
