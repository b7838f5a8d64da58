import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { createEngine } from '../../server/src/core';
import { crdPattern, crdVersionToJsonSchema } from '../../server/src/core/schema/crd';
import { re2Error, REGEXP_MODULE } from '../../server/src/core/schema/regexp';
import { compileSchema } from '../../server/src/core/schema/validate';

const REPO = resolve(__dirname, '..', '..');

/** A CRD whose `spec.name` has `pattern`, and a resource of it whose `spec.name` is `value`, as one manifest. */
function manifest(pattern: string, value: string): string {
  return [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    '  name: gizmos.acme.io',
    'spec:',
    '  group: acme.io',
    '  names:',
    '    kind: Gizmo',
    '  versions:',
    '    - name: v1',
    '      schema:',
    '        openAPIV3Schema:',
    '          type: object',
    '          properties:',
    '            spec:',
    '              type: object',
    '              properties:',
    '                name:',
    '                  type: string',
    `                  pattern: ${JSON.stringify(pattern)}`,
    '---',
    'apiVersion: acme.io/v1',
    'kind: Gizmo',
    'metadata:',
    '  name: g',
    'spec:',
    `  name: ${JSON.stringify(value)}`,
    '',
  ].join('\n');
}

test('a CRD pattern that backtracks exponentially in JavaScript is evaluated in linear time, by the engine and by generated validators', () => {
  // Both in a child process, so that a regression fails on the time limit instead of hanging the suite.
  const script = `
    const { createEngine } = require('./server/src/core');
    const { crdVersionToJsonSchema } = require('./server/src/core/schema/crd');
    const { standaloneValidatorCode } = require('./server/src/core/schema/validate');
    const { loadWithCodeCache } = require('./server/src/core/schema/code-cache');
    const { PROVIDED_MODULES } = require('./server/src/core/schema/regexp');
    const fs = require('fs'), os = require('os'), path = require('path');
    const text = process.argv[1];
    const diagnostics = createEngine().validate({ uri: 'file:///redos/gizmo.yaml', text }).map((d) => d.code + ' ' + d.range.start.line);
    // The same pattern in a validator generated as the build generates them.
    const schema = crdVersionToJsonSchema({ type: 'object', properties: { spec: { type: 'object', properties: { name: { type: 'string', pattern: '^(a+)+$' } } } } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hatopo-redos-'));
    const file = path.join(dir, 'gizmo.js');
    fs.writeFileSync(file, standaloneValidatorCode(schema));
    const validate = loadWithCodeCache(file, 'gizmo', '0', PROVIDED_MODULES);
    validate({ apiVersion: 'acme.io/v1', kind: 'Gizmo', spec: { name: 'a'.repeat(40) + '!' } });
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(JSON.stringify({ diagnostics, generated: validate.errors.map((e) => e.instancePath + ' ' + e.keyword) }));
  `;
  const text = manifest('^(a+)+$', 'a'.repeat(40) + '!');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script, text], { cwd: REPO, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.signal, null, `still validating after 20 s (killed by ${r.signal})`);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { diagnostics: string[]; generated: string[] };
  assert.ok(out.diagnostics.includes('kubernetes/schema 26'), out.diagnostics.join(', '));
  assert.deepEqual(out.generated, ['/spec/name pattern']);
});

/** Whether `value` satisfies a CRD's `pattern` once converted and compiled as a workspace CRD is. */
function accepts(pattern: string, value: string): boolean {
  const schema = crdVersionToJsonSchema({ type: 'object', properties: { spec: { type: 'object', properties: { name: { type: 'string', pattern } } } } });
  return compileSchema(schema)({ spec: { name: value } }) as boolean;
}

