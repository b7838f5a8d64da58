// The hatopo.checks setting as a person edits it: a check turned off is off, and VS Code's
// settings.json, which knows every check id from the extension, flags one no check has.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { e2eSkipReason, startSession } from '../helpers/e2e-session';
import type { Session } from '../helpers/e2e-session';

const skip = e2eSkipReason();
let s: Session;
before(async () => {
  if (!skip) s = await startSession({ 'hatopo.checks': { 'patroni/timing': 'off', 'patroni/timng': 'error' } });
});
after(() => s?.stop());

test('hatopo.checks: patroni/timing turned off is off; the misspelt patroni/timng is flagged in settings.json, which completes check ids', { skip, timeout: 120_000 }, async () => {
  const wb = s.workbench;
  await wb.openFile('patroni.yml');
  await wb.until('the one warning left', async () => (await wb.problems()).warnings === 1);
  await wb.runCommand('Preferences: Open User Settings (JSON)');
  await wb.page.waitForSelector('.tab.active[data-resource-name="settings.json"]', { timeout: 15_000 });
  await wb.until('the settings.json warning', async () => (await wb.problems()).warnings === 2);
  await wb.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
  const codes = await wb.until('both files in the Problems panel', async () => {
    const c = await wb.problemCodes();
    return c['patroni.yml'] && c['settings.json'] && c;
  });
  assert.deepEqual(codes['patroni.yml'], ['patroni/connect-address-loopback']);
  const rows = await wb.problemRows();
  assert.ok(rows.some((r) => r.includes('patroni/timng') && /not allowed/i.test(r)), rows.join('\n'));
  await s.screenshot('settings-unknown-check');

  // Completion of a check id in hatopo.checks.
  await wb.openFile('settings.json');
  await wb.goToLine(15);
  await wb.page.keyboard.press('End');
  await wb.page.keyboard.type(',\n"patroni/timing-m');
  await wb.page.keyboard.press('Control+Space');
  const suggestions = await wb.until('the check ids suggested', async () => {
    const labels = await wb.suggestions();
    return labels.length > 0 && labels;
  });
  assert.ok(suggestions.some((l) => l.includes('patroni/timing-minimum')), suggestions.join('\n'));
  await s.screenshot('settings-check-completion');
  await wb.page.keyboard.press('Escape');
});
