import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { createEngine } from '../../server/src/core';
import { renderCheckDocs } from '../../scripts/check-docs';

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

test('check ids are unique, well formed and documented', () => {
  const checks = createEngine().checks();
  assert.ok(checks.length > 0);
  for (const c of checks) {
    assert.match(c.id, /^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/, c.id);
    assert.ok(c.title.length > 10, `${c.id} has a title`);
    assert.ok(c.summary.length > 40, `${c.id} has a summary`);
  }
});

test('the README lists every check and shows the current output of hatopo check examples/ (npm run docs)', async () => {
  const { checkOutputSection, checksSection, replaceSection } = await import('../../scripts/readme-sections');
  const readme = readFileSync(resolve(__dirname, '..', '..', 'README.md'), 'utf8');
  const fresh = replaceSection(replaceSection(readme, 'checks', checksSection()), 'check-output', checkOutputSection());
  assert.equal(readme, fresh, 'README.md generated sections are stale: run npm run docs');
});
