// "HA Topology: Restart Language Server" from the command palette: files opened afterwards get
// their diagnostics, and the server's orderly exit is not reported as an error.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { e2eSkipReason, outputChannelText, startSession } from '../helpers/e2e-session';
import type { Session } from '../helpers/e2e-session';

const skip = e2eSkipReason();
let s: Session;
before(async () => {
  if (!skip) s = await startSession();
});
after(() => s?.stop());

test('after a restart, a file opened afterwards gets diagnostics and the output shows no error', { skip, timeout: 120_000 }, async () => {
  const wb = s.workbench;
  await wb.openFile('patroni.yml');
  await wb.until('the Patroni warnings', async () => (await wb.problems()).warnings === 2);

  await wb.runCommand('HA Topology: Restart Language Server');
  await wb.until('the restart to finish', async () => (await wb.statusBarText()).includes('language server restarted'));
  await wb.until('the Patroni warnings again', async () => (await wb.problems()).warnings === 2);

  await wb.openFile('sentinel.conf');
  await wb.until('the Sentinel errors of a file opened after the restart', async () => (await wb.problems()).errors === 2, 20_000);

  // The first server's exit, as the client logged it (an info line, not an error).
  const output = await wb.until('the first server exit in the output channel', async () => {
    const text = outputChannelText(s.server.userDataDir, 'HA Topology');
    return /Server process exited/.test(text) && text;
  });
  assert.match(output, /Server process exited successfully/);
  assert.doesNotMatch(output, /exited with code/);
  assert.deepEqual(output.split('\n').filter((l) => /\[error\b/i.test(l)), []);
});
