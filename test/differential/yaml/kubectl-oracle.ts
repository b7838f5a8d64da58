import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The real kubectl reading manifests without a cluster: `kubectl label --local -f DIR k=v -o json`
 * prints every object as kubectl read it (with the label added). One document per file, one kubectl
 * run for all of them: files it refuses are named on stderr, the others print in file order. A
 * document given as bytes is written as it is (another encoding, bytes that are not UTF-8).
 */

/** The label the oracle adds (and the comparison removes). */
export const LABEL_KEY = 'hatopo-differential';

export interface KubectlRead {
  /** The objects kubectl printed for the document (a List gives its items); undefined when it refused the file. */
  objects?: Record<string, unknown>[];
  /** Why kubectl refused it, as it says. */
  error?: string;
}

/** kubectl: $KUBECTL, else kubectl on the PATH. */
export function findKubectl(): { kubectl: string; version: string } | { missing: string } {
  const kubectl = process.env.KUBECTL ?? 'kubectl';
  const r = spawnSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8', timeout: 30_000 });
  if (r.status === 0) {
    const v = (JSON.parse(r.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? '?';
    return { kubectl, version: v };
  }
  return { missing: `kubectl not found (${kubectl}): install it (Debian: apt-get install kubernetes-client) or set KUBECTL` };
}

/** Splits kubectl's output, a sequence of JSON values, into those values. */
function jsonValues(out: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < out.length; i++) {
    const c = out[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if (c === '}' || c === ']') {
      if (--depth === 0) values.push(JSON.parse(out.slice(start, i + 1)));
    }
  }
  return values;
}

/**
 * Reads each document with kubectl. `expected(i)` is how many objects document i should print
 * (0 for a file of comments, the number of items of a List), so the output can be attributed.
 */
export function readWithKubectl(kubectl: string, documents: ReadonlyArray<string | Uint8Array>, expected: (i: number) => number): KubectlRead[] {
  const dir = mkdtempSync(join(tmpdir(), 'hatopo-kubectl-'));
  try {
    const names = documents.map((_, i) => `d${String(i).padStart(6, '0')}.yaml`);
    documents.forEach((text, i) => writeFileSync(join(dir, names[i]), text));
    const r = spawnSync(kubectl, ['label', '--local', '--overwrite', '-f', dir, `${LABEL_KEY}=1`, '-o', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 300_000 });
    if (r.error) throw r.error;
    const refused = new Map<string, string>();
    let last: string | undefined;
    for (const line of r.stderr.split('\n')) {
      const name = /d\d{6}\.yaml/.exec(line)?.[0];
      if (name) refused.set((last = name), line.replace(/^error: /, '').replace(dir + '/', ''));
      // A message quoting a value with line breaks goes on over the next lines.
      else if (last && line !== '' && !line.startsWith('error: ')) refused.set(last, `${refused.get(last)}\n${line}`);
      else if (line.trim() && !/^error: no objects passed/.test(line)) throw new Error(`unexpected kubectl output: ${line}`);
    }
    const objects = jsonValues(r.stdout) as Record<string, unknown>[];
    let next = 0;
    const out = documents.map((_, i): KubectlRead => {
      const error = refused.get(names[i]);
      if (error !== undefined) return { error };
      const n = expected(i);
      const mine = objects.slice(next, next + n);
      next += n;
      return { objects: mine };
    });
    if (next !== objects.length) throw new Error(`kubectl printed ${objects.length} objects, the documents account for ${next}`);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
