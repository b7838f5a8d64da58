// Files read from disk (the CLI, the language server's workspace scan) are decoded as kubectl and
// PyYAML decode them; what Patroni would refuse is kept for its diagnostics.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { decodeFile } from '../../server/src/core';
import { readSaved, scanFolder } from '../../server/src/workspace-scan';

const TEXT = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: é€😀\n';

const utf16 = (text: string, littleEndian: boolean) => {
  const le = Buffer.from(text, 'utf16le');
  if (littleEndian) return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  const be = Buffer.from(le);
  be.swap16();
  return Buffer.concat([Buffer.from([0xfe, 0xff]), be]);
};

test('UTF-8 with and without a byte-order mark: the mark is not part of the text', () => {
  assert.deepEqual(decodeFile(Buffer.from(TEXT)), { text: TEXT, encoding: { name: 'utf-8' } });
  assert.deepEqual(decodeFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])), { text: TEXT, encoding: { name: 'utf-8' } });
  // Only the first mark is one; another is a character of the text.
  assert.equal(decodeFile(Buffer.from('\ufeff\ufeffa: 1\n')).text, '\ufeffa: 1\n');
  assert.deepEqual(decodeFile(Buffer.alloc(0)), { text: '', encoding: { name: 'utf-8' } });
});

test('UTF-16 after its byte-order mark, little- and big-endian', () => {
  assert.deepEqual(decodeFile(utf16(TEXT, true)), { text: TEXT, encoding: { name: 'utf-16le' } });
  assert.deepEqual(decodeFile(utf16(TEXT, false)), { text: TEXT, encoding: { name: 'utf-16be' } });
  // A UTF-32 mark reads as UTF-16 with a NUL, as kubectl and PyYAML read it (and then refuse it).
  const u32 = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('a\0\0\0', 'latin1')]);
  assert.equal(decodeFile(u32).text.charCodeAt(0), 0);
  // An unpaired surrogate is replaced, and its place kept.
  const lone = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ab', 'utf16le'), Buffer.from([0x00, 0xd8]), Buffer.from('c', 'utf16le')]);
  assert.deepEqual(decodeFile(lone), { text: 'ab\ufffdc', encoding: { name: 'utf-16le', invalid: { offset: 2, byteOffset: 6 } } });
});

test('bytes that are not UTF-8: replaced, the first one found by its byte offset and its place in the text', () => {
  const bytes = Buffer.concat([Buffer.from('scope: é'), Buffer.from([0xc3, 0x28]), Buffer.from('\nx: \xff', 'latin1')]);
  const d = decodeFile(bytes);
  assert.equal(d.text, 'scope: é\ufffd(\nx: \ufffd');
  assert.deepEqual(d.encoding, { name: 'utf-8', invalid: { offset: 8, byteOffset: 9 } });
  // After a byte-order mark, byte offsets count the mark, text offsets do not.
  const bom = decodeFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: '), Buffer.from([0xed, 0xa0, 0x80])]));
  assert.deepEqual(bom.encoding.invalid, { offset: 3, byteOffset: 6 });
  for (const bad of [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8], [0x80], [0xe2, 0x82]]) {
    assert.equal(decodeFile(Buffer.from([0x61, ...bad])).encoding.invalid?.byteOffset, 1, JSON.stringify(bad));
  }
});

test('the workspace scan and saved files read UTF-16 manifests and drop a byte-order mark', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hatopo-decode-'));
  try {
    writeFileSync(join(dir, 'a.yaml'), utf16(TEXT, true));
    writeFileSync(join(dir, 'b.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]));
    const seen: string[] = [];
    await scanFolder(pathToFileURL(dir).href, (_uri, text) => seen.push(text));
    assert.deepEqual(seen, [TEXT, TEXT]);
    assert.equal(await readSaved(pathToFileURL(join(dir, 'a.yaml')).href), TEXT);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
