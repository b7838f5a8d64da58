// The schemas offered to Red Hat's YAML extension (package.json contributes.yamlValidation),
// checked with the language server inside that extension: yaml-language-server, as a dev dependency.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type * as lsp from 'vscode-languageserver-protocol';
import { dedent } from '../helpers/engine';
import { LspClient, REPO } from '../helpers/lsp-client';

const YAML_LS = join(REPO, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const dir = mkdtempSync(join(tmpdir(), 'hatopo-redhat-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface YamlValidation {
  fileMatch: string[];
  url: string;
}

const contributed = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { contributes: { yamlValidation: YamlValidation[] } }).contributes.yamlValidation;

/** yaml-language-server set up as Red Hat's extension sets it up from contributes.yamlValidation. */
function yamlLs(): LspClient {
  const schemas: Record<string, string[]> = {};
  for (const v of contributed) schemas[pathToFileURL(join(REPO, v.url)).href] = v.fileMatch;
  const yamlSettings = { validate: true, hover: true, completion: true, schemas, schemaStore: { enable: false } };
  return new LspClient({ pull: false, command: [YAML_LS, '--stdio'], settings: yamlSettings, yamlSettings });
}

async function diagnosticsOf(client: LspClient, path: string, text: string): Promise<lsp.Diagnostic[]> {
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  await client.open(uri, text, 'yaml');
  return client.publishedAfter(uri, 0, 60_000);
}

test('every contributed schema file exists (npm run build writes the generated ones)', () => {
  assert.ok(contributed.length >= 2);
  for (const v of contributed) assert.ok(existsSync(join(REPO, v.url)), v.url);
  assert.ok(contributed.some((v) => v.url.endsWith('patroni.schema.json')));
  assert.ok(contributed.some((v) => v.url.endsWith('generated/kubernetes.schema.json')));
});

test('yaml-language-server validates each document against the schema of its own kind', async () => {
  const kubernetes = contributed.find((v) => v.url.endsWith('kubernetes.schema.json'))!;
  assert.ok(kubernetes.fileMatch.includes('**/cnpg/**/*.yaml'), 'operator manifest folders are associated');
  const client = yamlLs();
  try {
    await client.initialize();
    const text = dedent(`
      apiVersion: postgresql.cnpg.io/v1
      kind: Cluster
      metadata:
        name: pg
      spec:
        instances: "3"
      ---
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: etcd
      spec:
        replicas: three
        selector:
          matchLabels:
            app: etcd
        serviceName: etcd
        template:
          metadata:
            labels:
              app: etcd
          spec:
            containers:
              - name: etcd
                image: quay.io/coreos/etcd:v3.5.9
      ---
      apiVersion: redis.redis.opstreelabs.in/v1beta2
      kind: RedisSentinel
      metadata:
        name: sentinel
      spec:
        clusterSize: 3
      ---
      apiVersion: example.com/v1
      kind: Widget
      spec:
        anything: [1, 2]
      ---
      plain: config
    `);
    // Outside the operator folders nothing is associated (SchemaStore's schemas keep those files).
    mkdirSync(join(dir, 'apps'), { recursive: true });
    assert.deepEqual(await diagnosticsOf(client, join(dir, 'apps', 'all.yaml'), text), []);
    mkdirSync(join(dir, 'cnpg'), { recursive: true });
    const found = await diagnosticsOf(client, join(dir, 'cnpg', 'all.yaml'), text);
    const lines = found.map((d) => d.range.start.line).sort((a, b) => a - b);
    // instances "3" (line 5), replicas three (line 12), the RedisSentinel without kubernetesConfig
    // (line 30: the OT CRD requires it); nothing on the Widget or the plain document.
    assert.deepEqual(lines, [5, 12, 30], JSON.stringify(found));
    const uri = pathToFileURL(join(dir, 'cnpg', 'all.yaml')).href;
    const hover = await client.connection.sendRequest<lsp.Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 4 } });
    const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : JSON.stringify(hover);
    assert.match(value, /instances/i);
    assert.match(value, /Number of instances required in the cluster/i, 'the CNPG CRD description');
  } finally {
    await client.shutdown();
  }
});
