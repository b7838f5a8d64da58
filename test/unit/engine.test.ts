import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEngine, DEFAULT_SETTINGS } from '../../server/src/core';
import type { Check, FormatSupport } from '../../server/src/core';

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
  checks: [brokenCheck, wordCheck],
  hover: () => {
    throw new Error('hover boom');
  },
};

function makeEngine() {
  const errors: string[] = [];
  const engine = createEngine({
    logger: { info: () => undefined, error: (m) => errors.push(m) },
    docsBase: 'file:///docs/checks/',
    formats: { haproxy: format as FormatSupport<unknown> },
  });
  return { engine, errors };
}

const uri = 'file:///w/haproxy.cfg';

test('a check that throws is logged and skipped; the others still report', () => {
  const { engine, errors } = makeEngine();
  const diags = engine.validate({ uri, text: 'ok\nthis is bad\n' });
  assert.deepEqual(
    diags.map((d) => [d.code, d.range.start.line, d.range.start.character, d.severity]),
    [['haproxy/test-word', 1, 8, 'warning']],
  );
  assert.equal(diags[0].source, 'hatopo');
  assert.equal(diags[0].codeDescription?.href, 'file:///docs/checks/haproxy/test-word.md');
  assert.equal(errors.length, 1);
  assert.match(errors[0], /haproxy\/test-broken.*boom/s);
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
