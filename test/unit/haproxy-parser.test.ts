import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHaproxy } from '../../server/src/core/documents/haproxy';
import { tokenizeLine } from '../../server/src/core/documents/haproxy/tokenize';
import { DEFAULT_SETTINGS, LineIndex } from '../../server/src/core';
import { engine } from '../helpers/engine';
import type { EngineSettings } from '../../server/src/core';

function parse(text: string, version = '2.6') {
  const settings: EngineSettings = { ...DEFAULT_SETTINGS, haproxy: { version } };
  return parseHaproxy({ uri: 'file:///t/haproxy.cfg', text, kind: 'haproxy' }, settings);
}

const words = (line: string) => tokenizeLine(line, 0).tokens.map((t) => t.text);

test('tokens keep their source offsets', () => {
  const text = 'global\n  maxconn  100\n';
  const m = parse(text);
  const line = m.sections[0].lines[0];
  assert.equal(line.keyword, 'maxconn');
  assert.equal(text.slice(line.keywordTokens[0].start, line.keywordTokens[0].end), 'maxconn');
  assert.equal(text.slice(line.args[0].start, line.args[0].end), '100');
  assert.equal(line.line, 1);
  assert.equal(text.slice(line.start, line.end), '  maxconn  100');
});

test('double quotes group words, keep # and allow escapes; the token spans its quotes', () => {
  const t = tokenizeLine('description "a # b \\"c\\""', 10);
  assert.deepEqual(t.tokens.map((x) => x.text), ['description', 'a # b "c"']);
  assert.equal(t.tokens[1].start, 22);
  assert.equal(t.tokens[1].end, 10 + 'description "a # b \\"c\\""'.length);
  assert.equal(t.tokens[1].quoted, true);
  assert.equal(t.comment, undefined);
});

test('single quotes are literal: no escapes and no variables inside', () => {
  assert.deepEqual(words("x 'a\\ b $HOME'"), ['x', 'a\\ b $HOME']);
});

test('backslash escapes space, #, quotes and backslash outside quotes; other pairs stay as they are', () => {
  assert.deepEqual(words('x a\\ b c\\#d e\\"f g\\\\h \\1'), ['x', 'a b', 'c#d', 'e"f', 'g\\h', '\\1']);
  assert.deepEqual(words('x \\x41\\t'), ['x', 'A\t']);
});

test('a word can mix quoted and unquoted parts, as HAProxy concatenates them', () => {
  assert.deepEqual(words('x ab"c d"\'e f\''), ['x', 'abc de f']);
});

test('# starts a comment only outside quotes and when not escaped', () => {
  const t = tokenizeLine('maxconn 10 # limit', 0);
  assert.deepEqual(t.tokens.map((x) => x.text), ['maxconn', '10']);
  assert.deepEqual(t.comment, { start: 11, end: 18 });
  assert.deepEqual(words("x '#' \"#\" \\# y#z"), ['x', '#', '#', '#', 'y']);
});

test('environment variables are recognised inside double quotes only', () => {
  const t = tokenizeLine('bind "${ADDR}:$PORT" $HOME', 0);
  assert.equal(t.tokens[1].text, '${ADDR}:${PORT}');
  assert.equal(t.tokens[1].dynamic, true);
  assert.equal(t.tokens[2].text, '$HOME');
  assert.equal(t.tokens[2].dynamic, false);
  assert.equal(tokenizeLine('x "$1"', 0).issues.length, 1);
  assert.equal(tokenizeLine('x "${A"', 0).issues.length, 1);
});

test('unterminated quotes and bad hex escapes are issues with offsets, never exceptions', () => {
  const t = tokenizeLine('  description "abc', 100);
  assert.equal(t.issues.length, 1);
  assert.equal(t.issues[0].start, 114);
  assert.match(t.issues[0].message, /Unterminated double quote/);
  assert.equal(tokenizeLine("x 'abc", 0).issues.length, 1);
  assert.equal(tokenizeLine('x \\xZZ', 0).issues.length, 1);
});

test('sections: names, optional defaults names, "from", and lines before any section', () => {
  const m = parse('maxconn 1\nglobal\n  daemon\ndefaults\n  mode tcp\ndefaults tcp_defaults\nfrontend fe from tcp_defaults\n  bind :80\nbackend be\n');
  assert.equal(m.outside.length, 1);
  assert.deepEqual(m.sections.map((s) => [s.type, s.name?.text]), [['global', undefined], ['defaults', undefined], ['defaults', 'tcp_defaults'], ['frontend', 'fe'], ['backend', 'be']]);
  assert.equal(m.sections[3].from?.text, 'tcp_defaults');
});

