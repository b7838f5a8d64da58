// Typing in a file with problems: its diagnostics stay on screen until the new ones arrive. An
// edit made while a pull for the previous text is still in flight cancels that pull; the client
// must then keep the previous diagnostics, not show an empty list until the next pull answers.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { e2eSkipReason, outputChannelText, startSession, total } from '../helpers/e2e-session';
import type { Problems, Session } from '../helpers/e2e-session';

const SECTIONS = 300;
const PULL_DELAY_MS = 150;
const skip = e2eSkipReason();
let s: Session;
before(async () => {
  // The trace shows the edits made while a pull was in flight: the case this test is about. Each pull
  // is made to take PULL_DELAY_MS, longer than a key press, so that edits overtake pulls on a fast
  // machine as on a slow one.
  if (!skip) s = await startSession({ 'hatopo.trace.server': 'messages' }, { HATOPO_TEST_PULL_DELAY_MS: String(PULL_DELAY_MS) });
});
after(() => s?.stop());


/** Patroni listeners whose first server lacks `check`: one warning per section, enough text that a pull takes a while. */
function listeners(): string {
  const out = ['defaults', '    mode tcp', '    timeout connect 5s', '    timeout client 30m', '    timeout server 30m', ''];
  for (let i = 0; i < SECTIONS; i++) {
    const ip = `${i >> 8}.${i & 255}`;
    out.push(`listen pg${i}`, `    bind *:${10000 + i}`, '    option httpchk OPTIONS /primary', '    default-server inter 3s fall 3 rise 2 on-marked-down shutdown-sessions');
    out.push(`    server pg${i}a 10.0.${ip}:5432 port 8008`, `    server pg${i}b 10.1.${ip}:5432 check port 8008`, '');
  }
  return out.join('\n') + '\n';
}
/** 1-based line of section i's server without `check`. */
const uncheckedServerLine = (i: number) => 7 + 7 * i + 4;

/** From the client's trace: diagnostic pulls sent and answered, and edits sent while one was in flight. */
function pulls(trace: string): { sent: number; answered: number; overtaken: number } {
  const inFlight = new Set<string>();
  let sent = 0;
  let answered = 0;
  let overtaken = 0;
  for (const line of trace.split('\n')) {
    const request = /Sending request 'textDocument\/diagnostic - \((\d+)\)'/.exec(line);
    const response = /Received response 'textDocument\/diagnostic - \((\d+)\)'/.exec(line);
    if (request) {
      sent++;
      inFlight.add(request[1]);
    } else if (response) {
      answered++;
      inFlight.delete(response[1]);
    } else if (line.includes("Sending notification 'textDocument/didChange'") && inFlight.size > 0) {
      overtaken++;
    }
  }
  return { sent, answered, overtaken };
}

test('typing never blanks the diagnostics of the file in between', { skip, timeout: 180_000 }, async () => {
  const wb = s.workbench;
  writeFileSync(join(s.server.workspace, 'haproxy-listeners.cfg'), listeners());
  await wb.openFile('haproxy-listeners.cfg');
  const initial = await wb.until('the warnings of every section', async () => {
    const p = await wb.problems();
    return p.warnings === SECTIONS && p;
  }, 60_000);
  // The client traces the LSP messages once its output channel logs at Trace level.
  await wb.setLogLevel('HA Topology', 'Trace');
  const trace = () => outputChannelText(s.server.userDataDir, 'HA Topology');
  const settled = () => wb.until('every pull answered', async () => {
    const p = pulls(trace());
    return p.sent === p.answered && p;
  });
  const start = await settled();

  const stopRecording = await wb.recordProblems();
  let round = 0;
  let overtaken = 0;
  // Each round adds `check` to one more server, typed key by key (one key per 50 ms, faster in a round
  // after one where no edit overtook a pull), until an edit has overtaken a pull in flight.
  const delays = [50, 50, 25, 10, 0, 0, 0];
  while (round < delays.length && overtaken === 0) {
    await wb.goToLine(uncheckedServerLine(round));
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.type(' check', { delay: delays[round] });
    round++;
    await wb.until(`the warning of server pg${round - 1}a gone`, async () => (await wb.problems()).warnings === SECTIONS - round);
    overtaken = (await settled()).overtaken - start.overtaken;
  }
  await s.screenshot('typing');
  const seen = await stopRecording();
  console.log(`${round} round(s), ${overtaken} edit(s) overtook a pull (${delays[round - 1]} ms per key); counter states: ${seen.map((p) => `${p.errors}/${p.warnings}/${p.infos}`).join(' → ')}`);
  assert.ok(overtaken > 0, 'no edit overtook a pull in flight: nothing was tested');
  const dips = seen.filter((p: Problems) => total(p) < total(initial) - round);
  const show = (p: Problems) => `${p.errors}/${p.warnings}/${p.infos}`;
  assert.deepEqual(dips.map(show), [], `the problems (errors/warnings/infos) dropped while typing: ${seen.map(show).join(' → ')}`);
});
