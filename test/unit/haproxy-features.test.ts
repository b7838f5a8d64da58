import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, LineIndex } from '../../server/src/core';
import type { EngineSettings } from '../../server/src/core';
import { engine } from '../helpers/engine';

let n = 0;
const uri = () => `file:///features/${n++}/haproxy.cfg`;

/** Completion at the `|` marker. */
function completeAt(marked: string, settings: EngineSettings = DEFAULT_SETTINGS) {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const u = uri();
  const r = engine.complete({ uri: u, text }, new LineIndex(text).positionAt(offset), settings);
  engine.forget(u);
  return r;
}

function hoverAt(marked: string) {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const u = uri();
  const r = engine.hover({ uri: u, text }, new LineIndex(text).positionAt(offset));
  engine.forget(u);
  return r;
}

test('completion at the start of a line offers section names', () => {
  const labels = completeAt('|').map((c) => c.label);
  for (const s of ['global', 'defaults', 'frontend', 'backend', 'listen', 'resolvers', 'peers']) assert.ok(labels.includes(s), s);
  assert.ok(!labels.includes('crt-store'), 'crt-store is newer than 2.6');
  assert.ok(completeAt('|', { ...DEFAULT_SETTINGS, haproxy: { version: '3.0' } }).some((c) => c.label === 'crt-store'));
});

test('completion offers the keywords of the current section, with docs and snippets', () => {
  const items = completeAt('backend db\n  |');
  const server = items.find((c) => c.label === 'server');
  assert.ok(server?.snippet && server.insertText?.includes('check'));
  assert.ok(items.some((c) => c.label === 'option httpchk' && c.documentation?.includes('Patroni')));
  assert.ok(!items.some((c) => c.label === 'bind'), 'bind does not apply to a backend');
  const global = completeAt('global\n  |').map((c) => c.label);
  assert.ok(global.includes('maxconn') && global.includes('nbthread'));
  assert.ok(!global.includes('balance'));
});

test('completion of the second word of option/timeout', () => {
  const items = completeAt('backend db\n  option ht|').map((c) => c.label);
  assert.ok(items.includes('httpchk'));
  assert.ok(items.every((l) => !l.includes(' ')));
  const t = completeAt('defaults\n  timeout |').map((c) => c.label);
  assert.ok(t.includes('connect') && t.includes('server'));
});

test('completion of server options after the address, and of their enum values', () => {
  const items = completeAt('backend db\n  server pg1 10.0.0.1:5432 |').map((c) => c.label);
  for (const o of ['check', 'inter', 'fall', 'rise', 'on-marked-down', 'port', 'backup']) assert.ok(items.includes(o), o);
  assert.deepEqual(completeAt('backend db\n  server pg1 10.0.0.1:5432 check on-marked-down |').map((c) => c.label), ['shutdown-sessions']);
  assert.deepEqual(completeAt('backend db\n  server pg1 10.0.0.1:5432 check inter |'), []);
  assert.deepEqual(completeAt('backend db\n  server pg1 |'), []);
  assert.ok(completeAt('frontend fe\n  bind :443 |').some((c) => c.label === 'ssl'));
});

test('completion replaces the word being typed', () => {
  const text = 'backend db\n  bal|';
  const item = completeAt(text).find((c) => c.label === 'balance');
  assert.deepEqual(item?.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
});

test('hover on keywords, multi-word keywords, options and section headers', () => {
  const h = hoverAt('defaults\n  timeout con|nect 5s\n');
  assert.ok(h);
  assert.match(h.contents, /timeout connect/);
  assert.match(h.contents, /Available in HAProxy 2\.6 and later/);
  assert.deepEqual(h.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 17 } });
  const o = hoverAt('backend db\n  server pg1 10.0.0.1:5432 check in|ter 3s\n');
  assert.ok(o);
  assert.match(o.contents, /inter/);
  assert.match(o.contents, /time/);
  assert.match(hoverAt('list|en pg\n')?.contents ?? '', /listen/);
  assert.match(hoverAt('crt-st|ore\n')?.contents ?? '', /Since HAProxy 3\.0/);
  assert.match(hoverAt('defaults\n  conti|meout 5000\n')?.contents ?? '', /removed in HAProxy 2\.1/);
  assert.equal(hoverAt('backend db\n  server pg|1 10.0.0.1:5432\n'), undefined);
});

test('symbols: one per section with servers and binds as children', () => {
  const text = 'global\n  daemon\nlisten pg\n  bind :5000\n  server pg1 10.0.0.1:5432 check\n  server pg2 10.0.0.2:5432 check\nbackend be\n';
  const u = uri();
  const syms = engine.symbols({ uri: u, text });
  engine.forget(u);
  assert.deepEqual(syms.map((s) => [s.name, s.detail, s.kind]), [['global', 'global', 'namespace'], ['pg', 'listen', 'class'], ['be', 'backend', 'class']]);
  const pg = syms[1];
  assert.deepEqual(pg.children?.map((c) => c.name), [':5000', 'pg1', 'pg2']);
  assert.deepEqual(pg.range.start, { line: 2, character: 0 });
  assert.deepEqual(pg.range.end.line, 5);
  assert.deepEqual(pg.selectionRange, { start: { line: 2, character: 7 }, end: { line: 2, character: 9 } });
  assert.deepEqual(pg.children?.[1].selectionRange.start, { line: 4, character: 9 });
});
