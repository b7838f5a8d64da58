// What the YAML readers make of the characters of a file before any YAML is read: line breaks,
// characters they refuse, and (for a file read from disk) the encoding Patroni opens it with.
import type { FileEncoding } from '../../types';

/** The line breaks PyYAML and go-yaml know besides LF and CRLF: a lone CR, NEL, LS and PS. */
const OTHER_BREAK = /\r(?!\n)|[\u0085\u2028\u2029]/;
const OTHER_BREAKS = new RegExp(OTHER_BREAK.source, 'g');

/**
 * `text` with every lone CR, NEL, LS and PS turned into LF, as PyYAML and go-yaml read them (the
 * `yaml` library knows LF and CRLF only). One character for one, so every offset still holds.
 */
export function withLineFeeds(text: string): string {
  return OTHER_BREAK.test(text) ? text.replace(OTHER_BREAKS, '\n') : text;
}

/** Whether `text` has a line break other than LF and CRLF. */
export function hasOtherBreaks(text: string): boolean {
  return OTHER_BREAK.test(text);
}

/**
 * Characters neither PyYAML nor go-yaml accept anywhere in a stream, comments included: control
 * characters other than tab and line breaks, DEL, C1 controls other than NEL, U+FFFE, U+FFFF and
 * lone surrogates. (Both readers allow the same set: YAML's printable characters.)
 */
const UNACCEPTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** The offset of the first character in `[start, end)` of `text` that the readers refuse, or -1. */
export function unacceptableAt(text: string, start: number, end: number): number {
  // On the slice alone: a search from `start` through the whole text would make a stream of chunks quadratic.
  const at = (start === 0 && end === text.length ? text : text.slice(start, end)).search(UNACCEPTABLE);
  return at < 0 ? -1 : start + at;
}

/** A character as PyYAML names it in its message: U+0000. */
export function codePointName(text: string, offset: number): string {
  return `U+${text.codePointAt(offset)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A problem of the text itself, in offsets; `code` as YamlProblem's. */
export interface TextProblem {
  start: number;
  end: number;
  message: string;
  code: string;
  sentence: true;
}

/** The first character of `[start, end)` that `reader` refuses, as a problem. */
export function refusedCharacter(text: string, start: number, end: number, reader: 'pyyaml' | 'kubectl'): TextProblem | undefined {
  const at = unacceptableAt(text, start, end);
  if (at < 0) return undefined;
  const who = reader === 'pyyaml' ? 'PyYAML refuses it ("special characters are not allowed"), so Patroni cannot read the file' : 'kubectl refuses the document ("control characters are not allowed")';
  const width = text.codePointAt(at)! > 0xffff ? 2 : 1;
  const message = `The character ${codePointName(text, at)} is not allowed anywhere in YAML, comments included: ${who}. Remove it.`;
  return { start: at, end: at + width, code: 'UNACCEPTABLE_CHARACTER', message, sentence: true };
}

/**
 * What Patroni makes of a file's bytes: it opens its configuration with Python's open() in text
 * mode, as UTF-8, so a UTF-16 file or bytes that are not UTF-8 stop it with a UnicodeDecodeError
 * before PyYAML reads anything. (kubectl decodes UTF-16 with a byte-order mark and replaces bytes
 * that are not UTF-8, so a manifest has no such problem.)
 */
export function patroniEncodingProblem(text: string, encoding: FileEncoding | undefined): TextProblem | undefined {
  if (!encoding) return undefined;
  const end = Math.min(1, text.length);
  if (encoding.name !== 'utf-8') {
    const name = encoding.name === 'utf-16le' ? 'UTF-16 (little-endian)' : 'UTF-16 (big-endian)';
    const message = `This file is ${name}, but Patroni opens its configuration as UTF-8 text: it stops with a UnicodeDecodeError. Save the file as UTF-8.`;
    return { start: 0, end, code: 'ENCODING', message, sentence: true };
  }
  if (encoding.invalid) {
    const at = Math.min(encoding.invalid.offset, text.length);
    return {
      start: at,
      end: Math.min(at + 1, text.length),
      code: 'ENCODING',
      message: `The bytes at byte offset ${encoding.invalid.byteOffset} are not valid UTF-8: Patroni, which opens its configuration as UTF-8 text, stops with a UnicodeDecodeError. Save the file as UTF-8.`,
      sentence: true,
    };
  }
  return undefined;
}
