import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import type * as lsp from 'vscode-languageserver-protocol';
import { LspClient } from '../helpers/lsp-client';
import { WIDGET_CRD } from '../helpers/kubernetes-fixtures';

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


test('completion and hover of a custom resource whose CRD is a file on disk in the workspace', async () => {
  const folder = join(dir, 'crd-ws');
  mkdirSync(join(folder, 'crds'), { recursive: true });
  writeFileSync(join(folder, 'crds', 'widget-crd.yaml'), WIDGET_CRD);
  const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  \n';
  const client = new LspClient({ pull: false, workspaceFolders: [pathToFileURL(folder).href] });
  try {
    await client.initialize();
    const uri = pathToFileURL(join(folder, 'widget.yaml')).href;
    await client.open(uri, widget, 'yaml');
    const complete = async () => {
      const items = await client.request<lsp.CompletionItem[] | lsp.CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 2 } });
      return Array.isArray(items) ? items : items.items;
    };
    // The folder is read in the background: ask until the CRD has been seen.
    const deadline = Date.now() + 10_000;
    let items = await complete();
    while (!items.some((i) => i.label === 'replicas')) {
      if (Date.now() > deadline) assert.fail(`the CRD on disk was never offered: ${JSON.stringify(items.map((i) => i.label))}`);
      await new Promise((r) => setTimeout(r, 25));
      items = await complete();
    }
    assert.match(String((items.find((i) => i.label === 'replicas')!.documentation as lsp.MarkupContent | undefined)?.value ?? ''), /How many widget pods run/);

    await client.replaceAll(uri, widget.replace('spec:\n  \n', 'spec:\n  replicas: 2\n'));
    const hover = await client.request<lsp.Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 4 } });
    assert.match((hover?.contents as lsp.MarkupContent | undefined)?.value ?? '', /How many widget pods run/);
  } finally {
    await client.shutdown();
  }
});
