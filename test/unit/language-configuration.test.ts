// The HAProxy language configuration's indentation rules, against the keyword catalog
// (VS Code applies them on Enter and while typing; test/e2e/editor.test.ts sees them at work).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const REPO = resolve(__dirname, '..', '..');
const config = JSON.parse(readFileSync(join(REPO, 'syntaxes', 'haproxy.language-configuration.json'), 'utf8')) as {
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
  folding: { markers: { start: string; end: string } };
};
const catalog = JSON.parse(readFileSync(join(REPO, 'schemas', 'haproxy', 'keywords.json'), 'utf8')) as { sectionHeaders: Record<string, unknown> };
const increase = new RegExp(config.indentationRules.increaseIndentPattern);
const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
const foldStart = new RegExp(config.folding.markers.start);

test('every section header of the catalog indents the next line, starts a fold, and is moved to column 1 when typed indented', () => {
  for (const header of Object.keys(catalog.sectionHeaders)) {
    for (const line of [header, `${header} name`, `${header} name # comment`]) {
      assert.ok(increase.test(line), `increase: ${line}`);
      assert.ok(foldStart.test(line), `fold: ${line}`);
    }
    assert.ok(decrease.test(`    ${header} name`), `decrease: ${header}`);
  }
});

test('a new line inside a section keeps its indentation: nothing outdents an empty line or a directive', () => {
  for (const line of ['', '    ', '\t', '    mode http', '    default_backend app', '    default-server check', '    http-request cache-use c', '    stick-table type ip size 1m peers mypeers', '# global comment']) {
    assert.ok(!decrease.test(line), `decrease: "${line}"`);
    assert.ok(!increase.test(line), `increase: "${line}"`);
  }
  // Words that merely begin like a header.
  for (const line of ['backends x', 'defaultsx', 'cache-use x', 'peer a 10.0.0.1:1024']) assert.ok(!increase.test(line), line);
});
