// The action runner with a scripted system and a fake clock: every outcome (dry run, refused, not
// confirmed, failed, done after polling, deadline, cancelled), and the audit record each one leaves.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AuditRecord, Clock, Preflight } from '../../live/src/actions/model';
import type { ActionSpec } from '../../live/src/actions/run';
import { fileAuditSink, refusal, runAction } from '../../live/src/actions/run';
import type { ClusterState } from '../../live/src/model';

const SECRET = 's3cret-pw';

function state(leader: string, over: Partial<ClusterState> = {}): ClusterState {
  return { kind: 'patroni', name: 'billing', source: 'http://10.0.0.1:8008', observedAt: '2026-12-03T00:00:00Z', leader, members: [], health: 'ok', problems: [], ...over };
}

function fakeClock(): Clock & { slept: number[] } {
  let t = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

/** A system whose reads follow `states` (the last one repeats), whose perform answers or throws. */
function scripted(states: ClusterState[], o: { perform?: () => Promise<string>; ok?: boolean } = {}): ActionSpec & { performed: number; reads: number } {
  const spec = {
    performed: 0,
    reads: 0,
    action: 'switchover' as const,
    kind: 'patroni' as const,
    source: 'http://10.0.0.1:8008',
    options: { member: 'pg2' },
    async read() {
      return states[Math.min(spec.reads++, states.length - 1)];
    },
    preflight(s: ClusterState): Preflight {
      const ok = o.ok ?? true;
      return { action: 'switchover', kind: 'patroni', cluster: s.name, primary: s.leader, target: 'pg2', ok, blockers: ok ? [] : ['the cluster is paused'], warnings: [], candidates: [{ member: 'pg2', safe: ok, reasons: ok ? [] : ['it lags'], notes: ['lag 0 B'] }] };
    },
    async perform() {
      spec.performed++;
      return o.perform ? o.perform() : 'Successfully switched over';
    },
    verify(_before: ClusterState, after: ClusterState) {
      return after.leader === 'pg2' ? (true as const) : `${after.leader} still leads`;
    },
  };
  return spec;
}

function memoryAudit(): { records: AuditRecord[]; write(r: AuditRecord): Promise<void> } {
  const records: AuditRecord[] = [];
  return { records, write: async (r) => void records.push(r) };
}

test('done: the system is polled until the new state shows; the audit record says who, what, target and how long', async () => {
  const clock = fakeClock();
  const audit = memoryAudit();
  const spec = scripted([state('pg1'), state('pg1'), state('pg1'), state('pg2')]);
  const progress: string[] = [];
  const r = await runAction(spec, { deadlineMs: 60_000, pollMs: 500, clock, audit, via: 'test', user: 'dba', progress: (m) => progress.push(m) });
  assert.equal(r.outcome, 'done');
  assert.equal(spec.performed, 1);
  assert.equal(r.after?.leader, 'pg2');
  assert.deepEqual(clock.slept, [500, 500]);
  assert.equal(r.durationMs, 1000);
  assert.match(r.message, /^Successfully switched over; observed after 1\.0 s$/);
  assert.ok(progress.includes('waiting: pg1 still leads'));
  const [rec] = audit.records;
  assert.deepEqual([rec.action, rec.outcome, rec.cluster, rec.primary, rec.target, rec.user, rec.via, rec.durationMs], ['switchover', 'done', 'billing', 'pg1', 'pg2', 'dba', 'test', 1000]);
  assert.deepEqual(rec.preflight.target, { member: 'pg2', safe: true, reasons: [], notes: ['lag 0 B'] });
  assert.deepEqual(rec.options, { member: 'pg2' });
  assert.equal(rec.at, new Date(1_001_000).toISOString());
});

test('dry run and refusal change nothing: perform is never called; the reasons are in the message', async () => {
  const audit = memoryAudit();
  const dry = scripted([state('pg1')]);
  const d = await runAction(dry, { dryRun: true, deadlineMs: 1000, clock: fakeClock(), audit, via: 'test' });
  assert.equal(d.outcome, 'dry-run');
  assert.equal(dry.performed, 0);
  const bad = scripted([state('pg1')], { ok: false });
  const r = await runAction(bad, { deadlineMs: 1000, clock: fakeClock(), audit, via: 'test', confirm: async () => assert.fail('not asked after a refusal') });
  assert.equal(r.outcome, 'refused');
  assert.equal(bad.performed, 0);
  assert.equal(r.message, 'refused: the cluster is paused; pg2: it lags');
  assert.equal(refusal(r.preflight), 'the cluster is paused; pg2: it lags');
  assert.deepEqual(audit.records.map((x) => x.outcome), ['dry-run', 'refused']);
});

test('an unreadable cluster is refused, never acted on', async () => {
  const spec = scripted([state('pg1', { error: 'connection refused 10.0.0.1:8008', leader: undefined })]);
  const r = await runAction(spec, { deadlineMs: 1000, clock: fakeClock(), via: 'test' });
  assert.equal(r.outcome, 'refused');
  assert.equal(spec.performed, 0);
  assert.match(r.message, /the cluster could not be read: connection refused 10\.0\.0\.1:8008/);
});

test('not confirmed: cancelled, nothing done; the confirmation sees the pre-flight', async () => {
  const spec = scripted([state('pg1')]);
  let seen: Preflight | undefined;
  const r = await runAction(spec, { deadlineMs: 1000, clock: fakeClock(), via: 'test', confirm: async (p) => ((seen = p), false) });
  assert.equal(r.outcome, 'cancelled');
  assert.equal(spec.performed, 0);
  assert.equal(seen?.target, 'pg2');
});

test('the system refuses: failed, with its words, a password in them masked', async () => {
  const audit = memoryAudit();
  const spec = scripted([state('pg1')], { perform: async () => Promise.reject(new Error(`412 no good candidates (auth admin:${SECRET})`)) });
  const r = await runAction(spec, { deadlineMs: 1000, clock: fakeClock(), audit, via: 'test', secrets: [SECRET] });
  assert.equal(r.outcome, 'failed');
  assert.match(r.message, /patroni refused or failed: 412 no good candidates \(auth admin:\*\*\*\)/);
  assert.ok(!JSON.stringify(audit.records).includes(SECRET));
});

test('the deadline passes: timeout, with what was still awaited; polling stops', async () => {
  const clock = fakeClock();
  const spec = scripted([state('pg1')]);
  const r = await runAction(spec, { deadlineMs: 3000, pollMs: 1000, clock, via: 'test' });
  assert.equal(r.outcome, 'timeout');
  assert.match(r.message, /within 3 s the new state was not observed: pg1 still leads/);
  assert.equal(clock.slept.length, 3);
});

test('cancelled while waiting: the system may still finish, and the message says what was seen last', async () => {
  const stop = new AbortController();
  const clock = fakeClock();
  const spec = scripted([state('pg1')]);
  clock.sleep = async () => stop.abort();
  const r = await runAction(spec, { deadlineMs: 60_000, clock, signal: stop.signal, via: 'test' });
  assert.equal(r.outcome, 'cancelled');
  assert.equal(spec.performed, 1);
  assert.match(r.message, /stopped waiting \(Successfully switched over\); the last state seen: pg1 still leads/);
});

test('an audit sink that fails does not hide the outcome; the file sink appends one private JSON line per action', async () => {
  const spec = scripted([state('pg1'), state('pg2')]);
  const r = await runAction(spec, { deadlineMs: 60_000, clock: fakeClock(), via: 'test', audit: { write: async () => Promise.reject(new Error('disk full')) } });
  assert.equal(r.outcome, 'done');
  assert.match(r.message, /\(the audit record could not be written: disk full\)/);
  const dir = mkdtempSync(join(tmpdir(), 'hatopo-audit-'));
  try {
    const file = join(dir, '.hatopo', 'audit.jsonl');
    const sink = fileAuditSink(file);
    await runAction(scripted([state('pg1')]), { dryRun: true, deadlineMs: 1, clock: fakeClock(), via: 'cli', audit: sink });
    await runAction(scripted([state('pg1'), state('pg2')]), { deadlineMs: 10_000, clock: fakeClock(), via: 'cli', audit: sink });
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);
    assert.deepEqual(lines.map((l) => l.outcome), ['dry-run', 'done']);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
