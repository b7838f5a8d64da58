// Hostile YAML opened in an editor: the document the server cannot validate says so in its
// diagnostics, the others of the file are still checked, and positions are the editor's.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LspClient } from '../helpers/lsp-client';

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  a: 1\n';

describe('hostile YAML over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient({ pull: false });
    await client.initialize();
  });
  after(() => client.shutdown());

  const seen = async (uri: string) => (await client.pushed(uri)).map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);

  test('2,000 nested keys: not validated, and said so; the document before is checked', async () => {
    let text = CONFIGMAP + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n';
    for (let i = 0; i < 2000; i++) text += ' '.repeat(i + 2) + `k${i}:\n`;
    const uri = 'file:///ws/deep/cm.yaml';
    await client.open(uri, text);
    const found = await seen(uri);
    assert.ok(found.includes('kubernetes/unquoted-string@5:5'), found.join('\n'));
    assert.equal(found.filter((d) => d.startsWith('hatopo/not-validated@')).length, 1, found.join('\n'));
  });

  test('a byte-order mark in the editor text and lone CR line breaks: recognised, positions as the editor counts lines', async () => {
    const uri = 'file:///ws/bom/cm.yaml';
    await client.open(uri, ('\ufeff' + CONFIGMAP).replace(/\n/g, '\r'));
    assert.deepEqual(await seen(uri), ['kubernetes/unquoted-string@5:5']);
  });
});
