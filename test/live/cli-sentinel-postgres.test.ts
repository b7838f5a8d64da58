// `hatopo status` and `hatopo check --live` (the built CLI) against a real Redis master with two
// replicas and three Sentinels, and a plain PostgreSQL primary with a streaming standby: output equal
// to the providers' views and to what redis-cli and psql say, credentials from the environment the
// systems' own tools read, drift after a Sentinel failover, and no password in any output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ClusterState } from '../../live/src/model';
import { postgresProvider } from '../../live/src/providers/postgres';
import { sentinelProvider } from '../../live/src/providers/sentinel';
import { validateClusterState } from '../helpers/cluster-state';
import type { PostgresLab } from './lab/postgres';
import { postgresLabMissing, startPostgresLab } from './lab/postgres';
import { waitFor } from './lab/processes';
import type { RedisLab } from './lab/redis';
import { mastersBySentinels, redisLabMissing, roleOf, startRedisLab } from './lab/redis';

const CLI = resolve(__dirname, '..', '..', 'dist', 'hatopo.js');
// This file's ports: Redis 19379-19381, Sentinels 19479-19481, PostgreSQL 19533-19534.
const DATA = [19379, 19380, 19381];
const SENTINELS = [19479, 19480, 19481];
const PG = { primary: 19533, standby: 19534 };
const addr = (port: number) => `127.0.0.1:${port}`;

/** What two reads of the same quiet system share: not the moment, not the replication offsets that move with every ping. */
function settled(states: ClusterState[]): unknown {
  return states.map((s) => ({ ...s, observedAt: '', members: s.members.map((m) => ({ ...m, lagBytes: m.lagBytes !== undefined, lagSeconds: m.lagSeconds !== undefined })) }));
}

