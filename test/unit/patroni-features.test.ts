import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engine } from '../helpers/engine';

let n = 0;
const uri = () => `file:///feat/${n++}/patroni.yml`;

/** Position of the `|` marker; returns the text without it. */
function cursor(marked: string): { text: string; position: { line: number; character: number } } {
  const i = marked.indexOf('|');
  const before = marked.slice(0, i).split('\n');
  return { text: marked.slice(0, i) + marked.slice(i + 1), position: { line: before.length - 1, character: before[before.length - 1].length } };
}

test('completion offers the keys of the section at the cursor, minus those present', () => {
  const { text, position } = cursor('bootstrap:\n  dcs:\n    ttl: 30\n    lo|\n');
  const labels = engine.complete({ uri: uri(), text }, position).map((c) => c.label);
  assert.ok(labels.includes('loop_wait'));
  assert.ok(labels.includes('retry_timeout'));
  assert.ok(!labels.includes('ttl'), 'ttl is already present');
  assert.ok(!labels.includes('scope'), 'top-level keys do not belong here');
  const entry = engine.complete({ uri: uri(), text }, position).find((c) => c.label === 'loop_wait')!;
  assert.match(entry.documentation ?? '', /Default: `10`/);
});

test('completion at the top level and inside a list item', () => {
  const top = cursor('scope: x\n|');
  const labels = engine.complete({ uri: uri(), text: top.text }, top.position).map((c) => c.label);
  assert.ok(labels.includes('postgresql') && labels.includes('etcd3') && !labels.includes('scope'));
  const item = cursor('kubernetes:\n  ports:\n  - name: pg\n    |\n');
  const itemLabels = engine.complete({ uri: uri(), text: item.text }, item.position).map((c) => c.label);
  assert.deepEqual(itemLabels, ['port']);
});

test('completion of enum and boolean values', () => {
  const e = cursor('restapi:\n  verify_client: |\n');
  assert.deepEqual(engine.complete({ uri: uri(), text: e.text }, e.position).map((c) => c.label), ['none', 'optional', 'required']);
  const b = cursor('tags:\n  nofailover: |\n');
  assert.deepEqual(engine.complete({ uri: uri(), text: b.text }, b.position).map((c) => c.label), ['true', 'false']);
  const w = cursor('watchdog:\n  mode: |\n');
  const off = engine.complete({ uri: uri(), text: w.text }, w.position).find((c) => c.label === 'off');
  assert.equal(off?.insertText, '"off"', 'YAML 1.1 would read a bare off as false');
});

test('hover on a key shows description, type and default', () => {
  const text = 'bootstrap:\n  dcs:\n    ttl: 30\n';
  const h = engine.hover({ uri: uri(), text }, { line: 2, character: 5 });
  assert.ok(h);
  assert.match(h.contents, /bootstrap\.dcs\.ttl/);
  assert.match(h.contents, /leader lock/);
  assert.match(h.contents, /Default: `30`/);
  assert.deepEqual(h.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 7 } });
  assert.equal(engine.hover({ uri: uri(), text: 'x_unknown: 1\n' }, { line: 0, character: 2 }), undefined);
});

test('document symbols: top-level keys with nested children', () => {
  const text = 'scope: demo\nbootstrap:\n  dcs:\n    ttl: 30\npostgresql:\n  listen: :5432\n';
  const symbols = engine.symbols({ uri: uri(), text });
  assert.deepEqual(symbols.map((s) => s.name), ['scope', 'bootstrap', 'postgresql']);
  const dcs = symbols[1].children?.[0];
  assert.equal(dcs?.name, 'dcs');
  assert.equal(dcs?.children?.[0].name, 'ttl');
  assert.equal(dcs?.children?.[0].detail, '30');
  assert.equal(symbols[0].selectionRange.start.line, 0);
  assert.equal(symbols[2].range.start.line, 4);
});
