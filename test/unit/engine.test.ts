import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEngine, DEFAULT_SETTINGS, isAnalysisFailure } from '../../server/src/core';
import type { Check, FormatSupport } from '../../server/src/core';
import { LineIndex } from '../../server/src/core/line-index';
import { findSuppressions } from '../../server/src/core/suppressions';

interface Lines {
  lines: string[];
}

const wordCheck: Check<Lines> = {
  id: 'haproxy/test-word',
  defaultSeverity: 'warning',
  docs: { title: 'test', summary: 'test' },
  check(ctx) {
    let offset = 0;
    for (const line of ctx.model.lines) {
      const i = line.indexOf('bad');
      if (i >= 0) ctx.report({ start: offset + i, end: offset + i + 3, message: 'bad word', fixes: [{ title: 'Replace with good', edits: [{ start: offset + i, end: offset + i + 3, newText: 'good' }] }] });
      offset += line.length + 1;
    }
  },
};

const brokenCheck: Check<Lines> = {
  id: 'haproxy/test-broken',
  defaultSeverity: 'error',
  docs: { title: 'test', summary: 'test' },
  check() {
    throw new Error('boom');
  },
};

const format: FormatSupport<Lines> = {
  kind: 'haproxy',
  parse: (file) => ({ lines: file.text.split('\n') }),
  checks: [wordCheck],
  hover: () => {
    throw new Error('hover boom');
  },
};

function makeEngine(fmt: FormatSupport<Lines> = format) {
  const errors: string[] = [];
  const engine = createEngine({
    logger: { info: () => undefined, error: (m) => errors.push(m) },
    docsBase: 'file:///docs/checks/',
    formats: { haproxy: fmt as FormatSupport<unknown> },
  });
  return { engine, errors };
}

const uri = 'file:///w/haproxy.cfg';

test('a check that throws is logged and reported as an internal error; the others still report', () => {
  const { engine, errors } = makeEngine({ ...format, checks: [brokenCheck, wordCheck] });
  const diags = engine.validate({ uri, text: 'ok\nthis is bad\n' });
  assert.deepEqual(
    diags.map((d) => [d.code, d.range.start.line, d.range.start.character, d.severity]),
    [
      ['hatopo/internal-error', 0, 0, 'error'],
      ['haproxy/test-word', 1, 8, 'warning'],
    ],
  );
  assert.ok(isAnalysisFailure(diags[0].code));
  assert.equal(diags[1].source, 'hatopo');
  assert.equal(diags[1].codeDescription?.href, 'file:///docs/checks/haproxy/test-word.md');
  assert.equal(diags[0].codeDescription?.href, 'file:///docs/checks/hatopo/internal-error.md');
  assert.equal(errors.length, 1);
  assert.match(errors[0], /haproxy\/test-broken.*boom/s);
  // Neither settings nor suppression comments hide it.
  const quiet = { ...DEFAULT_SETTINGS, checks: { 'hatopo/internal-error': 'off' as const } };
  assert.deepEqual(
    engine.validate({ uri, text: '# hatopo-disable-file hatopo/internal-error\n' }, quiet).map((d) => d.code),
    ['hatopo/internal-error'],
  );
});

test('a file whose reading throws is reported, not dropped; its next edit is read again', () => {
  let fail = true;
  const { engine, errors } = makeEngine({
    ...format,
    parse: (file) => {
      if (fail) throw new RangeError('Maximum call stack size exceeded');
      return { lines: file.text.split('\n') };
    },
  });
  const diags = engine.validate({ uri, text: 'bad\n' });
  assert.deepEqual(
    diags.map((d) => [d.code, d.range.start.line, d.severity]),
    [['hatopo/internal-error', 0, 'error']],
  );
  assert.match(errors[0], /Maximum call stack/);
  fail = false;
  assert.deepEqual(
    engine.validate({ uri, text: 'bad \n' }).map((d) => d.code),
    ['haproxy/test-word'],
  );
});

test('a region check that throws is reported on every run until it stops throwing', () => {
  let fail = true;
  const regionBroken: Check<Lines> = { ...brokenCheck, id: 'haproxy/test-region', scope: 'region', check: () => { if (fail) throw new Error('region boom'); } };
  const incremental = {
    regions: (m: Lines) => m.lines.map((_, i) => ({ id: { i }, start: i, end: i + 1 })),
    restrict: (m: Lines) => m,
  };
  const { engine } = makeEngine({ ...format, checks: [regionBroken, wordCheck], incremental });
  assert.ok(engine.validate({ uri, text: 'a\nb\nc\nd\n' }).some((d) => d.code === 'hatopo/internal-error'));
  assert.ok(engine.validate({ uri, text: 'a\nb\nc\ne\n' }).some((d) => d.code === 'hatopo/internal-error'));
  fail = false;
  assert.ok(!engine.validate({ uri, text: 'a\nb\nc\nf\n' }).some((d) => d.code === 'hatopo/internal-error'));
});

