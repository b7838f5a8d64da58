import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { LspClient } from '../helpers/lsp-client';

const STS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: pg
  namespace: db
spec:
  replicas: 3
  selector:
    matchLabels:
      app: pg
  template:
    metadata:
      labels:
        app: pg
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector:
                matchLabels:
                  app: pg
              topologyKey: kubernetes.io/hostname
      containers:
        - name: pg
          image: postgres:16
`;

const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: pg
  namespace: db
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: pg
`;

const dir = mkdtempSync(join(tmpdir(), 'hatopo-ws-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Polls the latest published diagnostics of `uri` until `ok` holds. */
async function eventually(client: LspClient, uri: string, ok: (codes: string[]) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const codes = (client.lastPublished(uri)?.diagnostics ?? []).map((d) => String(d.code));
    if (client.lastPublished(uri) && ok(codes)) return;
    if (Date.now() > deadline) assert.fail(`${what}: last diagnostics ${JSON.stringify(codes)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('a PDB in another file of the workspace counts; deleting it, or adding one in an open file, updates diagnostics', async () => {
  const pdbPath = join(dir, 'pdb.yaml');
  writeFileSync(pdbPath, PDB);
  writeFileSync(join(dir, 'sts.yaml'), STS);
  const client = new LspClient({ pull: false, workspaceFolders: [pathToFileURL(dir).href] });
  try {
    await client.initialize();
    const sts = pathToFileURL(join(dir, 'sts.yaml')).href;
    await client.open(sts, STS, 'yaml');
    await eventually(client, sts, (c) => !c.includes('kubernetes/pdb-missing'), 'the PDB on disk is seen');

    rmSync(pdbPath);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(pdbPath).href, type: 3 }] });
    await eventually(client, sts, (c) => c.includes('kubernetes/pdb-missing'), 'the deleted PDB is gone');

    const unsaved = pathToFileURL(join(dir, 'new-pdb.yaml')).href;
    await client.open(unsaved, PDB, 'yaml');
    await eventually(client, sts, (c) => !c.includes('kubernetes/pdb-missing'), 'a PDB in an open, unsaved file counts');
    await client.close(unsaved);
    await eventually(client, sts, (c) => c.includes('kubernetes/pdb-missing'), 'closing the unsaved file drops its PDB');
  } finally {
    await client.shutdown();
  }
});
