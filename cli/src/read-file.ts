// Reading a file the user named without ever blocking on it: only regular files, only up to a size.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';

/** The largest file `hatopo check` reads (a 50 MB single-line file is fine). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Why a file was not read, in words that complete "'path': …". */
export class NotReadable extends Error {
  constructor(
    message: string,
    /** Refused for its size only: a data file, most likely, rather than a broken one. */
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/** What a file system entry is, for messages: "a FIFO (named pipe)", "a character device"… */
export function fileType(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

function tooLarge(size: number, limit: number): NotReadable {
  return new NotReadable(`larger than ${formatBytes(limit)}, the most hatopo reads (${formatBytes(size)})`, true);
}

// O_NONBLOCK: opening a FIFO that was swapped in after the stat must not wait for a writer.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * The bytes of the regular file at `path`, at most `limit` of them. Anything else (a FIFO, a
 * device, a socket, a directory) is refused before it is opened, by its stat (`known` when the
 * caller has it), and again by the open descriptor's. Throws NotReadable, or the file system's
 * error (ENOENT, EACCES…).
 */
export function readRegularFile(path: string, limit: number, known?: Stats): Buffer {
  const before = known ?? statSync(path);
  if (!before.isFile()) throw new NotReadable(`${fileType(before)}, not a regular file`);
  if (before.size > limit) throw tooLarge(before.size, limit);
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new NotReadable(`${fileType(st)}, not a regular file`);
    if (st.size > limit) throw tooLarge(st.size, limit);
    // A size of 0 may still hide content (/proc files); a file may grow while it is read.
    let buf = Buffer.allocUnsafe(Math.min(limit + 1, st.size > 0 ? st.size + 1 : 64 * 1024));
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (total > limit) throw tooLarge(total, limit);
        const bigger = Buffer.allocUnsafe(Math.min(limit + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const n = readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
    }
    if (total > limit) throw tooLarge(total, limit);
    return buf.subarray(0, total);
  } finally {
    closeSync(fd);
  }
}