test('a feature that throws answers nothing instead of failing', () => {
  const { engine, errors } = makeEngine();
  assert.equal(engine.hover({ uri, text: 'bad' }, { line: 0, character: 0 }), undefined);
  assert.match(errors[0], /hover boom/);
});

test('severity overrides re-grade and turn checks off', () => {
  const { engine } = makeEngine();
  const s = { ...DEFAULT_SETTINGS, checks: { 'haproxy/test-word': 'error' as const, 'haproxy/test-broken': 'off' as const } };
  assert.equal(engine.validate({ uri, text: 'bad' }, s)[0].severity, 'error');
  const off = { ...DEFAULT_SETTINGS, checks: { 'haproxy/test-word': 'off' as const } };
  assert.deepEqual(engine.validate({ uri, text: 'bad' }, off), []);
});

test('suppression comments: next line, specific ids, whole file', () => {
  const { engine } = makeEngine();
  const codes = (text: string) => engine.validate({ uri, text }).map((d) => d.range.start.line);
  assert.deepEqual(codes('# hatopo-disable-next-line haproxy/test-word\nbad\nbad\n'), [2]);
  assert.deepEqual(codes('# hatopo-disable-next-line\n\n# another comment\nbad\nbad\n'), [4]);
  assert.deepEqual(codes('# hatopo-disable-next-line haproxy/other\nbad\n'), [1]);
  assert.deepEqual(codes('# hatopo-disable-next-line haproxy/other, haproxy/test-word\nbad\n'), []);
  assert.deepEqual(codes('bad\n# hatopo-disable-file haproxy/test-word\nbad\n'), []);
});

test('code actions come from the fixes of problems in the range', () => {
  const { engine } = makeEngine();
  const text = 'fine\nbad\n';
  const inRange = engine.codeActions({ uri, text }, { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } });
  assert.equal(inRange.length, 1);
  assert.equal(inRange[0].title, 'Replace with good');
  assert.deepEqual(inRange[0].edits, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } }, newText: 'good' }]);
  assert.equal(engine.codeActions({ uri, text }, { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }).length, 0);
});

test('unchanged text is served from the cache; changed text is re-validated', () => {
  let parses = 0;
  const counting: FormatSupport<Lines> = { ...format, checks: [wordCheck], parse: (f) => (parses++, { lines: f.text.split('\n') }) };
  const engine = createEngine({ formats: { haproxy: counting as FormatSupport<unknown> } });
  engine.validate({ uri, text: 'bad' });
  engine.validate({ uri, text: 'bad' });
  engine.symbols({ uri, text: 'bad' });
  assert.equal(parses, 1);
  engine.validate({ uri, text: 'bad bad' });
  assert.equal(parses, 2);
  engine.forget(uri);
  engine.validate({ uri, text: 'bad bad' });
  assert.equal(parses, 3);
});

test('past 1,000 problems of one check in a file, the rest are one problem that counts them, at the first left out', () => {
  const annotations = Array.from({ length: 1500 }, (_, i) => `    k${i}: ${i}\n`).join('');
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n${annotations}`;
  const engine = createEngine();
  const diags = engine.validate({ uri: 'file:///cap/manifest.yaml', text }).filter((d) => d.code === 'kubernetes/unquoted-string');
  assert.equal(diags.length, 1001);
  // The first 1,000 are listed (lines 5 to 1004), then one at line 1005 for the 500 others.
  assert.deepEqual([diags[0].range.start.line, diags[999].range.start.line, diags[1000].range.start.line], [5, 1004, 1005]);
  assert.match(diags[1000].message, /\b500\b/);
  assert.equal(engine.codeActions({ uri: 'file:///cap/manifest.yaml', text }, { start: { line: 1005, character: 0 }, end: { line: 1005, character: 20 } }).length, 0);
});

test('a long run of suppression comments finds each one its target line in linear time', () => {
  for (const n of [2000, 4000]) {
    const text = '# hatopo-disable-next-line haproxy/test-word\n'.repeat(n) + 'bad\n';
    const lines = new LineIndex(text);
    let reads = 0;
    const lineStart = lines.lineStart.bind(lines);
    lines.lineStart = (line: number) => (reads++, lineStart(line));
    const found = findSuppressions(text, lines)!;
    assert.deepEqual([...found.lines.keys()], [n]);
    assert.ok(reads <= 3 * n, `${reads} lines read for ${n} comments`);
  }
});
