import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type * as lsp from 'vscode-languageserver-protocol';
import { parseAllDocuments } from 'yaml';
import { createEngine } from '../../server/src/core';
import { LspClient, applyEdits } from '../helpers/lsp-client';

/** A file name that makes the server read a check's example as the check's format. */
const FILE: Record<string, string> = {
  patroni: 'patroni.yml',
  sentinel: 'sentinel.conf',
  redis: 'redis.conf',
  haproxy: 'haproxy.cfg',
  kubernetes: 'manifest.yaml',
};

const checks = createEngine()
  .checks()
  .filter((c) => c.bad);

let client: LspClient;
before(async () => {
  client = new LspClient({ pull: true });
  await client.initialize();
});
after(() => client.shutdown());

test('every quick fix, through the protocol: applied to the check\'s own example, the problem is gone and the file still parses', async () => {
  let fixesTried = 0;
  for (const check of checks) {
    const uri = `file:///qf/${check.id}/${FILE[check.kind]}`;
    const text = check.bad!;
    await client.open(uri, text, check.kind === 'haproxy' ? 'haproxy' : check.kind === 'patroni' || check.kind === 'kubernetes' ? 'yaml' : 'redis-conf');
    const diags = (await client.pull(uri)).filter((d) => d.code === check.id);
    assert.ok(diags.length > 0, `${check.id}: its documented example triggers it`);
    for (const diag of diags) {
      const actions = await client.request<lsp.CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
      for (const action of actions.filter((a) => a.diagnostics?.[0]?.code === check.id && a.diagnostics[0].range.start.line === diag.range.start.line)) {
        const edits = action.edit?.changes?.[uri];
        assert.ok(edits && edits.length > 0, `${check.id}: "${action.title}" carries edits`);
        const fixed = applyEdits(text, edits);
        const furi = `${uri}.fix${fixesTried}`;
        const name = `file:///qf/fixed/${fixesTried}/${FILE[check.kind]}`;
        await client.open(name, fixed, 'plaintext');
        const after = await client.pull(name);
        // Still there: the same check at the same place, whatever its message now says.
        const same = after.filter((d) => d.code === check.id && d.range.start.line === diag.range.start.line && d.range.start.character === diag.range.start.character);
        assert.deepEqual(same, [], `${check.id}: "${action.title}" removes the problem (${furi})`);
        if (check.kind === 'patroni' || check.kind === 'kubernetes') {
          for (const doc of parseAllDocuments(fixed)) assert.deepEqual(doc.errors.map((e) => e.message), [], `${check.id}: "${action.title}" leaves valid YAML`);
        }
        await client.close(name);
        fixesTried++;
      }
    }
    await client.close(uri);
  }
  assert.ok(fixesTried >= 30, `tried ${fixesTried} fixes`);
});
