import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { rng } from '../helpers/random';
import { createEngine, DEFAULT_SETTINGS } from '../../server/src/core';
import { parseHaproxy } from '../../server/src/core/documents/haproxy';
import { haproxyConfig } from '../bench/generate';
import { corpusFiles, corpusSkip, readCorpus } from '../helpers/corpus';
import { fixtureFiles, readFixture } from '../helpers/fixtures';


const SNIPPETS = ['\n', 'x', ' check', '"', '#', 'backend extra\n', 'listen pg_primary\n', 'defaults\n', '    server s9 10.0.0.9:5432 check\n', '    option httpchk OPTIONS /replica\n', '    timeout connect 5x\n', '\\'];

/** One random edit: insert a snippet, delete a span, or duplicate a line. */
function edit(text: string, rand: () => number): string {
  const at = Math.floor(rand() * (text.length + 1));
  const r = rand();
  if (r < 0.45) return text.slice(0, at) + SNIPPETS[Math.floor(rand() * SNIPPETS.length)] + text.slice(at);
  if (r < 0.85) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rand() * 30)));
  const ls = text.lastIndexOf('\n', at - 1) + 1;
  const le = text.indexOf('\n', at);
  const line = text.slice(ls, le < 0 ? text.length : le + 1);
  return text.slice(0, ls) + line + text.slice(ls);
}

/** 25 random edits of each source, each validated incrementally and from scratch; returns the number of edits. */
function editAndCompare(sources: string[], seed: number): number {
  const rand = rng(seed);
  const everything = { start: { line: 0, character: 0 }, end: { line: 1e6, character: 0 } };
  let edits = 0;
  sources.forEach((source, n) => {
    const live = createEngine();
    const uri = `file:///inc/${n}/haproxy.cfg`;
    let text = source;
    live.validate({ uri, text });
    for (let i = 0; i < 25; i++) {
      text = edit(text, rand);
      edits++;
      const incremental = live.validate({ uri, text });
      const fresh = createEngine();
      const scratch = fresh.validate({ uri, text });
      assert.deepEqual(incremental, scratch, `source ${n}, edit ${i}`);
      assert.deepEqual(live.codeActions({ uri, text }, everything), fresh.codeActions({ uri, text }, everything), `actions: source ${n}, edit ${i}`);
    }
  });
  return edits;
}

const generated = () => [haproxyConfig(600), readFileSync(resolve(__dirname, '..', '..', 'examples', 'mistakes', 'haproxy', 'haproxy.cfg'), 'utf8')];

test('incremental validation after edits equals validating from scratch', () => {
  assert.ok(editAndCompare([...generated(), ...fixtureFiles('haproxy').map(readFixture)], 7) >= 100);
});

test('incremental validation after edits equals validating from scratch, on corpus files', { skip: corpusSkip }, () => {
  assert.ok(editAndCompare([...generated(), ...corpusFiles('haproxy').slice(0, 12).map(readCorpus)], 7) >= 300);
});

test('a one-line edit re-reads only the section it touches', () => {
  const text = haproxyConfig(400);
  const file = (t: string) => ({ uri: 'file:///x/haproxy.cfg', text: t, kind: 'haproxy' as const });
  const before = parseHaproxy(file(text), DEFAULT_SETTINGS);
  const ids = [...before.sections];
  const at = text.indexOf('maxconn 100', text.length / 2);
  const edited = text.slice(0, at) + 'maxconn 200' + text.slice(at + 'maxconn 100'.length);
  const after = parseHaproxy(file(edited), DEFAULT_SETTINGS, before);
  assert.equal(after.sections.length, ids.length);
  const fresh = after.sections.filter((s, i) => s !== ids[i]);
  assert.equal(fresh.length, 1, 'exactly one section was read again');
  assert.ok(fresh[0].start <= at && at < fresh[0].end + 1);
  // Sections after the edit kept their identity but moved with the text (same length here, so same offsets).
  const last = after.sections[after.sections.length - 1];
  assert.equal(edited.slice(last.header.tokens[0].start, last.header.tokens[0].end), last.type);
});

test('sections after an inserted line move by its length and line count', () => {
  const text = 'global\n    maxconn 10\n\nlisten a\n    bind :5000\n    server s1 10.0.0.1:5432 check\n';
  const file = (t: string) => ({ uri: 'file:///x/haproxy.cfg', text: t, kind: 'haproxy' as const });
  const before = parseHaproxy(file(text), DEFAULT_SETTINGS);
  const listen = before.sections[1];
  const edited = text.replace('maxconn 10\n', 'maxconn 10\n    nbthread 4\n');
  const after = parseHaproxy(file(edited), DEFAULT_SETTINGS, before);
  assert.equal(after.sections[1], listen, 'the listen section was reused');
  assert.equal(listen.header.line, 4);
  const server = listen.lines[1];
  assert.equal(server.line, 6);
  assert.equal(edited.slice(server.args[0].start, server.args[0].end), 's1');
});

test('a section whose defaults section disappears is checked again, although its own text is unchanged', () => {
  const before = 'global\n    maxconn 100\n\ndefaults\n    mode tcp\n    option httpchk OPTIONS /primary\n\nbackend pg\n    server s1 10.0.0.1:5432\n';
  // An edit that eats the line break before `defaults` folds it into the global section.
  const after = before.replace('\n\ndefaults\n', '\n efaults\n');
  const uri = 'file:///inc/defaults-gone/haproxy.cfg';
  const live = createEngine();
  assert.ok(live.validate({ uri, text: before }).some((d) => d.code === 'haproxy/missing-check'));
  assert.deepEqual(live.validate({ uri, text: after }), createEngine().validate({ uri, text: after }));
  assert.ok(!live.validate({ uri, text: after }).some((d) => d.code === 'haproxy/missing-check'));
});
