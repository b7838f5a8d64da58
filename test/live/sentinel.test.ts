// The Sentinel provider against a real master, two replicas and three Sentinels: every state it reads
// is compared with what redis-cli reads from each process itself, before and after the changes made here.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ClusterState, Member } from '../../live/src/model';
import type { Provider } from '../../live/src/provider';
import { sentinelProvider } from '../../live/src/providers/sentinel';
import type { SentinelOptions } from '../../live/src/providers/sentinel';
import { validateClusterState } from '../helpers/cluster-state';
import { portOpen, waitFor } from './lab/processes';
import type { RedisLab } from './lab/redis';
import { fields, infoFields, mastersBySentinels, records, redisLabMissing, roleOf, startRedisLab } from './lab/redis';

const TIMEOUT = 3000;
const SILENT_PORT = 16397;
const CLOSED_PORT = 16398;
const TLS_PORT = 16482;
const addr = (port: number) => `127.0.0.1:${port}`;
const portOf = (address: string | undefined) => Number(address?.split(':')[1]);

describe('sentinel provider on a real Sentinel setup', { skip: redisLabMissing(), timeout: 110_000 }, () => {
  let lab: RedisLab;
  const providers: Provider[] = [];
  const outputs: string[] = [];
  const printed: string[] = [];
  const consoleSaved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  const silentSockets = new Set<Socket>();
  const silent = createServer((s) => {
    silentSockets.add(s);
    s.on('close', () => silentSockets.delete(s));
  });

  const provider = (o: Partial<SentinelOptions> = {}): Provider => {
    const p = sentinelProvider({ sentinels: lab.sentinelUrls, dataPassword: lab.dataPassword, master: lab.masterName, ...o });
    providers.push(p);
    return p;
  };
  const read = async (p: Provider, timeoutMs = TIMEOUT): Promise<ClusterState[]> => {
    const states = await p.read({ timeoutMs });
    outputs.push(JSON.stringify(states));
    validateClusterState(states);
    return states;
  };
  const one = async (p: Provider): Promise<ClusterState> => {
    const states = await read(p);
    assert.equal(states.length, 1, JSON.stringify(states));
    return states[0];
  };
  const dataMember = (s: ClusterState, address: string): Member => {
    const m = s.members.find((x) => x.name === address && x.role !== 'sentinel');
    assert.ok(m, `${address} is not among ${s.members.map((x) => x.name).join(', ')}`);
    return m;
  };
  const info = async (port: number) => infoFields(await lab.redisCli(port, 'INFO', 'replication'));
  const replicaPort = async () => {
    const master = (await mastersBySentinels(lab))[0];
    const port = lab.dataPorts.find((p) => addr(p) !== master);
    assert.ok(port);
    return { master, port };
  };

  /** Leader, roles, writability, priorities, upstreams and Sentinels as the processes themselves report them. */
  async function assertMatchesTruth(s: ClusterState, dataPorts: number[]): Promise<void> {
    const masters = await mastersBySentinels(lab);
    assert.equal(new Set(masters).size, 1, `the Sentinels disagree: ${masters.join(', ')}`);
    assert.equal(s.leader, masters[0]);
    for (const port of dataPorts) {
      const m = dataMember(s, addr(port));
      const role = await roleOf(lab, port);
      assert.equal(m.role, role === 'master' ? 'primary' : 'replica', `role of ${port}`);
      assert.equal(m.writable, role === 'master', `writable of ${port}`);
      if (role === 'master') continue;
      const i = await info(port);
      assert.equal(m.tags?.['replica-priority'], Number(i.slave_priority));
      assert.equal(`${i.master_host}:${i.master_port}`, s.leader);
    }
    const sentinels = s.members.filter((m) => m.role === 'sentinel').map((m) => m.name);
    assert.deepEqual(sentinels.sort(), lab.sentinelPorts.map(addr).sort());
  }

  before(async () => {
    // ioredis must stay silent whatever happens: anything it prints is caught here and fails the last test.
    for (const k of Object.keys(consoleSaved) as Array<keyof typeof consoleSaved>) console[k] = (...a: unknown[]) => void printed.push(a.map(String).join(' '));
    lab = await startRedisLab({ tlsPort: TLS_PORT });
    await new Promise<void>((resolve) => silent.listen(SILENT_PORT, '127.0.0.1', resolve));
  });

  after(async () => {
    Object.assign(console, consoleSaved);
    for (const p of providers) await p.close?.();
    for (const s of silentSockets) s.destroy();
    silent.close();
    await lab?.stop();
  });

  test('reads the master, both replicas and three Sentinels as redis-cli sees them', async () => {
    const s = await one(provider());
    assert.equal(s.kind, 'sentinel');
    assert.equal(s.name, lab.masterName);
    assert.equal(s.source, `redis://${addr(lab.sentinelPorts[0])}`);
    assert.deepEqual(s.problems, []);
    assert.equal(s.health, 'ok');
    assert.equal(s.members.filter((m) => m.role === 'replica').length, 2);
    await assertMatchesTruth(s, lab.dataPorts);
    const ck = await lab.redisCli(lab.sentinelPorts[0], 'SENTINEL', 'CKQUORUM', lab.masterName);
    assert.equal(s.details?.ckquorum, ck);
    const master = fields((await lab.redisCli(lab.sentinelPorts[0], 'SENTINEL', 'MASTER', lab.masterName)).split('\n'));
    assert.equal(s.details?.quorum, Number(master.quorum));
    // Without a master name: every master this Sentinel monitors (one here).
    const all = await read(provider({ master: undefined }));
    assert.deepEqual(all.map((x) => [x.name, x.leader]), [[lab.masterName, s.leader]]);
  });

  test('close() leaves no socket or timer behind', async () => {
    const count = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length;
    const base = count();
    const p = sentinelProvider({ sentinels: [`redis://${addr(CLOSED_PORT)}`, ...lab.sentinelUrls], dataPassword: lab.dataPassword });
    outputs.push(JSON.stringify(await p.read({ timeoutMs: TIMEOUT })));
    assert.ok(count() > base, `the read should hold its connections open between reads: ${base} ${process.getActiveResourcesInfo().join(' ')}`);
    await p.close?.();
    await waitFor('every socket and timer to go', () => count() <= base, 1000, 20);
  });

  test('a replica whose link is down: its lag in bytes is what INFO says, and a warning names it', async () => {
    const p = provider();
    const { master, port } = await replicaPort();
    await lab.redisCli(port, 'CONFIG', 'SET', 'masterauth', 'not-the-password');
    await lab.redisCli(port, 'CLIENT', 'KILL', 'TYPE', 'master');
    try {
      await waitFor('the replica link to go down', async () => (await info(port)).master_link_status === 'down', 10_000);
      await lab.redisCli(portOf(master), 'SET', 'lag-probe', 'x'.repeat(20_000));
      const frozen = Number((await info(port)).slave_repl_offset);
      const m0 = Number((await info(portOf(master))).master_repl_offset);
      const s = await one(p);
      const m1 = Number((await info(portOf(master))).master_repl_offset);
      const m = dataMember(s, addr(port));
      assert.ok(m0 - frozen >= 20_000, `the write did not widen the gap: ${m0} - ${frozen}`);
      assert.ok(m.lagBytes !== undefined && m.lagBytes >= m0 - frozen && m.lagBytes <= m1 - frozen, `lag ${m.lagBytes} not within [${m0 - frozen}, ${m1 - frozen}]`);
      assert.equal(m.health, 'warning');
      assert.ok(s.problems.some((x) => x.code === 'replica-link-down' && x.member === addr(port) && x.severity === 'warning'), JSON.stringify(s.problems));
    } finally {
      await lab.redisCli(port, 'CONFIG', 'SET', 'masterauth', lab.dataPassword);
    }
    await waitFor('the replica link to come back', async () => (await info(port)).master_link_status === 'up', 10_000);
    const s = await waitFor('a healthy state again', async () => {
      const x = await one(p);
      return x.health === 'ok' ? x : undefined;
    }, 10_000, 200);
    assert.ok((dataMember(s, addr(port)).lagBytes ?? Infinity) < 20_000);
  });

  test("a replica made master behind Sentinel's back: two writable masters, named as such; Sentinel is expected to turn it back", async () => {
    const p = provider();
    const { master, port } = await replicaPort();
    await lab.redisCli(port, 'REPLICAOF', 'NO', 'ONE');
    try {
      assert.equal(await roleOf(lab, port), 'master');
      const s = await one(p);
      // Just seen: Sentinel reconfigures such a node by itself within about 20 s; lasting 30 s, it is a split brain (unit tests).
      const problem = s.problems.find((x) => x.code === 'stale-master');
      assert.ok(problem, JSON.stringify(s.problems));
      assert.equal(problem.member, addr(port));
      assert.equal(problem.severity, 'warning');
      assert.match(problem.message, /is a writable master, but Sentinel counts it as a replica of .+: Sentinel turns it back into a replica/);
      assert.equal(s.health, 'warning');
      assert.equal(s.leader, master);
      assert.equal(dataMember(s, addr(port)).writable, true);
      assert.equal(dataMember(s, master).writable, true);
    } finally {
      await lab.redisCli(port, 'REPLICAOF', '127.0.0.1', String(portOf(master)));
    }
    await waitFor('the replica to stream again', async () => (await info(port)).master_link_status === 'up', 10_000);
    await waitFor('a healthy state again', async () => (await one(p)).health === 'ok', 15_000, 200);
  });

  test('after SENTINEL FAILOVER the new master is the primary and the old one a read-only replica; no split brain is raised on the way', async () => {
    const p = provider();
    const old = (await mastersBySentinels(lab))[0];
    // A second reader all through the failover, as the editor refreshes: the promoted replica and the
    // old master each say "master" for a while, which is the failover, not a split brain.
    const watcher = provider();
    const seen = new Set<string>();
    let watching = true;
    const watch = (async () => {
      for (let i = 0; watching && i < 600; i++) {
        for (const x of (await watcher.read({ timeoutMs: 2000 }))[0]?.problems ?? []) seen.add(`${x.code}:${x.severity}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    assert.equal(await lab.redisCli(lab.sentinelPorts[1], 'SENTINEL', 'FAILOVER', lab.masterName), 'OK');
    const next = await waitFor('every Sentinel to name a new master', async () => {
      const m = await mastersBySentinels(lab);
      return new Set(m).size === 1 && m[0] !== old ? m[0] : undefined;
    }, 20_000);
    await waitFor('the old master to stream from the new one', async () => {
      const i = await info(portOf(old));
      return i.role === 'slave' && `${i.master_host}:${i.master_port}` === next && i.master_link_status === 'up';
    }, 20_000);
    const s = await waitFor('the provider to show the new master, all healthy', async () => {
      const x = await one(p);
      return x.leader === next && x.health === 'ok' ? x : undefined;
    }, 20_000, 200);
    assert.equal(dataMember(s, old).role, 'replica');
    assert.equal(dataMember(s, next).role, 'primary');
    await assertMatchesTruth(s, lab.dataPorts);
    watching = false;
    await watch;
    await watcher.close?.();
    assert.ok(![...seen].some((c) => c.startsWith('split-brain')), `problems seen during the failover: ${[...seen].join(', ')}`);
  });

  test("a stopped replica: Sentinel's s_down on it, a member-down problem, its INFO refused", async () => {
    const p = provider();
    const { port } = await replicaPort();
    await lab.stopPort(port);
    await waitFor('the Sentinels to flag the replica s_down', async () => {
      const r = records(await lab.redisCli(lab.sentinelPorts[0], 'SENTINEL', 'REPLICAS', lab.masterName)).find((x) => x.name === addr(port));
      return r?.flags.split(',').includes('s_down');
    }, 10_000, 200);
    const s = await one(p);
    const m = dataMember(s, addr(port));
    assert.match(m.state, /s_down/);
    assert.equal(m.health, 'error');
    assert.equal(m.writable, undefined);
    assert.match(m.detail ?? '', /connection refused/);
    assert.ok(s.problems.some((x) => x.code === 'member-down' && x.member === addr(port)), JSON.stringify(s.problems));
    await assertMatchesTruth(s, lab.dataPorts.filter((x) => x !== port));
  });

  test('wrong or missing passwords: authentication errors at once, without any password in them', async () => {
    const wrong = `zz${randomBytes(6).toString('hex')}`;
    let t0 = performance.now();
    const [bad] = await read(provider({ sentinels: [`redis://:${wrong}@${addr(lab.sentinelPorts[0])}`] }));
    assert.ok(performance.now() - t0 < 1000, 'a refused password should not wait for the deadline');
    assert.match(bad.error ?? '', /authentication failed at 127\.0\.0\.1:16479/);
    assert.equal(bad.members.length, 0);
    assert.ok(!JSON.stringify(bad).includes(wrong));
    const [none] = await read(provider({ sentinels: [`redis://${addr(lab.sentinelPorts[0])}`] }));
    assert.match(none.error ?? '', /authentication required/);
    // Sentinel answers; the data nodes refuse: Sentinel's view stays, each node says why INFO failed.
    t0 = performance.now();
    const s = await one(provider({ dataPassword: wrong }));
    assert.ok(performance.now() - t0 < 1000);
    const unread = s.problems.filter((x) => x.code === 'member-unreachable');
    assert.ok(unread.length >= 2 && unread.every((x) => /authentication failed/.test(x.message)), JSON.stringify(s.problems));
    assert.ok(!JSON.stringify(s).includes(wrong));
  });

  test('a closed port and a silent one: error states within the deadline; a dead first Sentinel is skipped', async () => {
    assert.equal(await portOpen(CLOSED_PORT), false);
    let t0 = performance.now();
    const [closed] = await read(provider({ sentinels: [`redis://${addr(CLOSED_PORT)}`] }));
    assert.match(closed.error ?? '', /connection refused 127\.0\.0\.1:16398/);
    assert.ok(performance.now() - t0 < 1000);
    t0 = performance.now();
    const [quiet] = await read(provider({ sentinels: [`redis://${addr(SILENT_PORT)}`] }), 500);
    const quietMs = performance.now() - t0;
    assert.match(quiet.error ?? '', /timed out/);
    assert.ok(quietMs >= 450 && quietMs < 1500, `took ${quietMs} ms`);
    for (const sock of silentSockets) sock.destroy();
    // The silent one gets its share of the deadline, not all of it; the next one answers.
    const live = lab.sentinelUrls[lab.sentinelUrls.length - 1];
    t0 = performance.now();
    const s = await one(provider({ sentinels: [`redis://${addr(SILENT_PORT)}`, `redis://${addr(CLOSED_PORT)}`, live] }));
    assert.ok(performance.now() - t0 < TIMEOUT);
    assert.equal(s.error, undefined);
    assert.equal(s.source, `redis://${addr(lab.sentinelPorts[lab.sentinelPorts.length - 1])}`);
    for (const sock of silentSockets) sock.destroy();
  });

  test('rediss:// with the CA to trust reads the same state; an untrusted certificate is an error', async () => {
    const tls = lab.tls;
    assert.ok(tls);
    // The lab's data nodes speak plain TCP; only the Sentinel is reached over TLS.
    const plain = await one(provider({ sentinels: [lab.sentinelUrls[2]] }));
    const s = await one(provider({ sentinels: [tls.url], tls: { caFile: tls.caFile }, dataTls: false }));
    assert.equal(s.source, `rediss://${addr(TLS_PORT)}`);
    assert.equal(s.leader, (await mastersBySentinels(lab))[0]);
    const shape = (x: ClusterState) => x.members.map((m) => `${m.role} ${m.name} ${m.state} ${m.writable}`);
    assert.deepEqual(shape(s), shape(plain));
    const t0 = performance.now();
    const [untrusted] = await read(provider({ sentinels: [tls.url], dataTls: false }));
    assert.match(untrusted.error ?? '', /self[- ]signed certificate/);
    assert.ok(performance.now() - t0 < 1000);
    const [unverified] = await read(provider({ sentinels: [tls.url], tls: { verify: false }, dataTls: false }));
    assert.equal(unverified.error, undefined);
  });

  test('2 of 3 Sentinels stopped: CKQUORUM fails, an error in Sentinel’s own words', async () => {
    const [a, b, c] = lab.sentinelPorts;
    await Promise.all([lab.stopPort(a), lab.stopPort(b)]);
    const words = await waitFor('the last Sentinel to fail CKQUORUM', async () => {
      const out = await lab.redisCli(c, 'SENTINEL', 'CKQUORUM', lab.masterName);
      return out.startsWith('OK') ? undefined : out;
    }, 15_000, 200);
    const s = await one(provider());
    assert.equal(s.source, `redis://${addr(c)}`);
    const quorum = s.problems.find((x) => x.code === 'quorum');
    assert.ok(quorum, JSON.stringify(s.problems));
    assert.equal(quorum.severity, 'error');
    assert.ok(quorum.message.includes(words), `${quorum.message} vs ${words}`);
    assert.ok(s.problems.some((x) => x.code === 'too-few-sentinels' && x.severity === 'error'));
    assert.equal(s.health, 'error');
    for (const port of [a, b]) assert.match(s.members.find((m) => m.name === addr(port))?.state ?? '', /s_down/);
  });

  test('no output or message carries a password, and nothing was printed', () => {
    assert.ok(outputs.length >= 10);
    for (const secret of [lab.dataPassword, lab.sentinelPassword]) {
      for (const form of [secret, encodeURIComponent(secret)]) {
        assert.ok(!outputs.some((o) => o.includes(form)), 'a password leaked into a state');
        assert.ok(!providers.some((p) => p.source.includes(form)), 'a password leaked into a source');
      }
    }
    assert.deepEqual(printed, []);
  });
});
