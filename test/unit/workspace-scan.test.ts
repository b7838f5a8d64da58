// The language server's walk of a workspace folder (server/src/workspace-scan.ts).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { scanFolder } from '../../server/src/workspace-scan';

const dir = mkdtempSync(join(tmpdir(), 'hatopo-scan-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('symbolic links back to a folder already walked are not followed: each YAML file is read once', { skip: process.platform === 'win32' && 'POSIX symbolic links' }, async () => {
  const root = join(dir, 'loops');
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(root, 'pdb.yaml'), 'kind: PodDisruptionBudget\n');
  writeFileSync(join(root, 'sub', 'sts.yaml'), 'kind: StatefulSet\n');
  // Two links to the folder in each folder: 2^40 paths before the system says ELOOP.
  symlinkSync('.', join(root, 'a'));
  symlinkSync('.', join(root, 'b'));
  symlinkSync('..', join(root, 'sub', 'up'));
  const seen: string[] = [];
  const result = await scanFolder(pathToFileURL(root).href, (uri) => seen.push(fileURLToPath(uri).slice(root.length + 1)));
  assert.deepEqual(result, { files: 2, truncated: false });
  assert.deepEqual(seen, ['pdb.yaml', join('sub', 'sts.yaml')]);
});