describe('hatopo status and check --live on real Sentinels and a plain PostgreSQL pair', { skip: redisLabMissing() ?? postgresLabMissing(), timeout: 150_000 }, () => {
  let redis: RedisLab;
  let pg: PostgresLab;
  const outputs: string[] = [];
  const work = mkdtempSync(join(tmpdir(), 'hatopo-cli-live-'));
  const baseEnv = () => ({ PATH: process.env.PATH, HOME: work, NO_COLOR: '1' });
  const hatopo = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...baseEnv(), ...env }, timeout: 30_000 });
    outputs.push(r.stdout, r.stderr);
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const redisEnv = () => ({ REDISCLI_AUTH: redis.sentinelPassword, HATOPO_REDIS_PASSWORD: redis.dataPassword });
  const sentinelArgs = () => ['--sentinel', SENTINELS.map((p) => `redis://127.0.0.1:${p}`).join(','), '--master', redis.masterName];
  const pgArgs = () => ['--postgres', `host=127.0.0.1 port=${PG.primary} user=postgres,postgresql://postgres@127.0.0.1:${PG.standby}/postgres`];
  const json = (args: string[], env: NodeJS.ProcessEnv) => {
    const r = hatopo(['status', '--format', 'json', ...args], env);
    assert.equal(r.stderr, '');
    const states = JSON.parse(r.stdout) as ClusterState[];
    validateClusterState(states);
    return { code: r.code, states };
  };

  before(async () => {
    const [r, p] = await Promise.allSettled([
      startRedisLab({ dataPorts: DATA, sentinelPorts: SENTINELS, masterName: 'cliredis' }),
      startPostgresLab({ primaryPort: PG.primary, standbyPort: PG.standby }),
    ]);
    if (r.status === 'fulfilled') redis = r.value;
    if (p.status === 'fulfilled') pg = p.value;
    if (r.status === 'rejected') throw r.reason;
    if (p.status === 'rejected') throw p.reason;
  }, { timeout: 60_000 });

  after(async () => {
    await Promise.allSettled([redis?.stop(), pg?.stop()]);
    rmSync(work, { recursive: true, force: true });
  }, { timeout: 30_000 });

  test('Sentinel: the JSON is the provider\'s view and what redis-cli says; REDISCLI_AUTH and HATOPO_REDIS_PASSWORD are used; exit 0', { timeout: 30_000 }, async () => {
    const provider = sentinelProvider({ sentinels: redis.sentinelUrls, master: redis.masterName, dataPassword: redis.dataPassword });
    let cli: ClusterState[] = [];
    let direct: ClusterState[] = [];
    try {
      await waitFor('the CLI and the provider to agree', async () => {
        const r = json(sentinelArgs(), redisEnv());
        assert.equal(r.code, 0, JSON.stringify(r.states));
        cli = r.states;
        direct = await provider.read({ timeoutMs: 3000 });
        return JSON.stringify(settled(cli)) === JSON.stringify(settled(direct));
      }, 15_000, 300);
    } finally {
      await provider.close?.();
    }
    const [s] = cli;
    assert.equal(s.name, 'cliredis');
    const masters = await mastersBySentinels(redis);
    assert.deepEqual(new Set(masters), new Set([s.leader]));
    for (const port of DATA) {
      const m = s.members.find((x) => x.name === addr(port) && x.role !== 'sentinel');
      assert.ok(m, `${port} missing`);
      const role = await roleOf(redis, port);
      assert.equal(m.role, role === 'master' ? 'primary' : 'replica');
      assert.equal(m.writable, role === 'master');
    }
    assert.deepEqual(s.members.filter((m) => m.role === 'sentinel').map((m) => m.name).sort(), SENTINELS.map(addr));
  });

  test('Sentinel credentials: in the URL as well as in REDISCLI_AUTH; a wrong one is exit 2 and never shown', () => {
    const url = `redis://:${encodeURIComponent(redis.sentinelPassword)}@127.0.0.1:${SENTINELS[0]}`;
    const viaUrl = json(['--sentinel', url, '--master', redis.masterName], { HATOPO_REDIS_PASSWORD: redis.dataPassword });
    assert.equal(viaUrl.code, 0);
    assert.equal(viaUrl.states[0].source, `redis://127.0.0.1:${SENTINELS[0]}`);
    const wrong = hatopo(['status', '--sentinel', `redis://127.0.0.1:${SENTINELS[0]}`], { REDISCLI_AUTH: 'not-the-password-x1' });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stdout, /error: /);
    assert.ok(!(wrong.stdout + wrong.stderr).includes('not-the-password-x1'));
  });

  test('PostgreSQL: the JSON is the provider\'s view and what psql says, with PGPASSWORD as psql reads it', { timeout: 30_000 }, async () => {
    const env = { PGPASSWORD: pg.superuserPassword };
    const provider = postgresProvider({ connections: [`host=127.0.0.1 port=${PG.primary} user=postgres`, `postgresql://postgres@127.0.0.1:${PG.standby}/postgres`], env: { ...baseEnv(), ...env } });
    let cli: ClusterState[] = [];
    await waitFor('the CLI and the provider to agree', async () => {
      const r = json(pgArgs(), env);
      cli = r.states;
      return r.code === 0 && JSON.stringify(settled(cli)) === JSON.stringify(settled(await provider.read({ timeoutMs: 3000 })));
    }, 15_000, 300);
    await provider.close?.();
    const [s] = cli;
    for (const [port, role] of [[PG.primary, 'primary'], [PG.standby, 'replica']] as const) {
      const m = s.members.find((x) => x.address === addr(port));
      assert.ok(m, `no member at ${port}: ${JSON.stringify(s.members)}`);
      assert.equal(m.role, role);
      assert.equal(await pg.psql(port, 'SELECT pg_is_in_recovery()'), role === 'primary' ? 'f' : 't');
    }
    const wrong = hatopo(['status', ...pgArgs()], { PGPASSWORD: 'not-the-password-x2' });
    assert.equal(wrong.code, 2);
    assert.ok(!(wrong.stdout + wrong.stderr).includes('not-the-password-x2'));
  });

  test('both at once, as text: one table each, Sentinel before PostgreSQL', () => {
    const r = hatopo(['status', ...pgArgs(), ...sentinelArgs()], { ...redisEnv(), PGPASSWORD: pg.superuserPassword });
    assert.equal(r.code, 0, r.stdout);
    const sections = r.stdout.split('\n\n');
    assert.equal(sections.length, 2);
    assert.match(sections[0], /^cliredis \(sentinel, redis:\/\/127\.0\.0\.1:19479\) — ok · leader 127\.0\.0\.1:\d+ · /);
    assert.equal(sections[0].split('\n').filter((l) => /^ {2}127\.0\.0\.1:19(479|480|481) +sentinel +/.test(l)).length, 3);
    assert.match(sections[1], /^lab-primary \(postgres, 127\.0\.0\.1:19533,127\.0\.0\.1:19534\) — ok · leader 127\.0\.0\.1:19533 · /);
    assert.match(sections[1], /\n {2}127\.0\.0\.1:19533 +primary +running +1 /);
    assert.match(sections[1], /\n {2}127\.0\.0\.1:19534 +replica +streaming +1 /);
  });

  test('check --live: a sentinel.conf monitoring the master agrees; after a failover it names the new master', { timeout: 40_000 }, async () => {
    const conf = join(work, 'sentinel.conf');
    const original = (await mastersBySentinels(redis))[0];
    const [host, port] = original.split(':');
    writeFileSync(conf, `port 26379\nsentinel monitor ${redis.masterName} ${host} ${port} 2\nsentinel down-after-milliseconds ${redis.masterName} 2000\n`);
    const live = () => hatopo(['check', '--live', '--format', 'json', ...sentinelArgs(), conf], redisEnv());
    const codes = (r: { stdout: string }) => (JSON.parse(r.stdout) as { diagnostics: Array<{ code: string; range: { start: { line: number; character: number } } }> }).diagnostics.filter((d) => d.code.startsWith('live/'));
    assert.deepEqual(codes(live()), []);
    await redis.redisCli(SENTINELS[0], 'SENTINEL', 'FAILOVER', redis.masterName);
    const moved = await waitFor('every Sentinel to name a new master', async () => {
      const m = await mastersBySentinels(redis);
      return new Set(m).size === 1 && m[0] !== original ? m[0] : undefined;
    }, 20_000, 200);
    assert.equal(await roleOf(redis, Number(moved.split(':')[1])), 'master');
    // The data nodes settle a moment after the Sentinels agree (the old master is told to follow).
    await waitFor('hatopo status to name the new master', () => json(sentinelArgs(), redisEnv()).states[0].leader === moved, 15_000, 300);
    const r = await waitFor('the drift to show', () => {
      const out = live();
      return codes(out).length ? out : undefined;
    }, 10_000, 300);
    const [d] = codes(r);
    assert.equal(d.code, 'live/sentinel-master-moved');
    assert.deepEqual(d.range.start, { line: 1, character: readFileSync(conf, 'utf8').split('\n')[1].indexOf(host) });
    assert.match(r.stdout, new RegExp(moved.replace(/\./g, '\\.')));
  });

  test('no password of the labs in any output', () => {
    assert.ok(outputs.length > 10);
    for (const secret of [...pg.secrets, redis.dataPassword, redis.sentinelPassword]) {
      for (const o of outputs) assert.ok(!o.includes(secret) && !o.includes(encodeURIComponent(secret)), `a password appears in: ${o.slice(0, 300)}`);
    }
  });
});
