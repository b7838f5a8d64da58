// Switchovers under write load: a writer inserts sequence-numbered rows through HAProxy's write
// listener (routed by Patroni's /primary check) while three switchovers run through runAction, with
// synchronous_mode on. Afterwards every row whose insert was acknowledged must be on the leader: none
// lost. The failed writes and the longest time without an acknowledged write are reported.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { patroniActionSpec } from '../../live/src/actions/patroni';
import { runAction } from '../../live/src/actions/run';
import type { HaStack } from './lab/ha-stack';
import { WRITE_BACKEND, haStackMissing, startHaStack } from './lab/ha-stack';
import { sleep } from './lab/processes';
import { waitForStreaming } from './lab/patroni';

const PORTS = { etcdClientPort: 12679, etcdPeerPort: 12680, firstPgPort: 16033, firstRestPort: 19208, writePort: 19220, readPort: 19221, statsPort: 19222, socketPort: 19223 };
const SWITCHOVERS = 3;
/** The writer stops by itself after this long, whatever happens to the test. */
const WRITER_LIMIT_MS = 150_000;

interface WriterReport {
  acknowledged: number[];
  failed: number;
  longestGapMs: number;
  errors: Set<string>;
}

/** Inserts rows 1, 2, 3… through `port` until `stop` aborts; a failed insert reconnects and moves on. */
async function writer(port: number, user: string, password: string, stop: AbortSignal): Promise<WriterReport> {
  const report: WriterReport = { acknowledged: [], failed: 0, longestGapMs: 0, errors: new Set() };
  const started = Date.now();
  let lastAck = Date.now();
  let client: pg.Client | undefined;
  for (let seq = 1; !stop.aborted && Date.now() - started < WRITER_LIMIT_MS; seq++) {
    try {
      if (!client) {
        client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres', connectionTimeoutMillis: 2000, query_timeout: 5000 });
        client.on('error', () => undefined);
        await client.connect();
      }
      await client.query('INSERT INTO load (seq) VALUES ($1)', [seq]);
      report.acknowledged.push(seq);
      const now = Date.now();
      report.longestGapMs = Math.max(report.longestGapMs, now - lastAck);
      lastAck = now;
    } catch (e) {
      report.failed++;
      report.errors.add(((e as Error).message ?? String(e)).replace(/\d+/g, 'N'));
      void client?.end().catch(() => undefined);
      client = undefined;
      await sleep(100);
    }
    await sleep(10);
  }
  await client?.end().catch(() => undefined);
  return report;
}

describe('switchovers under write load, synchronous_mode on', { skip: haStackMissing() }, () => {
  let stack: HaStack;
  let starting: Promise<HaStack> | undefined;

  before(async () => {
    starting = startHaStack({ scope: 'load', synchronousMode: true, ...PORTS });
    stack = await starting;
  }, { timeout: 120_000 });

  after(async () => {
    await starting?.then((s) => s.stop(), () => undefined);
  }, { timeout: 120_000 });

  test(`${SWITCHOVERS} switchovers while a writer inserts through HAProxy: every acknowledged row is there`, { timeout: 240_000 }, async (t) => {
    const lab = stack.patroni;
    const first = await waitForStreaming(lab, 2, 60_000);
    await stack.waitForRoutes(first, (await stack.patroniView()).readable, 30_000);
    await lab.psql(first, 'CREATE TABLE load (seq bigint PRIMARY KEY, at timestamptz DEFAULT now())');
    const stop = new AbortController();
    const writing = writer(PORTS.writePort, lab.superuser, lab.superuserPassword, stop.signal);
    const leaders = [first];
    try {
      await sleep(1000);
      for (let i = 0; i < SWITCHOVERS; i++) {
        await waitForStreaming(lab, 2, 60_000);
        const spec = patroniActionSpec('switchover', { patroni: { urls: lab.members.map((m) => `http://127.0.0.1:${m.restPort}`), username: lab.restUser, password: lab.restPassword, postgres: { user: lab.superuser, password: lab.superuserPassword } } });
        try {
          const r = await runAction(spec, { deadlineMs: 60_000, pollMs: 300, via: 'test' });
          assert.equal(r.outcome, 'done', r.message);
          assert.notEqual(r.after?.leader, leaders.at(-1));
          leaders.push(r.after?.leader as string);
        } finally {
          await spec.provider.close?.();
        }
        // HAProxy follows: writes go to the new leader alone before the next switchover.
        await stack.waitForRoutes(leaders.at(-1) as string, (await stack.patroniView()).readable, 30_000);
        assert.deepEqual(await stack.up(WRITE_BACKEND), [leaders.at(-1)]);
        await sleep(1000);
      }
    } finally {
      stop.abort();
    }
    const report = await writing;
    const leader = leaders.at(-1) as string;
    const stored = new Set((await lab.psql(leader, 'SELECT seq FROM load ORDER BY seq')).split('\n').filter(Boolean).map(Number));
    const lost = report.acknowledged.filter((seq) => !stored.has(seq));
    t.diagnostic(`leaders ${leaders.join(' → ')}; ${report.acknowledged.length} writes acknowledged, ${report.failed} failed (${[...report.errors].join(' | ')}), longest gap ${report.longestGapMs} ms, ${lost.length} lost`);
    assert.ok(report.acknowledged.length > 100, `only ${report.acknowledged.length} writes`);
    assert.deepEqual(lost, [], 'acknowledged rows missing after the switchovers');
    // Rows the writer saw fail may or may not have committed; nothing beyond what was tried is there.
    assert.ok(Math.max(...stored) <= report.acknowledged.length + report.failed);
  });
});