test("CRD patterns mean what they mean to the API server (Go's RE2), not to JavaScript", () => {
  // Go's syntax that JavaScript lacks or reads otherwise.
  assert.equal(accepts('^[a-z]+\\z', 'abc'), true);
  assert.equal(accepts('^[a-z]+\\z', 'abc1'), false);
  assert.equal(accepts('^(?P<amount>[0-9]+)(?P<unit>ms|s)$', '250ms'), true);
  assert.equal(accepts('^(?P<amount>[0-9]+)(?P<unit>ms|s)$', '250h'), false);
  assert.equal(accepts('^\\Q1.5\\E$', '1.5'), true);
  assert.equal(accepts('^\\Q1.5\\E$', '105'), false);
  assert.equal(accepts('(?i)^on$', 'ON'), true);
  assert.equal(accepts('^[[:alpha:]]+$', 'abc'), true);
  assert.equal(accepts('^[[:alpha:]]+$', 'a1'), false);
  // RE2's \s is ASCII whitespace; JavaScript's also takes a no-break space.
  assert.equal(accepts('^\\s+$', '\u00a0'), false);
  assert.equal(accepts('^\\s+$', ' \t'), true);
  // Unanchored, as the API server matches: the pattern may match anywhere in the value.
  assert.equal(accepts('[0-9]', 'v1'), true);
});

test('a CRD pattern RE2 refuses (lookaround, backreferences) is reported as such and not used', () => {
  for (const p of ['^(?=.*[0-9]).+$', '^(?!tmp).*$', '(?<=v)1', '^(a)\\1$', 'x{1001}']) {
    assert.ok(re2Error(p), p);
    assert.equal(crdPattern(p), undefined, p);
  }
  assert.match(re2Error('^(?=.*[0-9]).+$')!, /\(\?=/);
  // Dropped rather than read with JavaScript's meaning: a value the lookahead would refuse passes.
  assert.equal(accepts('^(?=.*[0-9]).+$', 'letters'), true);
  // The rest of the schema still applies.
  const schema = crdVersionToJsonSchema({ type: 'object', properties: { spec: { type: 'object', properties: { name: { type: 'string', pattern: '^(?=x)' } } } } });
  assert.equal(compileSchema(schema)({ spec: { name: 3 } }), false);
});

test('kubernetes/crd-pattern reports, at the pattern, a CRD pattern RE2 refuses; not one it reads, nor any of the bundled CRDs', () => {
  const engine = createEngine();
  const codes = (text: string, uri = 'file:///crd-pattern/gizmo.yaml') => engine.validate({ uri, text }).map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`);
  assert.ok(codes(manifest('^(?=.*[0-9]).+$', 'x1')).includes('kubernetes/crd-pattern 19:27'));
  assert.ok(codes(manifest('^(a)\\1$', 'aa')).includes('kubernetes/crd-pattern 19:27'));
  for (const ok of ['^[a-z]+\\z', '^(?P<n>x)$', '^(a+)+$', '^[[:print:]]+$']) assert.deepEqual(codes(manifest(ok, 'x')).filter((c) => c.startsWith('kubernetes/crd-pattern')), [], ok);
  const crds = join(REPO, 'schemas', 'crds');
  for (const f of readdirSync(crds).filter((n) => n.endsWith('.yaml'))) {
    assert.deepEqual(codes(readFileSync(join(crds, f), 'utf8'), `file:///crds/${f}`).filter((c) => c.startsWith('kubernetes/crd-pattern')), [], f);
  }
});

test('the bundled schemas keep the spelling JavaScript reads too, where RE2 reads it the same', () => {
  assert.equal(crdPattern('^[[:print:]]+$', true), '^[\\x20-\\x7E]+$');
  assert.equal(crdPattern('^[[:print:]]+$'), '^[[:print:]]+$');
  assert.equal(crdPattern('^[a-z]+\\z', true), '^[a-z]+\\z');
  assert.equal(crdPattern('^(?=x)', true), undefined);
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

test('every validator compiled at build time evaluates patterns with the engine’s RE2, never with RegExp', () => {
  const validators = files(join(REPO, 'schemas', 'generated', 'validators')).filter((f) => f.endsWith('.js'));
  assert.ok(validators.length > 10, 'run `npm run build`');
  let withPatterns = 0;
  for (const f of validators) {
    const code = readFileSync(f, 'utf8');
    assert.doesNotMatch(code, /new RegExp\(|RegExp\(/, f);
    if (code.includes(`require(${JSON.stringify(REGEXP_MODULE)})`)) withPatterns++;
  }
  assert.ok(withPatterns >= 5, `validators requiring ${REGEXP_MODULE}: ${withPatterns}`);
});
