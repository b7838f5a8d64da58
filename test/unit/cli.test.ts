// The built CLI (dist/hatopo.js, `npm run build` first) run as a user runs it, on small files written here.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { version } from '../../package.json';

const CLI = resolve(__dirname, '..', '..', 'dist', 'hatopo.js');
const dir = mkdtempSync(join(tmpdir(), 'hatopo-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, text: string): string {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
  return name;
}

const DEFAULTS = 'defaults\n    mode tcp\n    timeout connect 5s\n    timeout client 30m\n    timeout server 30m\n';
// Line 9 repeats the server name of line 8 (an error); line 8 also gets the detection-time information.
const ERROR = write('haproxy-error.cfg', `${DEFAULTS}\nbackend pg\n    server pg1 10.0.0.1:5432 check\n    server pg1 10.0.0.2:5432 check\n`);
// "4sec" on line 3: a warning only.
const WARN = write('haproxy-warn.cfg', DEFAULTS.replace('connect 5s', 'connect 4sec'));
const CLEAN = write('haproxy-clean.cfg', DEFAULTS);

interface JsonDiagnostic {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  source: string;
  message: string;
  codeDescription?: { href: string };
  related?: Array<{ file: string; range: JsonDiagnostic['range']; message: string }>;
}

function checkJson(...paths: string[]): { code: number | null; diagnostics: JsonDiagnostic[] } {
  const r = run(['check', '--format', 'json', ...paths]);
  assert.equal(r.stderr, '');
  const out = JSON.parse(r.stdout) as { version: number; diagnostics: JsonDiagnostic[] };
  assert.deepEqual(Object.keys(out).sort(), ['diagnostics', 'version']);
  assert.equal(out.version, 1);
  return { code: r.code, diagnostics: out.diagnostics };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }>;
}

const isRange = (r: JsonDiagnostic['range']) => [r.start.line, r.start.character, r.end.line, r.end.character].every((n) => Number.isInteger(n) && n >= 0);

