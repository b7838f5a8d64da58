// The refresh schedule on a fake clock with fake providers: interval, backoff and its reset, pause,
// one read in flight, watches, and a provider that never answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterState } from '../../live/src/model';
import type { Provider, ReadOptions } from '../../live/src/provider';
import type { Clock, RefreshStatus } from '../../live/src/refresher';
import { backoffMs, readFailed, Refresher } from '../../live/src/refresher';

class FakeClock implements Clock {
  private t = 1_000_000;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  pending(): number {
    return this.timers.size;
  }
  /** Moves time forward by `ms`, firing due timers in order and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      const next = [...this.timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((ok) => setImmediate(ok));
};

const state = (name: string, error?: string): ClusterState => ({ kind: 'patroni', name, source: 'http://127.0.0.1:8008', observedAt: '', members: [], health: error ? 'error' : 'ok', problems: [], ...(error ? { error } : {}) });

/** A provider whose reads the test ends by hand (or at once with `auto`), counting them. */
class FakeProvider implements Provider {
  readonly kind = 'patroni' as const;
  readonly source = 'http://127.0.0.1:8008';
  reads: ReadOptions[] = [];
  inFlight = 0;
  maxInFlight = 0;
  closed = false;
  private pending: Array<(s: ClusterState[]) => void> = [];
  constructor(public answer: (() => ClusterState[]) | null = () => [state('demo')]) {}
  read(options: ReadOptions): Promise<ClusterState[]> {
    this.reads.push(options);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise((ok) => {
      const done = (s: ClusterState[]) => {
        this.inFlight--;
        ok(s);
      };
      if (this.answer) done(this.answer());
      else this.pending.push(done);
    });
  }
  finish(states: ClusterState[]): void {
    const next = this.pending.shift();
    assert.ok(next, 'no read to finish');
    next(states);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function setup(options: { intervalMs?: number; maxBackoffMs?: number; timeoutMs?: number } = {}) {
  const clock = new FakeClock();
  const updates: Array<{ id: string; states: ClusterState[]; failures: number }> = [];
  const refresher = new Refresher({ ...options, clock, onUpdate: (id: string, s: RefreshStatus) => updates.push({ id, states: s.states, failures: s.failures }) });
  return { clock, updates, refresher };
}

test('backoff doubles from the interval and stops at the cap; a failed read is one where every state is an error', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n, 2000, 60_000)), [2000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
  assert.equal(backoffMs(1000, 2000, 60_000), 60_000);
  assert.equal(readFailed([]), true);
  assert.equal(readFailed([state('a', 'connection refused')]), true);
  assert.equal(readFailed([state('a', 'connection refused'), state('b')]), false);
  assert.equal(readFailed([state('a')]), false);
});

test('reads at once, then every interval, and calls back with the states and the clock as observedAt source', async () => {
  const { clock, updates, refresher } = setup({ intervalMs: 2000 });
  const p = new FakeProvider();
  refresher.add('c1', p);
  await settle();
  assert.equal(p.reads.length, 1);
  assert.equal(p.reads[0].now?.().getTime(), clock.now());
  await clock.advance(1999);
  assert.equal(p.reads.length, 1);
  await clock.advance(1);
  assert.equal(p.reads.length, 2);
  await clock.advance(6000);
  assert.equal(p.reads.length, 5);
  assert.equal(updates.length, 5);
  assert.deepEqual(updates.at(-1), { id: 'c1', states: [state('demo')], failures: 0 });
  refresher.dispose();
  assert.equal(p.closed, true);
  assert.equal(clock.pending(), 0);
});

test('failures back off 2 s → 4 → 8 … up to the cap, with the seconds left for the tree; one success resets it', async () => {
  const { clock, refresher } = setup({ intervalMs: 2000, maxBackoffMs: 16_000 });
  let down = true;
  const p = new FakeProvider(() => [down ? state('http://127.0.0.1:8008', 'connection refused 127.0.0.1:8008') : state('demo')]);
  refresher.add('c1', p);
  await settle();
  const readTimes: number[] = [clock.now()];
  assert.equal(refresher.retryInSeconds('c1'), 2);
  for (let i = 0; i < 6; i++) {
    const before = p.reads.length;
    for (let step = 0; step < 100 && p.reads.length === before; step++) await clock.advance(500);
    readTimes.push(clock.now());
  }
  const gaps = readTimes.slice(1).map((t, i) => t - readTimes[i]);
  assert.deepEqual(gaps, [2000, 4000, 8000, 16_000, 16_000, 16_000]);
  assert.equal(refresher.status('c1')?.failures, 7);
  await clock.advance(5000);
  assert.equal(refresher.retryInSeconds('c1'), 11);

  down = false;
  await clock.advance(11_000);
  assert.equal(refresher.status('c1')?.failures, 0);
  assert.equal(refresher.retryInSeconds('c1'), undefined);
  const after = p.reads.length;
  await clock.advance(2000);
  assert.equal(p.reads.length, after + 1, 'back to the interval after a success');
  refresher.dispose();
});

test('one read in flight per cluster: a slow read is not overlapped, and a refresh asked during it runs right after', async () => {
  const { clock, refresher } = setup({ intervalMs: 2000, timeoutMs: 3000 });
  const p = new FakeProvider(null);
  refresher.add('c1', p);
  await settle();
  assert.equal(p.reads.length, 1);
  await clock.advance(5000);
  refresher.refresh('c1');
  refresher.refresh();
  await settle();
  assert.equal(p.reads.length, 1, 'no second read while the first runs');
  p.finish([state('demo')]);
  await settle();
  assert.equal(p.reads.length, 2, 'the refresh asked for during the read');
  p.finish([state('demo')]);
  await settle();
  assert.equal(p.maxInFlight, 1);
  refresher.dispose();
});

test('paused: no reads at all, however long; resume reads what became due; refresh still reads on demand', async () => {
  const { clock, refresher } = setup({ intervalMs: 2000 });
  const a = new FakeProvider();
  const b = new FakeProvider();
  refresher.add('a', a);
  await settle();
  refresher.pause();
  assert.equal(clock.pending(), 0, 'no timer left while paused');
  refresher.add('b', b);
  await clock.advance(60_000);
  assert.equal(a.reads.length, 1);
  assert.equal(b.reads.length, 0, 'a cluster added while paused waits for resume');
  refresher.refresh('a');
  await settle();
  assert.equal(a.reads.length, 2, 'an explicit refresh reads while paused');
  await clock.advance(60_000);
  assert.equal(a.reads.length, 2);
  refresher.resume();
  await settle();
  assert.equal(a.reads.length, 3);
  assert.equal(b.reads.length, 1);
  await clock.advance(2000);
  assert.equal(a.reads.length, 4);
  refresher.dispose();
});

test('a provider with watch: its changes trigger reads, polling slows to the watched interval, pause stops the watch', async () => {
  const { clock, refresher } = setup({ intervalMs: 2000 });
  const p = new FakeProvider();
  let listener: (() => void) | undefined;
  let watches = 0;
  let unwatches = 0;
  const watching: Provider = Object.assign(p, {
    watch: (changed: () => void) => {
      watches++;
      listener = changed;
      return () => {
        unwatches++;
        listener = undefined;
      };
    },
  });
  const refresher2 = refresher;
  refresher2.add('k', watching);
  await settle();
  assert.equal(watches, 1);
  assert.equal(p.reads.length, 1);
  await clock.advance(10_000);
  assert.equal(p.reads.length, 1, 'no polling every 2 s while watching');
  listener?.();
  await settle();
  assert.equal(p.reads.length, 2);
  await clock.advance(30_000);
  assert.equal(p.reads.length, 3, 'a safety read every 30 s');
  refresher2.pause();
  assert.equal(unwatches, 1);
  assert.equal(listener, undefined);
  refresher2.resume();
  assert.equal(watches, 2);
  refresher2.dispose();
  assert.equal(unwatches, 2);
});

test('a provider that never answers is cut off after twice its deadline with an error state, and is retried with backoff', async () => {
  const { clock, updates, refresher } = setup({ intervalMs: 2000, timeoutMs: 3000 });
  const p = new FakeProvider(null);
  refresher.add('c1', p);
  await settle();
  await clock.advance(6999);
  assert.equal(updates.length, 0);
  await clock.advance(1);
  assert.equal(updates.length, 1);
  assert.match(updates[0].states[0].error ?? '', /no answer within 7 s from http:\/\/127\.0\.0\.1:8008/);
  assert.equal(p.reads[0].signal?.aborted, true, 'the hung read was aborted');
  assert.equal(updates[0].failures, 1);
  assert.equal(refresher.retryInSeconds('c1'), 2);
  await clock.advance(2000);
  assert.equal(p.reads.length, 2, 'retried after the first backoff step');
  refresher.dispose();
});

test('remove during a read: the late answer is dropped, the provider closed, nothing scheduled', async () => {
  const { clock, updates, refresher } = setup({ intervalMs: 2000 });
  const p = new FakeProvider(null);
  refresher.add('c1', p);
  await settle();
  refresher.remove('c1');
  assert.equal(p.closed, true);
  assert.equal(p.reads[0].signal?.aborted, true);
  p.finish([state('demo')]);
  await clock.advance(10_000);
  assert.equal(updates.length, 0);
  assert.equal(refresher.has('c1'), false);
  assert.equal(clock.pending(), 0);
});

test('a shorter interval applies from the last read', async () => {
  const { clock, refresher } = setup({ intervalMs: 10_000 });
  const p = new FakeProvider();
  refresher.add('c1', p);
  await settle();
  await clock.advance(3000);
  refresher.setIntervalMs(2000);
  await settle();
  assert.equal(p.reads.length, 2, 'already due: read at once');
  await clock.advance(2000);
  assert.equal(p.reads.length, 3);
  refresher.dispose();
});
