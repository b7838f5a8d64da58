// Sentinel actions on a real master, two replicas and three Sentinels (Redis 7.0), run through
// runAction as the CLI and the editor run them, and checked against what redis-cli reads from each
// process: a failover to the replica the pre-flight said Sentinel would choose, the refusals (a
// replica Sentinel would not choose, every replica at replica-priority 0 — which Sentinel itself
// answers -NOGOODSLAVE to — and a lost quorum), each leaving the master where it was; and a reset
// that forgets a replica gone for good.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ActionResult, AuditRecord } from '../../live/src/actions/model';
import { runAction } from '../../live/src/actions/run';
import type { SentinelActionSpec } from '../../live/src/actions/sentinel';
import { sentinelFailoverSpec, sentinelResetSpec } from '../../live/src/actions/sentinel';
import { waitFor } from './lab/processes';
import type { RedisLab } from './lab/redis';
import { fields, infoFields, mastersBySentinels, records, redisLabMissing, roleOf, startRedisLab } from './lab/redis';

const DATA_PORTS = [17370, 17371, 17372];
const SENTINEL_PORTS = [17380, 17381, 17382];
const addr = (port: number) => `127.0.0.1:${port}`;
const portOf = (address: string) => Number(address.split(':')[1]);

describe('Sentinel actions on a real Sentinel setup', { skip: redisLabMissing(), timeout: 120_000 }, () => {
  let lab: RedisLab;
  const audit: AuditRecord[] = [];
  const said: string[] = [];
  const printed: string[] = [];
  const consoleSaved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };

  const run = async (spec: SentinelActionSpec, deadlineMs = 40_000): Promise<ActionResult> => {
    try {
      const r = await runAction(spec, { deadlineMs, pollMs: 250, via: 'test', audit: { write: async (rec) => void audit.push(rec) }, secrets: [lab.dataPassword, lab.sentinelPassword] });
      said.push(r.message, JSON.stringify(r.preflight), JSON.stringify(r.after ?? null));
      return r;
    } finally {
      await spec.close();
    }
  };
  const options = () => ({ sentinels: lab.sentinelUrls, dataPassword: lab.dataPassword, master: lab.masterName });
  /** The master as every running Sentinel names it; they must agree. */
  const masterNow = async (ports = lab.sentinelPorts) => {
    const all = await mastersBySentinels(lab, ports);
    assert.equal(new Set(all).size, 1, `the Sentinels disagree: ${all.join(', ')}`);
    return all[0];
  };
  const replicaPorts = async () => {
    const out: number[] = [];
    for (const p of lab.dataPorts) if (lab.daemons.get(p)?.exited === false && (await roleOf(lab, p)) === 'slave') out.push(p);
    return out;
  };
  const sentinelReplicas = async (port: number) => records(await lab.redisCli(port, 'SENTINEL', 'REPLICAS', lab.masterName));
  /** Runs a refused failover and asserts the master did not move, by the Sentinels and by ROLE. */
  const refused = async (candidate: string | undefined, reason: RegExp, ports = lab.sentinelPorts) => {
    const was = await masterNow(ports);
    const r = await run(sentinelFailoverSpec({ ...options(), candidate }));
    assert.equal(r.outcome, 'refused', r.message);
    assert.match(r.message, reason);
    assert.equal(await masterNow(ports), was, 'the master did not change');
    assert.equal(await roleOf(lab, portOf(was)), 'master');
    return r;
  };

  before(async () => {
    // ioredis must stay silent whatever happens: anything it prints is caught here and fails the last test.
    for (const k of Object.keys(consoleSaved) as Array<keyof typeof consoleSaved>) console[k] = (...a: unknown[]) => void printed.push(a.map(String).join(' '));
    lab = await startRedisLab({ dataPorts: DATA_PORTS, sentinelPorts: SENTINEL_PORTS, masterName: 'actions' });
  }, { timeout: 40_000 });

  after(async () => {
    Object.assign(console, consoleSaved);
    await lab?.stop();
  }, { timeout: 20_000 });

  test('a replica Sentinel would not choose is refused, with how to make it preferred; nothing moves', async () => {
    // The lab gives the replicas replica-priority 90 and 80: Sentinel prefers the 80.
    const r = await refused(addr(DATA_PORTS[1]), /SENTINEL FAILOVER cannot be told which replica to promote: Sentinel picks itself, and would most likely choose 127\.0\.0\.1:17372 \(replica-priority 80/);
    assert.match(r.message, /CONFIG SET replica-priority 1 on 127\.0\.0\.1:17371/);
    assert.equal(audit.at(-1)?.options?.candidate, addr(DATA_PORTS[1]));
  });

  test('failover: the replica the pre-flight named is promoted, every Sentinel and ROLE agree, the old master follows it', { timeout: 60_000 }, async () => {
    const was = await masterNow();
    const r = await run(sentinelFailoverSpec(options()));
    assert.equal(r.outcome, 'done', r.message);
    assert.match(r.message, new RegExp(`^Sentinel 127\\.0\\.0\\.1:\\d+ started the failover of actions; observed after`));
    const chosen = r.preflight.target as string;
    assert.equal(chosen, addr(DATA_PORTS[2]), 'the pre-flight names the replica with the lowest replica-priority');
    assert.equal(r.after?.leader, chosen);
    const now = await waitFor('every Sentinel to name the new master', async () => {
      const all = await mastersBySentinels(lab);
      return all.every((m) => m === chosen) ? all[0] : undefined;
    }, 15_000);
    assert.equal(now, chosen);
    assert.equal(await roleOf(lab, portOf(chosen)), 'master');
    // verify() waited for this: the old master is a replica of the new one.
    const old = infoFields(await lab.redisCli(portOf(was), 'INFO', 'replication'));
    assert.deepEqual([old.role, `${old.master_host}:${old.master_port}`], ['slave', chosen]);
    const rec = audit.at(-1) as AuditRecord;
    assert.deepEqual([rec.action, rec.kind, rec.outcome, rec.cluster, rec.primary, rec.target], ['sentinel-failover', 'sentinel', 'done', 'actions', was, chosen]);
    assert.equal(rec.source, lab.sentinelUrls.map((u) => u.replace(/\/\/[^@]*@/, '//')).join(','));
    assert.ok(rec.preflight.ok && rec.preflight.target?.safe);
  });

  test('every replica at replica-priority 0: the pre-flight refuses, and Sentinel itself answers -NOGOODSLAVE when forced', { timeout: 60_000 }, async () => {
    const replicas = await replicaPorts();
    assert.equal(replicas.length, 2, `replicas: ${replicas.join(', ')}`);
    const saved = new Map<number, string>();
    try {
      for (const p of replicas) {
        saved.set(p, (await lab.redisCli(p, 'CONFIG', 'GET', 'replica-priority')).split('\n')[1]);
        await lab.redisCli(p, 'CONFIG', 'SET', 'replica-priority', '0');
      }
      // Sentinel reads each replica's INFO every 10 s.
      await waitFor('Sentinel to see replica-priority 0 on both replicas', async () => {
        const list = await sentinelReplicas(lab.sentinelPorts[0]);
        return list.length === 2 && list.every((x) => x['slave-priority'] === '0');
      }, 25_000, 250);
      const r = await refused(undefined, /no replica can be promoted, each one is refused below: Sentinel would answer -NOGOODSLAVE/);
      for (const c of r.preflight.candidates) assert.deepEqual(c.reasons, ['replica-priority 0: Sentinel will never promote it']);
      // Past the pre-flight, Sentinel refuses by itself, and the answer comes back in words.
      const was = await masterNow();
      const spec = sentinelFailoverSpec(options());
      try {
        const state = await spec.read();
        await assert.rejects(spec.perform(state, spec.preflight(state)), /found no replica of actions it may promote \(-NOGOODSLAVE\)/);
      } finally {
        await spec.close();
      }
      await assert.rejects(lab.redisCli(lab.sentinelPorts[0], 'SENTINEL', 'FAILOVER', lab.masterName).then((out) => Promise.reject(new Error(out))), /NOGOODSLAVE/);
      assert.equal(await masterNow(), was, 'the master did not change');
    } finally {
      for (const [p, v] of saved) await lab.redisCli(p, 'CONFIG', 'SET', 'replica-priority', v);
    }
  });

  test('reset: the Sentinel forgets a replica gone for good and finds the live ones and its peers again', { timeout: 60_000 }, async () => {
    const [gone, kept] = await replicaPorts();
    await lab.stopPort(gone);
    const first = lab.sentinelPorts[0];
    await waitFor('Sentinel to flag the stopped replica down', async () => (await sentinelReplicas(first)).find((x) => x.name === addr(gone))?.flags.includes('s_down'), 15_000, 200);
    const started = Date.now();
    const r = await run(sentinelResetSpec(options()), 30_000);
    assert.equal(r.outcome, 'done', r.message);
    assert.match(r.message, /^Sentinel 127\.0\.0\.1:17380 reset actions/);
    assert.ok(r.preflight.warnings.some((w) => new RegExp(`^${addr(gone)} is flagged [a-z_,]*s_down[a-z_,]*: it stays forgotten`).test(w)), r.preflight.warnings.join('\n'));
    const after = await sentinelReplicas(first);
    assert.deepEqual(after.map((x) => x.name), [addr(kept)], 'only the live replica is known again');
    // Known anew: Sentinel's record of the replica is younger than the reset.
    assert.ok(Number(after[0]['role-reported-time']) <= Date.now() - started, JSON.stringify(after[0]));
    await waitFor('the Sentinel to know its two peers again', async () => fields((await lab.redisCli(first, 'SENTINEL', 'MASTER', lab.masterName)).split('\n'))['num-other-sentinels'] === '2', 15_000, 200);
    // The other Sentinels were not reset: they still list the stopped replica.
    assert.ok((await sentinelReplicas(lab.sentinelPorts[1])).some((x) => x.name === addr(gone)));
    assert.equal(audit.at(-1)?.action, 'sentinel-reset');
  });

  test('two Sentinels of three stopped: CKQUORUM fails, the failover is refused in its words, the master stays', { timeout: 40_000 }, async () => {
    const first = lab.sentinelPorts[0];
    await Promise.all(lab.sentinelPorts.slice(1).map((p) => lab.stopPort(p)));
    const ck = await waitFor('CKQUORUM to fail', async () => {
      const out = await lab.redisCli(first, 'SENTINEL', 'CKQUORUM', lab.masterName).catch((e: Error) => e.message);
      return /NOQUORUM/.test(out) ? out : undefined;
    }, 15_000, 200);
    assert.match(ck, /NOQUORUM 1 usable Sentinels/);
    const r = await refused(undefined, /Sentinel 127\.0\.0\.1:17380: NOQUORUM 1 usable Sentinels\. .*bring the Sentinels back first/, [first]);
    assert.ok(r.preflight.blockers.some((b) => /^only 1 of 3 Sentinels are reachable, fewer than the quorum of 2/.test(b)), r.preflight.blockers.join('\n'));
  });

  test('no password in any audit record, message or state; ioredis printed nothing', () => {
    const all = JSON.stringify({ audit, said });
    for (const secret of [lab.dataPassword, lab.sentinelPassword]) {
      assert.ok(!all.includes(secret) && !all.includes(encodeURIComponent(secret)), 'a password leaked');
    }
    assert.ok(audit.length >= 5, `${audit.length} audit records`);
    assert.deepEqual(printed, []);
  });
});
