// live/src/format.ts (the text of `hatopo status`) and live/src/watch-loop.ts (reading providers,
// once or every interval), with providers made here that answer as told.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatBytes, formatLag, formatSeconds, formatStates, summaryLine } from '../../live/src/format';
import { unreachable } from '../../live/src/model';
import type { ClusterState } from '../../live/src/model';
import type { Provider, ReadOptions } from '../../live/src/provider';
import { readAll, watchLoop } from '../../live/src/watch-loop';
import { haproxyState, patroniState, sentinelState } from '../helpers/live-samples';

const ESC = '\x1b[';

describe('format', () => {
  test('a Patroni cluster: heading, aligned columns (only those some member fills), problems underneath', () => {
    assert.equal(
      formatStates([patroniState()], { color: false }),
      [
        'demo (patroni, http://127.0.0.1:8008) — warning · leader pg1 · 2024-05-01T10:00:00.000Z',
        '  MEMBER  ADDRESS         ROLE          STATE      TL  LAG              SYNC   TAGS        HEALTH',
        '  pg1     127.0.0.1:5433  primary       running    3                                       ok',
        '  pg2     127.0.0.1:5434  sync-standby  streaming  3   0 B              sync               ok',
        '  pg3     127.0.0.1:5435  replica       streaming  3   2.0 MiB / 4.5 s  async  nofailover  warning',
        '  warning lagging: pg3 is 2.0 MiB behind the leader',
        '',
      ].join('\n'),
    );
  });

  test('each kind shows its own columns: Sentinel writable and priorities, HAProxy backends and checks', () => {
    const [sentinel, haproxy] = formatStates([sentinelState(), haproxyState()], { color: false }).split('\n\n');
    const header = (text: string) => text.split('\n')[1].trim().split(/\s+/);
    assert.deepEqual(header(sentinel), ['MEMBER', 'ROLE', 'STATE', 'LAG', 'WRITABLE', 'TAGS', 'HEALTH']);
    assert.match(sentinel, /^ {2}127\.0\.0\.1:6381 +replica +slave +14 B \/ 1 s +no +replica-priority=100 +ok$/m);
    assert.deepEqual(header(haproxy), ['MEMBER', 'GROUP', 'ADDRESS', 'ROLE', 'STATE', 'CHECK', 'HEALTH']);
    assert.match(haproxy, /^ {2}pg2 +pg_write +127\.0\.0\.1:5434 +server +DOWN +L7STS\/503 in 1ms +error$/m);
  });

  test('an unreachable cluster shows its error instead of a table; nothing read says so', () => {
    const text = formatStates([unreachable('patroni', 'http://10.0.0.1:8008', 'http://10.0.0.1:8008', 'connection refused 10.0.0.1:8008', new Date(0))], { color: false });
    assert.equal(text, 'http://10.0.0.1:8008 (patroni, http://10.0.0.1:8008) — error · 1970-01-01T00:00:00.000Z\n  error: connection refused 10.0.0.1:8008\n');
    assert.equal(formatStates([], { color: false }), 'no clusters\n');
  });

  test('colours only when asked: health words, split brain in bold red', () => {
    const s = patroniState();
    s.problems.push({ code: 'split-brain', severity: 'error', message: 'pg3 accepts writes', member: 'pg3' });
    s.health = 'error';
    assert.ok(!formatStates([s], { color: false }).includes(ESC));
    const colored = formatStates([s], { color: true });
    assert.match(colored, /\x1b\[32mok\x1b\[0m/);
    assert.match(colored, /\x1b\[33mwarning\x1b\[0m\n/);
    assert.match(colored, /\x1b\[1;31merror\x1b\[0m split-brain: pg3 accepts writes/);
    // Without the escapes, the coloured text is the plain one.
    assert.equal(colored.replace(/\x1b\[[0-9;]*m/g, ''), formatStates([s], { color: false }));
  });

  test('figures and the one-line summary', () => {
    assert.deepEqual([0, 1023, 1024, 1536, 5 * 1024 ** 3].map(formatBytes), ['0 B', '1023 B', '1.0 KiB', '1.5 KiB', '5.0 GiB']);
    assert.deepEqual([0, 4.5, 60, 125.4].map(formatSeconds), ['0 s', '4.5 s', '1 min 0 s', '2 min 5 s']);
    assert.equal(formatLag({}), '');
    assert.equal(summaryLine(patroniState()), 'demo: primary pg1 · 2/3 ok · max lag 2.0 MiB · lagging');
    assert.equal(summaryLine(haproxyState()), '/run/haproxy/admin.sock: 1/3 ok · server-down');
    assert.equal(summaryLine(patroniState({ leader: undefined, problems: [] })), 'demo: no primary · 2/3 ok · max lag 2.0 MiB');
  });
});

/** A provider answering `states` (a function of the read's number), after `delayMs`. */
function fake(states: (n: number) => ClusterState[] | Promise<never>, delayMs = 0): Provider & { reads: number; options: ReadOptions[] } {
  const p = {
    kind: 'patroni' as const,
    source: 'http://fake:8008',
    reads: 0,
    options: [] as ReadOptions[],
    read(options: ReadOptions) {
      p.options.push(options);
      const n = p.reads++;
      return new Promise<ClusterState[]>((resolve, reject) => setTimeout(() => Promise.resolve(states(n)).then(resolve, reject), delayMs));
    },
  };
  return p;
}

describe('readAll and watchLoop', () => {
  test('states in the providers\' order; a provider that rejects or overruns becomes an unreachable state, masked', async () => {
    const ok = fake(() => [patroniState()]);
    const broken = fake(() => Promise.reject(new Error('boom with s3cret inside')));
    const stuck = fake(() => new Promise<never>(() => undefined));
    const t0 = Date.now();
    const states = await readAll([broken, ok, stuck], { timeoutMs: 50, now: () => new Date(0) }, ['s3cret']);
    assert.ok(Date.now() - t0 < 3000, 'a stuck provider is given up after its deadline and a grace');
    assert.deepEqual(
      states.map((s) => [s.name, s.error ?? null]),
      [
        ['http://fake:8008', 'boom with *** inside'],
        ['demo', null],
        ['http://fake:8008', 'no answer within 50 ms'],
      ],
    );
    assert.equal(ok.options[0].timeoutMs, 50);
  });

  test('reads, shows, waits the interval, again; a watch notice cuts the wait short; stops on the signal', async () => {
    const p = fake((n) => [patroniState({ observedAt: new Date(n * 1000).toISOString() })]) as ReturnType<typeof fake> & { watch?: Provider['watch'] };
    let notify: (() => void) | undefined;
    let unwatched = false;
    p.watch = (changed) => {
      notify = changed;
      return () => (unwatched = true);
    };
    const stop = new AbortController();
    const shown: string[] = [];
    const started = Date.now();
    const loop = watchLoop(
      [p],
      (states) => {
        shown.push(states[0].observedAt);
        // The second read is triggered by a pushed change long before the 60 s interval; the third stops the loop.
        if (shown.length === 1) setTimeout(() => notify?.(), 20);
        if (shown.length === 2) setTimeout(() => stop.abort(), 20);
      },
      { timeoutMs: 100, intervalMs: 60_000, signal: stop.signal },
    );
    const last = await loop;
    assert.ok(Date.now() - started < 5000);
    assert.equal(shown.length, 2);
    assert.equal(last[0].observedAt, shown[1]);
    assert.ok(unwatched, 'the watch is stopped with the loop');
  });

  test('maxReads bounds the loop, with the interval between reads', async () => {
    const p = fake(() => [sentinelState()]);
    const times: number[] = [];
    const last = await watchLoop([p], () => times.push(Date.now()), { timeoutMs: 100, intervalMs: 30, signal: new AbortController().signal, maxReads: 3 });
    assert.equal(times.length, 3);
    assert.equal(p.reads, 3);
    assert.ok(times[2] - times[0] >= 55, `${times[2] - times[0]} ms for two intervals of 30`);
    assert.equal(last[0].kind, 'sentinel');
  });
});
