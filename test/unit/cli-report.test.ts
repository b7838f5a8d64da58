// The CLI's renderers on hand-built diagnostics, so related locations are covered whichever checks fill them.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import type { CheckInfo, Diagnostic } from '../../server/src/core';
import type { FileDiagnostic } from '../../cli/src/report';
import { formatJson, formatSarif, formatText, sortDiagnostics, toFileDiagnostic } from '../../cli/src/report';

const uriOf = (path: string) => pathToFileURL(resolve(path)).href;
const range = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });
const DOCS = 'https://example.invalid/docs/checks/';

const duplicate: Diagnostic = {
  file: uriOf('lb/haproxy.cfg'),
  range: range(8, 11, 14),
  severity: 'error',
  code: 'haproxy/duplicate-server',
  source: 'hatopo',
  message: 'duplicate',
  codeDescription: { href: `${DOCS}haproxy/duplicate-server.md` },
  related: [
    { file: uriOf('lb/haproxy.cfg'), range: range(7, 11, 14), message: 'first defined here' },
    { file: uriOf('other/haproxy-extra.cfg'), range: range(2, 4, 9), message: 'also here' },
  ],
};
const plain: Diagnostic = {
  file: uriOf('lb/haproxy.cfg'),
  range: range(2, 20, 24),
  severity: 'warning',
  code: 'haproxy/time-suffix',
  source: 'hatopo',
  message: 'suffix',
  codeDescription: { href: `${DOCS}haproxy/time-suffix.md` },
};
const CHECKS: CheckInfo[] = [
  { id: 'haproxy/duplicate-server', kind: 'haproxy', defaultSeverity: 'error', title: 'Duplicate server', summary: 'Servers need distinct names.' },
  { id: 'haproxy/time-suffix', kind: 'haproxy', defaultSeverity: 'warning', title: 'Time suffix', summary: 'One unit per value.' },
];

// The first file as the user named it; the second was not among the files given.
const given = new Map([[uriOf('lb/haproxy.cfg'), './lb/haproxy.cfg']]);
const diags: FileDiagnostic[] = sortDiagnostics([duplicate, plain].map((d) => toFileDiagnostic(d, (u) => given.get(u))));

describe('CLI renderers: related locations', () => {
  test('paths: files given keep their spelling, others are relative to the current directory', () => {
    const d = diags.find((x) => x.code === 'haproxy/duplicate-server')!;
    assert.equal(d.path, './lb/haproxy.cfg');
    assert.deepEqual(
      d.related?.map((r) => r.path),
      ['./lb/haproxy.cfg', 'other/haproxy-extra.cfg'],
    );
    assert.equal(diags.find((x) => x.code === 'haproxy/time-suffix')!.related, undefined);
  });

  test('text: one indented line per related location, 1-based, under its diagnostic', () => {
    const lines = formatText(diags, 1, false).split('\n');
    const at = lines.findIndex((l) => l.startsWith('./lb/haproxy.cfg:9:12: error'));
    assert.ok(at > 0, lines.join('\n'));
    assert.equal(lines[at + 1], '  related: ./lb/haproxy.cfg:8:12: first defined here');
    assert.equal(lines[at + 2], '  related: other/haproxy-extra.cfg:3:5: also here');
    assert.match(lines[at - 1], /^\.\/lb\/haproxy\.cfg:3:21: warning /);
    assert.equal(lines.filter((l) => l.startsWith('  related: ')).length, 2);
  });

  test('JSON: related beside the diagnostic, absent when there is none', () => {
    const out = JSON.parse(formatJson(diags)) as { diagnostics: Array<Record<string, unknown>> };
    const [warning, error] = out.diagnostics;
    assert.equal(warning.code, 'haproxy/time-suffix');
    assert.equal('related' in warning, false);
    assert.deepEqual(warning.codeDescription, { href: `${DOCS}haproxy/time-suffix.md` });
    assert.deepEqual(error.related, [
      { file: './lb/haproxy.cfg', range: range(7, 11, 14), message: 'first defined here' },
      { file: 'other/haproxy-extra.cfg', range: range(2, 4, 9), message: 'also here' },
    ]);
  });

  test('SARIF: relatedLocations with id, message and a 1-based physical location', () => {
    const run = JSON.parse(formatSarif(diags, CHECKS, '0.0.0', DOCS)).runs[0];
    const [warning, error] = run.results;
    assert.equal(warning.relatedLocations, undefined);
    assert.deepEqual(error.relatedLocations, [
      {
        id: 0,
        message: { text: 'first defined here' },
        physicalLocation: {
          artifactLocation: { uri: 'lb/haproxy.cfg', uriBaseId: 'SRCROOT' },
          region: { startLine: 8, startColumn: 12, endLine: 8, endColumn: 15 },
        },
      },
      {
        id: 1,
        message: { text: 'also here' },
        physicalLocation: {
          artifactLocation: { uri: 'other/haproxy-extra.cfg', uriBaseId: 'SRCROOT' },
          region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 10 },
        },
      },
    ]);
    assert.deepEqual(error.locations[0].physicalLocation.region, { startLine: 9, startColumn: 12, endLine: 9, endColumn: 15 });
    assert.deepEqual(
      run.tool.driver.rules.map((r: { id: string; helpUri: string }) => [r.id, r.helpUri]),
      CHECKS.map((c) => [c.id, `${DOCS}${c.id}.md`]),
    );
  });

  test('an empty related list renders as none', () => {
    const d = toFileDiagnostic({ ...plain, related: [] }, (u) => given.get(u));
    assert.equal(d.related, undefined);
    assert.equal(formatText([d], 1, false).includes('related:'), false);
  });
});