describe('hatopo check: exit status and reports', () => {
  test('an error exits 1, warnings only and a clean file exit 0', () => {
    const e = run(['check', ERROR]);
    assert.equal(e.code, 1, e.stderr);
    assert.match(e.stdout, /^haproxy-error\.cfg:9:12: error .*\[haproxy\/duplicate-server\]$/m);
    assert.match(e.stdout, /^1 error, 0 warnings, 1 info in 1 file \(1 file checked\)$/m);
    const w = run(['check', WARN]);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stdout, /^haproxy-warn\.cfg:3:21: warning .*\[haproxy\/time-suffix\]$/m);
    const c = run(['check', CLEAN]);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stdout, '0 errors, 0 warnings, 0 info in 0 files (1 file checked)\n');
    assert.equal(run(['check', CLEAN, WARN, ERROR]).code, 1);
  });

  test('JSON: the documented shape, codes and 0-based ranges', () => {
    const { code, diagnostics } = checkJson(ERROR, WARN, CLEAN);
    assert.equal(code, 1);
    const allowed = ['file', 'range', 'severity', 'code', 'source', 'message', 'codeDescription', 'related'];
    for (const d of diagnostics) {
      assert.deepEqual(
        Object.keys(d).filter((k) => !allowed.includes(k)),
        [],
        JSON.stringify(d),
      );
      assert.equal(typeof d.file, 'string');
      assert.ok(isRange(d.range), JSON.stringify(d.range));
      assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity));
      assert.match(d.code, /^[a-z]+\/[a-z0-9-]+$/);
      assert.equal(d.source, 'hatopo');
      assert.equal(typeof d.message, 'string');
      // Each code links to its page of docs/checks/, which exists.
      assert.match(d.codeDescription!.href, new RegExp(`^file:.*/docs/checks/${d.code}\\.md$`));
      assert.ok(existsSync(fileURLToPath(d.codeDescription!.href)), d.codeDescription!.href);
      for (const r of d.related ?? []) {
        assert.deepEqual(Object.keys(r).sort(), ['file', 'message', 'range']);
        assert.ok(isRange(r.range) && typeof r.file === 'string' && typeof r.message === 'string');
      }
    }
    const brief = diagnostics.map((d) => [d.file, d.code, d.severity, d.range.start.line, d.range.start.character, d.range.end.character]);
    assert.deepEqual(brief, [
      ['haproxy-error.cfg', 'haproxy/detection-time', 'information', 7, 11, 14],
      ['haproxy-error.cfg', 'haproxy/duplicate-server', 'error', 8, 11, 14],
      ['haproxy-warn.cfg', 'haproxy/time-suffix', 'warning', 2, 20, 24],
    ]);
  });

  test('SARIF 2.1.0: driver, one rule per reported check, levels and 1-based regions', () => {
    const { diagnostics } = checkJson(ERROR, WARN);
    const r = run(['check', '--format=sarif', ERROR, WARN]);
    assert.equal(r.code, 1, r.stderr);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(sarif.runs.length, 1);
    const [runOut] = sarif.runs;
    assert.equal(runOut.tool.driver.name, 'hatopo');
    assert.equal(runOut.tool.driver.version, version);
    const rules = runOut.tool.driver.rules as Array<{ id: string; helpUri: string }>;
    assert.deepEqual(rules.map((x) => x.id).sort(), [...new Set(diagnostics.map((d) => d.code))].sort());
    for (const rule of rules) assert.equal(rule.helpUri, diagnostics.find((d) => d.code === rule.id)!.codeDescription!.href);
    const LEVEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
    assert.equal(runOut.results.length, diagnostics.length);
    (runOut.results as SarifResult[]).forEach((res, i) => {
      const d = diagnostics[i];
      assert.equal(res.ruleId, d.code);
      assert.equal(rules[res.ruleIndex].id, d.code);
      assert.equal(res.level, LEVEL[d.severity]);
      assert.equal(typeof res.message.text, 'string');
      const loc = res.locations[0].physicalLocation;
      assert.deepEqual(loc.artifactLocation, { uri: d.file, uriBaseId: 'SRCROOT' });
      assert.deepEqual(loc.region, {
        startLine: d.range.start.line + 1,
        startColumn: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
      });
    });
    assert.deepEqual([...new Set((runOut.results as SarifResult[]).map((x) => x.level))].sort(), ['error', 'note', 'warning']);
  });

  test('a directory with nothing to report exits 0 in every format', () => {
    write('empty/notes.txt', 'nothing here\n');
    const r = run(['check', 'empty']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0 errors, 0 warnings/);
    assert.deepEqual(JSON.parse(run(['check', '--format', 'json', 'empty']).stdout), { version: 1, diagnostics: [] });
    const s = JSON.parse(run(['check', '--format=sarif', 'empty']).stdout);
    assert.equal(s.version, '2.1.0');
    assert.deepEqual(s.runs[0].results, []);
  });

  test('the walk skips hidden, dependency and build folders', () => {
    const bad = `${DEFAULTS}\nbackend pg\n    server a 10.0.0.1:5432 check\n    server a 10.0.0.2:5432 check\n`;
    for (const skipped of ['node_modules', 'vendor', 'dist', '.git', '.hidden']) write(`tree/${skipped}/haproxy.cfg`, bad);
    write('tree/lb/haproxy.cfg', DEFAULTS);
    const r = run(['check', 'tree']);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /\(1 file checked\)/);
  });

  test('--config and --haproxy-version apply', () => {
    write('quiet.json', '{"checks": {"haproxy/time-suffix": "off"}, "haproxy": {"version": "3.0"}}');
    assert.deepEqual(checkJson('--config', 'quiet.json', WARN).diagnostics, []);
    // The editor's settings.json spelling, its other settings left alone.
    write('vscode.json', '{"hatopo.checks": {"haproxy/time-suffix": "off"}, "hatopo.haproxy.version": "3.0", "hatopo.live.enabled": true, "hatopo.clusters": []}');
    assert.deepEqual(checkJson('--config', 'vscode.json', WARN).diagnostics, []);
    assert.notDeepEqual(checkJson(WARN).diagnostics, []);
    assert.equal(run(['check', '--haproxy-version', '3.2', '--no-color', CLEAN]).code, 0);
  });

  test('piping into a reader that stops early prints no EPIPE trace', async () => {
    const child = spawn(process.execPath, [CLI, 'check', '--format', 'sarif', ERROR], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    // Nobody reads stdout: every write the CLI makes fails with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    assert.equal(stderr, '');
    assert.equal(code, 1);
  });
});