test('multi-word keywords are resolved through the catalog, with no/default prefixes', () => {
  const m = parse('backend be\n  timeout connect 5s\n  option httpchk OPTIONS /primary\n  http-check expect status 200\n  no option redispatch\n  tcp-request content accept\n  option nosuch x\n  stats enable\n');
  const kws = m.sections[0].lines.map((l) => [l.keyword, l.args.map((a) => a.text).join(' '), l.prefix ?? '']);
  assert.deepEqual(kws, [
    ['timeout connect', '5s', ''],
    ['option httpchk', 'OPTIONS /primary', ''],
    ['http-check expect', 'status 200', ''],
    ['option redispatch', '', 'no'],
    ['tcp-request content', 'accept', ''],
    ['option nosuch', 'x', ''],
    ['stats enable', '', ''],
  ]);
});

test('conditional blocks on the version skip lines that the selected HAProxy would not read', () => {
  const text = 'global\n.if version_atleast(3.1)\n  tune.lua.bool-sample-conversion normal\n.else\n  maxconn 10\n.endif\n';
  const old = parse(text, '2.6');
  assert.deepEqual(old.sections[0].lines.map((l) => l.keyword), ['maxconn']);
  assert.equal(old.inactive.length, 1);
  const recent = parse(text, '3.2');
  assert.deepEqual(recent.sections[0].lines.map((l) => l.keyword), ['tune.lua.bool-sample-conversion']);
  assert.equal(parse('global\n.if defined(X)\n  daemon\n').issues.length, 1);
  // Build- or environment-dependent conditions: HAProxy may skip the lines, so they are kept aside.
  const cond = parse('global\n.if feature(QUIC)\n  nosuchkeyword\n.else\n  daemon\n.endif\n  maxconn 1\n');
  assert.deepEqual(cond.conditional.map((l) => l.keyword), ['nosuchkeyword', 'daemon']);
  assert.deepEqual(cond.sections[0].lines.map((l) => l.keyword), ['maxconn']);
});

test('a last line without line feed is an issue; an empty last line is not', () => {
  assert.equal(parse('global\n  daemon').issues.length, 1);
  assert.equal(parse('global\n  daemon\n').issues.length, 0);
  assert.equal(parse('').sections.length, 0);
});

test('CRLF line endings do not leak into words', () => {
  const m = parse('global\r\n  maxconn 10\r\n');
  assert.deepEqual(m.sections[0].lines[0].args.map((a) => a.text), ['10']);
});

test('never throws: seeded random edits of a config through parse, checks and every feature', () => {
  const base = 'global\n  maxconn 100\ndefaults\n  mode tcp\n  timeout connect 5s\nlisten pg_primary\n  bind *:5000\n  option httpchk OPTIONS /primary\n  http-check expect status 200\n  default-server inter 3s fall 3 rise 2 on-marked-down shutdown-sessions\n  server pg1 10.0.0.1:5432 check port 8008\n.if version_atleast(2.8)\n  server pg2 "10.0.0.2:5432" check port 8008\n.endif\n';
  const alphabet = ['"', "'", '\\', '#', '$', '{', '}', ' ', '\n', '\t', '\r', 'x', '.if', '.endif', 'server', 'listen', 'no ', 'option ', '%[', '\\x4'];
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < 300; i++) {
    let text = base;
    for (let k = 0; k < 1 + rand(4); k++) {
      const at = rand(text.length + 1);
      text = text.slice(0, at) + alphabet[rand(alphabet.length)] + text.slice(at + rand(3));
    }
    const settings: EngineSettings = { ...DEFAULT_SETTINGS, haproxy: { version: ['2.6', '3.2'][i % 2] } };
    const uri = `file:///fuzz/${i}/haproxy.cfg`;
    engine.validate({ uri, text }, settings);
    const lines = new LineIndex(text);
    const pos = lines.positionAt(rand(text.length + 1));
    engine.complete({ uri, text }, pos, settings);
    engine.hover({ uri, text }, pos, settings);
    engine.symbols({ uri, text }, settings);
    engine.forget(uri);
  }
});
