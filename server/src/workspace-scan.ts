// Reads the workspace's files for the facts cross-file checks need (PDBs, CRDs, operator settings, Patroni
// members) and for what they say about live clusters.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeFile, isSkippedName } from './core';

export const MAX_FILES = 5000;
export const MAX_BYTES = 2 * 1024 * 1024;
// YAML for manifests and Patroni; .cfg and .conf for the HAProxy and Sentinel files live state is matched with.
const WANTED = /\.(ya?ml|cfg|conf)$/i;

export interface ScanResult {
  files: number;
  truncated: boolean;
}

/** Walks `folderUri` breadth-first (bounded) and hands every YAML file to `visit`, decoded as kubectl decodes it (UTF-16 after a byte-order mark). Never throws. */
export async function scanFolder(folderUri: string, visit: (uri: string, text: string) => void, budget = { files: MAX_FILES }): Promise<ScanResult> {
  let root: string;
  try {
    root = fileURLToPath(folderUri);
  } catch {
    return { files: 0, truncated: false };
  }
  const queue = [root];
  // Device and inode of every folder queued: a symbolic link back to one is not followed again.
  const folders = new Set<string>();
  try {
    const st = await stat(root);
    folders.add(`${st.dev}:${st.ino}`);
  } catch {
    return { files: 0, truncated: false };
  }
  let files = 0;
  while (queue.length > 0) {
    const dir = queue.shift()!;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (isSkippedName(name)) continue;
      const path = join(dir, name);
      let st;
      try {
        st = await stat(path);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        const id = `${st.dev}:${st.ino}`;
        if (folders.has(id)) continue;
        folders.add(id);
        queue.push(path);
      } else if (st.isFile() && WANTED.test(name) && st.size <= MAX_BYTES) {
        if (budget.files <= 0) return { files, truncated: true };
        budget.files--;
        try {
          visit(pathToFileURL(path).href, decodeFile(await readFile(path)).text);
          files++;
        } catch {
          // unreadable: skip
        }
      }
    }
  }
  return { files, truncated: false };
}

/** The saved text of a file (decoded as in scanFolder), or undefined when it cannot be read. */
export async function readSaved(uri: string): Promise<string | undefined> {
  try {
    const path = fileURLToPath(uri);
    const st = await stat(path);
    if (!st.isFile() || st.size > MAX_BYTES) return undefined;
    return decodeFile(await readFile(path)).text;
  } catch {
    return undefined;
  }
}
