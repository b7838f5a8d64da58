// The text of a file read from disk, as the programs that read configurations decode it: a
// byte-order mark announces UTF-16 (kubectl and PyYAML decode it) or is dropped before UTF-8; bytes
// that are not valid are replaced and their place kept, for the formats whose reader refuses them.
import type { FileEncoding } from './types';

export interface DecodedFile {
  /** The text, without its byte-order mark: offsets count as an editor shows the file. */
  text: string;
  encoding: FileEncoding;
}

/** Where the first invalid UTF-8 sequence starts in `bytes` from `from`, or -1. */
function invalidUtf8At(bytes: Uint8Array, from: number): number {
  const n = bytes.length;
  const cont = (i: number, lo = 0x80, hi = 0xbf) => i < n && bytes[i] >= lo && bytes[i] <= hi;
  for (let i = from; i < n; ) {
    const b = bytes[i];
    if (b < 0x80) i++;
    else if (b >= 0xc2 && b <= 0xdf && cont(i + 1)) i += 2;
    else if (b === 0xe0 && cont(i + 1, 0xa0) && cont(i + 2)) i += 3;
    else if (((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) && cont(i + 1) && cont(i + 2)) i += 3;
    else if (b === 0xed && cont(i + 1, 0x80, 0x9f) && cont(i + 2)) i += 3;
    else if (b === 0xf0 && cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3)) i += 4;
    else if (b >= 0xf1 && b <= 0xf3 && cont(i + 1) && cont(i + 2) && cont(i + 3)) i += 4;
    else if (b === 0xf4 && cont(i + 1, 0x80, 0x8f) && cont(i + 2) && cont(i + 3)) i += 4;
    else return i;
  }
  return -1;
}

/** Where the first unpaired surrogate (or a lone last byte) of UTF-16 `bytes` from `from` is, as a byte offset, or -1. */
function invalidUtf16At(bytes: Uint8Array, from: number, littleEndian: boolean): number {
  const unit = (i: number) => (littleEndian ? bytes[i] | (bytes[i + 1] << 8) : (bytes[i] << 8) | bytes[i + 1]);
  let i = from;
  for (; i + 1 < bytes.length; i += 2) {
    const u = unit(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      const next = i + 3 < bytes.length ? unit(i + 2) : -1;
      if (next >= 0xdc00 && next <= 0xdfff) i += 2;
      else return i;
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      return i;
    }
  }
  return i < bytes.length ? i : -1;
}

/**
 * Decodes a file's bytes: UTF-16 after its byte-order mark (FF FE or FE FF; a UTF-32 mark reads
 * as UTF-16 with a NUL, as kubectl and PyYAML read it), else UTF-8 without its byte-order mark.
 * Invalid bytes become U+FFFD; the first one's place is kept in `encoding.invalid`.
 */
export function decodeFile(bytes: Uint8Array): DecodedFile {
  const [a, b, c] = [bytes[0], bytes[1], bytes[2]];
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
    const littleEndian = a === 0xff;
    const name = littleEndian ? 'utf-16le' : 'utf-16be';
    const text = new TextDecoder(name, { ignoreBOM: true }).decode(bytes.subarray(2));
    const bad = invalidUtf16At(bytes, 2, littleEndian);
    return { text, encoding: bad < 0 ? { name } : { name, invalid: { offset: (bad - 2) / 2, byteOffset: bad } } };
  }
  const from = a === 0xef && b === 0xbb && c === 0xbf ? 3 : 0;
  const body = bytes.subarray(from);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
  const bad = invalidUtf8At(bytes, from);
  if (bad < 0) return { text, encoding: { name: 'utf-8' } };
  // Everything before the first invalid byte decodes as it is, so its length is the offset.
  const offset = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(from, bad)).length;
  return { text, encoding: { name: 'utf-8', invalid: { offset, byteOffset: bad } } };
}
