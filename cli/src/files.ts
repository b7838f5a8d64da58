import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isSkippedName } from '../../server/src/core';
import { UsageError } from './usage';

const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface InputFile {
  path: string;
  text: string;
  /** Named on the command line rather than found by walking a directory. */
  explicit: boolean;
}

function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8000);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

/**
 * Reads the files named and every file below the directories named. Throws UsageError on
 * unreadable input and on an empty path, which would otherwise stand for the current directory.
 */
export function collectFiles(paths: string[]): InputFile[] {
  const out: InputFile[] = [];
  const seen = new Set<string>();
  const visit = (p: string, explicit: boolean): void => {
    if (p === '') throw new UsageError("an empty path names no file; use '.' for the current directory", 'check');
    const abs = resolve(p);
    if (seen.has(abs)) return;
    seen.add(abs);
    let st;
    try {
      st = statSync(abs);
    } catch (err) {
      const missing = ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');
      throw new UsageError(`cannot read '${p}': ${missing ? 'no such file or directory' : (err as Error).message}`, 'check');
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(abs).sort();
      } catch (err) {
        throw new UsageError(`cannot read directory '${p}': ${(err as Error).message}`, 'check');
      }
      for (const name of names) {
        if (isSkippedName(name)) continue;
        visit(join(p, name), false);
      }
      return;
    }
    if (!st.isFile()) return;
    if (!explicit && st.size > MAX_FILE_BYTES) return;
    let buf: Buffer;
    try {
      buf = readFileSync(abs);
    } catch (err) {
      throw new UsageError(`cannot read '${p}': ${(err as Error).message}`, 'check');
    }
    if (!explicit && looksBinary(buf)) return;
    out.push({ path: p, text: buf.toString('utf8'), explicit });
  };
  for (const p of paths) visit(p, true);
  return out;
}
