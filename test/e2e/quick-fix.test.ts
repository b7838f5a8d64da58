// A Kubernetes manifest in VS Code: an unquoted `yes` where the API wants a string is an error, and
// its quick fix quotes it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { e2eSkipReason, startSession } from '../helpers/e2e-session';
import type { Session } from '../helpers/e2e-session';

const skip = e2eSkipReason();
let s: Session;
before(async () => {
  if (!skip) s = await startSession();
});
after(() => s?.stop());

const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: patroni-env
data:
  PATRONI_LOG_LEVEL: INFO
  PATRONI_SYNCHRONOUS_MODE: yes
`;

test('kubernetes/unquoted-string: the error is shown and its quick fix quotes the value', { skip, timeout: 120_000 }, async () => {
  const wb = s.workbench;
  writeFileSync(join(s.server.workspace, 'patroni-env.yaml'), MANIFEST);
  await wb.openFile('patroni-env.yaml');
  await wb.until('the unquoted-string error', async () => (await wb.problems()).errors === 1);
  await wb.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
  const codes = await wb.until('the error in the Problems panel', async () => (await wb.problemCodes())['patroni-env.yaml']);
  assert.deepEqual(codes, ['kubernetes/unquoted-string']);
  await s.screenshot('unquoted-string');
  await wb.openFile('patroni-env.yaml');
  await wb.goToLine(7);
  await wb.page.keyboard.press('End');
  await wb.runCommand('Auto Fix...');
  const fixed = await wb.until('line 7 quoted', () => wb.lineText(7).then((t) => t?.includes('"yes"') && t));
  assert.equal(fixed, '  PATRONI_SYNCHRONOUS_MODE: "yes"');
  await wb.until('no problem left', async () => (await wb.problems()).errors === 0);
});