describe('hatopo: usage', () => {
  test('--help, -h, help and --version exit 0 on stdout', () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const h = run(args);
      assert.equal(h.code, 0, args.join(' '));
      assert.equal(h.stderr, '');
      assert.match(h.stdout, /hatopo check \[options\] PATH\.\.\./);
      assert.match(h.stdout, /hatopo lsp --stdio/);
    }
    const v = run(['--version']);
    assert.equal(v.code, 0);
    assert.equal(v.stdout, `${version}\n`);
  });

  test('the help of every command listed exits 0', () => {
    const names = [...run(['--help']).stdout.matchAll(/^ {2}hatopo ([a-z]+) /gm)].map((m) => m[1]).filter((n) => n !== 'help');
    assert.deepEqual(names.slice(0, 2), ['check', 'lsp']);
    for (const name of names) {
      for (const args of [
        [name, '--help'],
        [name, '-h'],
        ['help', name],
        ['--help', name],
        [name, '--bogus', '--help'],
      ]) {
        const r = run(args);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
        assert.equal(r.stderr, '');
        assert.match(r.stdout, new RegExp(`^Usage: hatopo ${name} `));
        assert.match(r.stdout, /^ {2}-h, --help/m);
      }
    }
  });

  write('array.json', '[1, 2]');
  write('number.json', '42');
  write('broken.json', '{"checks": ');
  write('loud.json', '{"checks": {"haproxy/time-suffix": "loud"}}');
  write('old.json', '{"haproxy": {"version": "1.0"}}');
  write('typo.json', '{"cheks": {"haproxy/time-suffix": "off"}}');
  write('typo-id.json', '{"checks": {"haproxy/time-sufix": "off"}}');
  write('engine-id.json', '{"checks": {"hatopo/not-validated": "off"}}');
  write('typo-field.json', '{"haproxy": {"verison": "3.0"}}');
  write('not-object.json', '{"checks": ["haproxy/time-suffix"]}');
  // [arguments, what the message must say, the --help it points to]
  const cases: Array<[string[], RegExp, string]> = [
    [[], /missing command/, 'hatopo'],
    [['chek', '.'], /unknown command 'chek'; did you mean 'check'\?/, 'hatopo'],
    [['frobnicate'], /unknown command 'frobnicate'$/m, 'hatopo'],
    [['--bogus'], /unknown option '--bogus'/, 'hatopo'],
    [['help', 'nope'], /unknown command 'nope'/, 'hatopo'],
    [['--version', 'check'], /unexpected argument 'check' after --version/, 'hatopo'],
    [['check', '--bogus', '.'], /unknown option '--bogus'$/m, 'hatopo check'],
    [['check', '--formt', 'json', '.'], /unknown option '--formt'; did you mean '--format'\?/, 'hatopo check'],
    [['check', '-x', '.'], /unknown option '-x'/, 'hatopo check'],
    [['check', '.', '--format'], /option '--format' needs a value/, 'hatopo check'],
    [['check', '--config', '--no-color', '.'], /option '--config' needs a value/, 'hatopo check'],
    [['check', '--no-color=yes', '.'], /option '--no-color' takes no value/, 'hatopo check'],
    [['check', '--format', 'xml', '.'], /--format must be text, json or sarif, not 'xml'/, 'hatopo check'],
    [['check', '--format=', '.'], /--format must be text, json or sarif, not ''/, 'hatopo check'],
    [['check', '--haproxy-version', '1.0', '.'], /--haproxy-version must be one of 2\.6, .*not '1\.0'/, 'hatopo check'],
    [['check', '--haproxy-version', '99.99', '.'], /--haproxy-version must be one of .*not '99\.99'/, 'hatopo check'],
    [['check', '--haproxy-version', 'latest', '.'], /--haproxy-version must be one of .*not 'latest'/, 'hatopo check'],
    [['check', '--config', 'missing.json', '.'], /cannot read config 'missing\.json'/, 'hatopo check'],
    [['check', '--config', 'broken.json', '.'], /config 'broken\.json' is not valid JSON/, 'hatopo check'],
    [['check', '--config', 'array.json', '.'], /config 'array\.json' must hold a JSON object, not an array/, 'hatopo check'],
    [['check', '--config', 'number.json', '.'], /config 'number\.json' must hold a JSON object, not a number/, 'hatopo check'],
    [['check', '--config', 'loud.json', '.'], /config 'loud\.json' is invalid: .*loud/, 'hatopo check'],
    [['check', '--config', 'typo.json', '.'], /config 'typo\.json' is invalid: unknown setting 'cheks'; did you mean 'checks'\?/, 'hatopo check'],
    [['check', '--config', 'typo-id.json', '.'], /unknown check 'haproxy\/time-sufix'; did you mean 'haproxy\/time-suffix'\?/, 'hatopo check'],
    [['check', '--config', 'engine-id.json', '.'], /'hatopo\/not-validated' cannot be configured/, 'hatopo check'],
    [['check', '--config', 'typo-field.json', '.'], /unknown setting 'haproxy\.verison'; did you mean 'haproxy\.version'\?/, 'hatopo check'],
    [['check', '--config', 'not-object.json', '.'], /'checks' must be an object, not \["haproxy\/time-suffix"\]/, 'hatopo check'],
    [['check', '--config', 'old.json', '.'], /haproxy\.version in config 'old\.json' must be one of .*not '1\.0'/, 'hatopo check'],
    [['check'], /no file or directory given/, 'hatopo check'],
    [['check', ''], /an empty path names no file/, 'hatopo check'],
    [['check', CLEAN, ''], /an empty path names no file/, 'hatopo check'],
    [['check', 'missing.cfg'], /cannot read 'missing\.cfg': no such file or directory/, 'hatopo check'],
    [['lsp'], /a transport is needed: --stdio/, 'hatopo lsp'],
    [['lsp', 'extra', '--stdio'], /unexpected argument 'extra'/, 'hatopo lsp'],
    [['lsp', '--stdio', '--node-ipc'], /only one transport/, 'hatopo lsp'],
    [['lsp', '--socket=http'], /--socket takes a port number/, 'hatopo lsp'],
  ];
  for (const [args, message, where] of cases) {
    test(`bad usage: hatopo ${args.map((a) => (a === '' ? "''" : a)).join(' ')}`, () => {
      const r = run(args);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.startsWith(`${where}: `), r.stderr);
      assert.match(r.stderr, message);
      assert.ok(r.stderr.endsWith(`Run '${where} --help' for usage.\n`), r.stderr);
    });
  }
});

describe('files only named like a Patroni configuration', () => {
  const fixtures = resolve(__dirname, '..', 'fixtures', 'named-like-patroni');

  test('a Helm values file, a docker-compose file and Ansible variables named postgres*.yml: exit 0, no diagnostic', () => {
    const r = run(['check', '--format', 'json', fixtures]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { diagnostics: unknown[] }).diagnostics, []);
  });

  test('named on the command line, it is reported as not checked, with the reason, and the run fails', () => {
    const r = run(['check', join(fixtures, 'postgresql-values.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /postgresql-values\.yaml: named like a Patroni configuration.*not checked/);
  });
});
