import { lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeFile, isSkippedName } from '../../server/src/core';
import type { FileEncoding } from '../../server/src/core';
import { MAX_FILE_BYTES, NotReadable, fileType, readRegularFile } from './read-file';
import { UsageError } from './usage';

export interface InputFile {
  path: string;
  text: string;
  /** Named on the command line rather than found by walking a directory. */
  explicit: boolean;
  /** How its bytes were decoded (a byte-order mark, bytes that are not UTF-8). */
  encoding: FileEncoding;
}

/** An entry found while walking a directory that was not checked. */
export interface NotChecked {
  path: string;
  /** Completes "path: …": what the entry is and why it was not read. */
  why: string;
  /** The run cannot vouch for it (a FIFO, a device, a file it may not read): exit status 2. */
  fails: boolean;
}

export interface Collected {
  files: InputFile[];
  notChecked: NotChecked[];
}

/** A NUL early in the text (after decoding, so UTF-16 is text). A YAML file is never binary: its readers refuse a NUL, and so do we. */
function looksBinary(path: string, text: string): boolean {
  return !/\.ya?ml$/i.test(path) && text.slice(0, 8000).includes('\0');
}

/** Why `abs` cannot be stat'ed, and whether that is a link leading nowhere rather than a failure. */
function unreachable(abs: string, err: NodeJS.ErrnoException): { why: string; dangling: boolean } {
  if (['ENOENT', 'ENOTDIR', 'ELOOP'].includes(err.code ?? '')) {
    try {
      if (lstatSync(abs).isSymbolicLink()) {
        const target = readlinkSync(abs);
        const end = err.code === 'ELOOP' ? 'which leads back to itself' : 'which does not exist';
        return { why: `a symbolic link to '${target}', ${end}`, dangling: true };
      }
    } catch {
      // gone meanwhile: no such file
    }
    if (err.code !== 'ELOOP') return { why: 'no such file or directory', dangling: true };
  }
  return { why: err.message, dangling: false };
}

/**
 * Reads the files named and every file below the directories named. What is named but cannot be
 * read throws UsageError (as does an empty path, which would otherwise stand for the current
 * directory); what is found under a directory but cannot be read is listed in `notChecked`.
 * A file or directory reached twice (through a symbolic link, or named twice) is read once, under
 * the path met first, so a link back to a parent ends there.
 */
/** Names of the files hatopo reads as configurations (YAML, HAProxy, Redis and Sentinel). */
const CONFIG_NAME = /\.(ya?ml|cfg|conf)$/i;

export function collectFiles(paths: string[]): Collected {
  const out: InputFile[] = [];
  const notChecked: NotChecked[] = [];
  // Device and inode of every directory entered and file read.
  const seen = new Map<string, InputFile | undefined>();
  const visit = (p: string, explicit: boolean): void => {
    if (p === '') throw new UsageError("an empty path names no file; use '.' for the current directory", 'check');
    const abs = resolve(p);
    const refuse = (why: string, fails: boolean): void => {
      if (explicit) throw new UsageError(`cannot read '${p}': ${why}`, 'check');
      notChecked.push({ path: p, why, fails });
    };
    let st: Stats;
    try {
      st = statSync(abs);
    } catch (err) {
      const { why, dangling } = unreachable(abs, err as NodeJS.ErrnoException);
      return refuse(why, !dangling);
    }
    const id = `${st.dev}:${st.ino}`;
    if (seen.has(id)) {
      const first = seen.get(id);
      if (first && explicit) first.explicit = true;
      return;
    }
    if (st.isDirectory()) {
      seen.set(id, undefined);
      let names: string[];
      try {
        names = readdirSync(abs).sort();
      } catch (err) {
        if (explicit) throw new UsageError(`cannot read directory '${p}': ${(err as Error).message}`, 'check');
        return refuse(`cannot read the directory: ${(err as Error).message}`, true);
      }
      for (const name of names) {
        if (isSkippedName(name)) continue;
        visit(join(p, name), false);
      }
      return;
    }
    if (!st.isFile()) return refuse(`${fileType(st)}, not a regular file or directory`, true);
    seen.set(id, undefined);
    let buf: Buffer;
    try {
      buf = readRegularFile(abs, MAX_FILE_BYTES, st);
    } catch (err) {
      // Too large to read: a failure when its name says it is a configuration (a YAML or .cfg/.conf
      // file); any other file is data, found by the walk: a note only.
      return refuse((err as Error).message, !(err instanceof NotReadable && err.tooLarge) || CONFIG_NAME.test(p));
    }
    const { text, encoding } = decodeFile(buf);
    if (!explicit && looksBinary(p, text)) return;
    const file: InputFile = { path: p, text, explicit, encoding };
    seen.set(id, file);
    out.push(file);
  };
  for (const p of paths) visit(p, true);
  return { files: out, notChecked };
}
