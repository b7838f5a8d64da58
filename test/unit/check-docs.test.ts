import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { createEngine } from '../../server/src/core';
import type { Check, FormatSupport } from '../../server/src/core';
import { FORMATS } from '../../server/src/core/formats';
import { checksSettingSchema, renderCheckDocs } from '../../scripts/check-docs';
import pkg from '../../package.json';

const DOCS = resolve(__dirname, '..', '..', 'docs', 'checks');

test('every check has a documentation page that is up to date (npm run docs)', () => {
  const pages = renderCheckDocs();
  for (const [path, content] of pages) {
    let onDisk = '';
    try {
      onDisk = readFileSync(resolve(DOCS, path), 'utf8');
    } catch {
      assert.fail(`docs/checks/${path} is missing: run npm run docs`);
    }
    assert.equal(onDisk, content, `docs/checks/${path} is stale: run npm run docs`);
  }
});

test("package.json's hatopo.checks setting lists every check id, and no other (npm run docs)", () => {
  const schema = pkg.contributes.configuration.properties['hatopo.checks'] as { properties: Record<string, unknown>; additionalProperties: unknown };
  assert.deepEqual(schema, checksSettingSchema(), 'package.json is stale: run npm run docs');
  assert.deepEqual(Object.keys(schema.properties).sort(), [...new Set(createEngine().checks().map((c) => c.id))].sort());
  assert.equal(schema.additionalProperties, false);
});

/** The ids of a registry of checks that more than one check object carries. */
function repeatedIds(registry: Record<string, readonly Check<unknown>[]>): string[] {
  const owner = new Map<string, Check<unknown>>();
  const repeated = new Set<string>();
  for (const checks of Object.values(registry)) {
    const inThisFormat = new Set<string>();
    for (const c of checks) {
      // Within one format an id is listed once; across formats only the very same check may share it.
      if (inThisFormat.has(c.id) || (owner.has(c.id) && owner.get(c.id) !== c)) repeated.add(c.id);
      inThisFormat.add(c.id);
      owner.set(c.id, c);
    }
  }
  return [...repeated];
}

test('check ids are unique in the registry, well formed and documented', () => {
  const registry = Object.fromEntries(Object.entries(FORMATS).map(([kind, f]) => [kind, (f as FormatSupport<unknown>).checks]));
  assert.deepEqual(repeatedIds(registry), []);
  const all = Object.values(registry).flat();
  assert.ok(all.length > 90, `${all.length} checks`);
  for (const c of all) {
    assert.match(c.id, /^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/, c.id);
    assert.ok(c.docs.title.length > 10, `${c.id} has a title`);
    assert.ok(c.docs.summary.length > 40, `${c.id} has a summary`);
  }
  // The engine lists each check once.
  assert.equal(createEngine().checks().length, new Set(all).size);
});

test('the registry test notices a repeated id', () => {
  const [a, b] = FORMATS.haproxy.checks as readonly Check<unknown>[];
  assert.deepEqual(repeatedIds({ haproxy: [a, b, { ...a }] }), [a.id]);
  assert.deepEqual(repeatedIds({ haproxy: [a, a] }), [a.id]);
  assert.deepEqual(repeatedIds({ haproxy: [a], redis: [{ ...a }] }), [a.id]);
  assert.deepEqual(repeatedIds({ sentinel: [a], redis: [a] }), []);
});

test('the README lists every check and shows the current output of hatopo check examples/ (npm run docs)', async () => {
  const { checkOutputSection, checksSection, replaceSection } = await import('../../scripts/readme-sections');
  const readme = readFileSync(resolve(__dirname, '..', '..', 'README.md'), 'utf8');
  const fresh = replaceSection(replaceSection(readme, 'checks', checksSection()), 'check-output', checkOutputSection());
  assert.equal(readme, fresh, 'README.md generated sections are stale: run npm run docs');
});
