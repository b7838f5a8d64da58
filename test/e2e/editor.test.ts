// Editing HAProxy and Sentinel files in VS Code: indentation on Enter, and the outline.
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

/** The cursor's column once the status bar shows it on `line`. */
const columnOnLine = (line: number) =>
  s.workbench.until(`the cursor on line ${line}`, async () => {
    const c = await s.workbench.cursor();
    return c.line === line && c.column;
  });

test('HAProxy: Enter at the end of an indented line keeps the section indentation', { skip, timeout: 90_000 }, async () => {
  const wb = s.workbench;
  await wb.openFile('haproxy.cfg');
  await wb.goToLine(11); // "    bind *:5000" in "listen primary"
  await wb.page.keyboard.press('End');
  await wb.page.keyboard.press('Enter');
  assert.equal(await columnOnLine(12), 5);
  await wb.page.keyboard.type('maxconn 100');
  assert.equal(await wb.until('line 12 rendered', () => wb.lineText(12).then((t) => t?.trim() === 'maxconn 100' && t)), '    maxconn 100');
});

test('HAProxy: Enter after a section header indents; a section header typed in a section moves to column 1', { skip, timeout: 90_000 }, async () => {
  const wb = s.workbench;
  await wb.openFile('haproxy.cfg');
  await wb.goToLine(10); // "listen primary"
  await wb.page.keyboard.press('End');
  await wb.page.keyboard.press('Enter');
  assert.equal(await columnOnLine(11), 5);
  await wb.page.keyboard.type('maxconn 200');
  await wb.goToLine(18); // the last server line, below the two lines these tests added
  await wb.page.keyboard.press('End');
  await wb.page.keyboard.press('Enter');
  await wb.page.keyboard.type('backend replicas', { delay: 30 });
  assert.equal(await wb.until('line 19 rendered', () => wb.lineText(19).then((t) => t?.includes('replicas') && t)), 'backend replicas');
});

test('Sentinel: the outline lists every monitored master, those with errors too', { skip, timeout: 90_000 }, async () => {
  const wb = s.workbench;
  await wb.openFile('sentinel.conf');
  await wb.until('the Sentinel errors', async () => (await wb.problems()).errors === 2);
  await wb.runCommand('Explorer: Focus on Outline View');
  const rows = await wb.until('the masters in the outline', async () => {
    const r = await wb.outlineRows();
    return r.some((t) => t.startsWith('sessions')) && r;
  });
  assert.deepEqual(
    rows.filter((t) => !t.startsWith('down-after')),
    ['orders10.40.0.11:6379 quorum 2', 'billing10.40.0.21:6379 quorum 01', 'sessionsredis-sessions.internal:6379 quorum 21'],
  );
  // Room for the outline in the screenshot: the folders pane folded.
  await wb.page.click('.pane-header:has-text("workspace")');
  await wb.page.waitForSelector('.explorer-folders-view', { state: 'hidden', timeout: 15_000 });
  await wb.page.waitForSelector('.outline-pane .monaco-list-row:has-text("sessions")', { state: 'visible', timeout: 15_000 });
  await s.screenshot('sentinel-outline');
});
