// Diagnostics as a person sees them in VS Code: the Problems panel with each problem's check id.
// Real VS Code (code-server) and Chromium; `scripts/e2e-setup.sh` installs them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { e2eSkipReason, startSession } from '../helpers/e2e-session';
import type { Session } from '../helpers/e2e-session';

const skip = e2eSkipReason();
let s: Session;
before(async () => {
  if (!skip) s = await startSession();
});
after(() => s?.stop());

test('the Problems panel lists Patroni and HAProxy diagnostics with their check ids', { skip, timeout: 120_000 }, async () => {
  const wb = s.workbench;
  await wb.openFile('patroni.yml');
  await wb.until('the Patroni warnings', async () => (await wb.problems()).warnings === 2);
  await wb.openFile('haproxy.cfg');
  await wb.until('the HAProxy warning', async () => (await wb.problems()).warnings === 3);
  await wb.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
  const codes = await wb.until('both files in the Problems panel', async () => {
    const c = await wb.problemCodes();
    return c['patroni.yml']?.length === 2 && c['haproxy.cfg']?.length === 2 && c;
  });
  assert.deepEqual(codes, {
    'haproxy.cfg': ['haproxy/missing-check', 'haproxy/detection-time'],
    'patroni.yml': ['patroni/connect-address-loopback', 'patroni/timing'],
  });
  await s.screenshot('problems-panel');
});
