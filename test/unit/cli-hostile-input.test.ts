// The built CLI (dist/hatopo.js, `npm run build` first) on files its YAML readers find hostile:
// every file is validated or reported as not validated, and never exits 0 on one it did not validate.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const CLI = resolve(__dirname, '..', '..', 'dist', 'hatopo.js');
const dir = mkdtempSync(join(tmpdir(), 'hatopo-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface JsonDiagnostic {
  file: string;
  range: { start: { line: number; character: number } };
  code: string;
}

function check(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const diagnostics = r.stdout ? (JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics : [];
  return { code: r.status, stderr: r.stderr, stdout: r.stdout, found: diagnostics.map((d) => `${d.file} ${d.range.start.line}:${d.range.start.character} ${d.code}`) };
}

function write(name: string, bytes: Buffer | string): string {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), bytes);
  return name;
}

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  a: 1\n';
// patroni/timing on line 9 (0-based 8).
const PATRONI = 'scope: demo\nrestapi:\n  listen: 0.0.0.0:8008\n  connect_address: 10.0.0.1:8008\netcd3:\n  hosts: 10.0.0.5:2379\nbootstrap:\n  dcs:\n    ttl: 20\n    loop_wait: 10\n    retry_timeout: 10\n';
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

test('a manifest with a UTF-8 byte-order mark is checked, at the columns an editor shows', () => {
  const f = write('bom/cm.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CONFIGMAP)]));
  const r = check(f);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stderr, '');
  assert.deepEqual(r.found, [`${f} 5:5 kubernetes/unquoted-string`]);
});

test('a UTF-16 patroni.yml: its problems are reported, and that Patroni cannot read UTF-16; also when found in a folder', () => {
  const f = write('u16/patroni.yml', utf16le(PATRONI));
  write('u16/cm.yaml', utf16le(CONFIGMAP));
  const r = check(f);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(r.found, [`${f} 0:0 patroni/syntax`, `${f} 8:4 patroni/timing`]);
  const walked = check('u16');
  assert.deepEqual(walked.found, ['u16/cm.yaml 5:5 kubernetes/unquoted-string', `${f} 0:0 patroni/syntax`, `${f} 8:4 patroni/timing`]);
});

test('bytes that are not UTF-8: an error where they stand in a Patroni file; a manifest is read as kubectl reads it', () => {
  const p = write('bad/patroni.yml', Buffer.concat([Buffer.from('scope: d'), Buffer.from([0xff]), Buffer.from(PATRONI.slice('scope: de'.length))]));
  const r = check(p);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(r.found, [`${p} 0:8 patroni/syntax`, `${p} 8:4 patroni/timing`]);
  const k = write('bad/cm.yaml', Buffer.concat([Buffer.from(CONFIGMAP), Buffer.from('  b: "x'), Buffer.from([0xc3, 0x28]), Buffer.from('"\n')]));
  assert.deepEqual(check(k).found, [`${k} 5:5 kubernetes/unquoted-string`]);
});

test('a NUL in a YAML file found in a folder is reported, not skipped as binary', () => {
  write('nul/cm.yaml', CONFIGMAP.replace('name: a', 'name: "a\0"'));
  const r = check('nul');
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(r.found, ['nul/cm.yaml 3:10 kubernetes/syntax', 'nul/cm.yaml 5:5 kubernetes/unquoted-string']);
});

test('a patroni.yml with lone CR line breaks is read as Patroni reads it', () => {
  const f = write('cr/patroni.yml', PATRONI.replace(/\n/g, '\r'));
  // A comment first: the `yaml` library alone would read the whole file as that comment.
  const g = write('cr/patroni-commented.yml', ('# member\n' + PATRONI).replace(/\n/g, '\r'));
  const r = check(f, g);
  // patroni/timing is a warning.
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(r.found, [`${g} 9:4 patroni/timing`, `${f} 8:4 patroni/timing`]);
});

test('2,000 nested keys: the other document is still checked, and the run exits 2', () => {
  let deep = CONFIGMAP + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n';
  for (let i = 0; i < 2000; i++) deep += ' '.repeat(i + 2) + `k${i}:\n`;
  const f = write('deep/cm.yaml', deep);
  const r = check(f);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(r.found[0], `${f} 5:5 kubernetes/unquoted-string`);
  assert.deepEqual(r.found.slice(1).map((s) => s.split(' ')[2]), ['hatopo/not-validated']);
  // The text report names the file; SARIF has a rule for it.
  const text = spawnSync(process.execPath, [CLI, 'check', f], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(text.status, 2);
  assert.match(text.stdout, /^deep\/cm\.yaml:\d+:\d+: error .*\[hatopo\/not-validated\]$/m);
  const sarif = spawnSync(process.execPath, [CLI, 'check', '--format', 'sarif', f], { cwd: dir, encoding: 'utf8' });
  const run = (JSON.parse(sarif.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; ruleIndex?: number }> }> }).runs[0];
  const result = run.results.find((x) => x.ruleId === 'hatopo/not-validated')!;
  assert.equal(run.tool.driver.rules[result.ruleIndex!].id, 'hatopo/not-validated');
});
