import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/core';

test('positions round-trip over LF, CRLF and CR line breaks', () => {
  const text = 'ab\ncd\r\nef\rgh';
  const idx = new LineIndex(text);
  assert.equal(idx.lineCount, 4);
  assert.deepEqual(idx.positionAt(text.indexOf('d')), { line: 1, character: 1 });
  assert.deepEqual(idx.positionAt(text.indexOf('g')), { line: 3, character: 0 });
  for (let o = 0; o <= text.length; o++) {
    const p = idx.positionAt(o);
    if (text[o - 1] === '\r' && text[o] === '\n') continue; // inside a CRLF pair
    assert.equal(idx.offsetAt(p), o, `offset ${o}`);
  }
  assert.equal(idx.lineEnd(1), text.indexOf('\r\n'));
});

test('out-of-range positions clamp', () => {
  const idx = new LineIndex('one\ntwo');
  assert.equal(idx.offsetAt({ line: 9, character: 0 }), 7);
  assert.equal(idx.offsetAt({ line: 0, character: 99 }), 3);
  assert.deepEqual(idx.positionAt(-5), { line: 0, character: 0 });
});
