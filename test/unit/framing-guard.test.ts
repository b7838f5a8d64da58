import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { MAX_MESSAGE_BYTES, readHeader, watchFraming } from '../../server/src/framing-guard';

function frame(body: string, extra = ''): Buffer {
  return Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`);
}

/** Feeds `bytes` in chunks of `size` and returns the problems reported. */
async function feed(bytes: Buffer, size: number): Promise<string[]> {
  const input = new PassThrough();
  const problems: string[] = [];
  watchFraming(input, (p) => problems.push(p));
  for (let i = 0; i < bytes.length; i += size) input.write(bytes.subarray(i, i + size));
  input.end();
  await new Promise((r) => input.on('end', r));
  return problems;
}

test('valid traffic, however it is cut into chunks, is never taken for broken framing', async () => {
  // Bodies that hold what looks like a header, multi-byte characters, and nothing at all.
  const traffic = Buffer.concat([
    frame('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}'),
    frame('{"text":"Content-Length: 12\\r\\n\\r\\n é 🐘 \\u0000"}', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n'),
    frame(''),
    frame('{"jsonrpc":"2.0","method":"exit"}'),
  ]);
  for (const size of [1, 2, 3, 7, 64, traffic.length]) assert.deepEqual(await feed(traffic, size), [], `chunks of ${size}`);
});

test('broken framing is reported once, wherever it is cut', async () => {
  const good = frame('{}');
  for (const bad of ['Content-Length: 1x\r\n\r\n', 'X: y\r\n\r\n', `Content-Length: ${MAX_MESSAGE_BYTES + 1}\r\n\r\n`, 'oops\r\n\r\n']) {
    for (const size of [1, 5, 1000]) {
      const problems = await feed(Buffer.concat([good, Buffer.from(bad), good, Buffer.from(bad)]), size);
      assert.equal(problems.length, 1, `${JSON.stringify(bad)} in chunks of ${size}`);
    }
  }
});

test('header reading as the protocol library does it', () => {
  assert.deepEqual(readHeader('Content-Length: 12'), { length: 12 });
  assert.deepEqual(readHeader('content-length:3\r\nContent-Type: x'), { length: 3 });
  assert.ok(readHeader(' Content-Length: 12').problem, 'a name with a leading space is another header');
  assert.ok(readHeader('Content-Length: -1').problem);
  assert.ok(readHeader('Content-Length: ').problem);
  assert.ok(readHeader('').problem);
});
