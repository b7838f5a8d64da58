// Watches the bytes of a stream transport beside the protocol library's reader. After broken framing
// that reader waits for ever and answers nothing; an exit instead lets the editor start a new server.
import type { Readable } from 'node:stream';

/** Longer than any message an editor sends (V8's strings stop at 512 MiB); beyond it, framing is broken. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** Headers are two short lines; this much without the blank line that ends them is not a header. */
const MAX_HEADER_BYTES = 64 * 1024;
const END = Buffer.from('\r\n\r\n');

/** The problem with one header block, or undefined and the length of the body it announces. */
export function readHeader(block: string): { problem?: string; length: number } {
  let length: number | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) return { problem: `a header line without ':' (${JSON.stringify(line.slice(0, 80))})`, length: 0 };
    // As the protocol library reads it: the name untrimmed, the value trimmed.
    if (line.slice(0, colon).toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,15}$/.test(value)) return { problem: `Content-Length is not a number (${JSON.stringify(value.slice(0, 80))})`, length: 0 };
    length = Number(value);
  }
  if (length === undefined) return { problem: 'a message without a Content-Length header', length: 0 };
  if (length > MAX_MESSAGE_BYTES) return { problem: `Content-Length ${length} is over the ${MAX_MESSAGE_BYTES / (1024 * 1024)} MiB a message may have`, length };
  return { length };
}

/**
 * Follows the `Content-Length` framing of `input` and calls `broken` once, with what is wrong, at
 * the first header the protocol library cannot read past. Listen only after the library does: a
 * 'data' listener starts the stream flowing.
 */
export function watchFraming(input: Readable, broken: (problem: string) => void): void {
  let header: Buffer[] = [];
  let headerBytes = 0;
  let body = 0;
  let done = false;
  const fail = (problem: string) => {
    done = true;
    input.off('data', onData);
    broken(problem);
  };
  const onData = (chunk: Buffer | string) => {
    let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    while (!done && data.length > 0) {
      if (body > 0) {
        const n = Math.min(body, data.length);
        body -= n;
        data = data.subarray(n);
        continue;
      }
      // The blank line may straddle chunks: look in what is kept of the header plus this chunk.
      const kept = headerBytes;
      const joined = kept ? Buffer.concat([...header, data]) : data;
      const end = joined.indexOf(END, Math.max(0, kept - END.length + 1));
      if (end < 0) {
        if (joined.length > MAX_HEADER_BYTES) return fail(`${joined.length} bytes without the blank line that ends a header`);
        header = [joined];
        headerBytes = joined.length;
        return;
      }
      header = [];
      headerBytes = 0;
      const { problem, length } = readHeader(joined.subarray(0, end).toString('ascii'));
      if (problem) return fail(problem);
      body = length;
      data = joined.subarray(end + END.length);
    }
  };
  input.on('data', onData);
}
