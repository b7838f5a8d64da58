// Live rows of `npm run bench` for the actions: `hatopo switchover --yes` (pre-flight, the call, and
// waiting until the new leader runs on a new timeline and the old one streams again) against
// `patronictl switchover --force` on the same cluster, turn about. patronictl returns once Patroni
// says the switchover succeeded; the time until its old leader streams again is measured after it
// by polling `patronictl list`, so the two end at the same point.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { HaStack } from '../live/lab/ha-stack';
import type { RedisLab } from '../live/lab/redis';
import { mastersBySentinels, roleOf } from '../live/lab/redis';
import { waitFor } from '../live/lab/processes';
import { waitForStreaming } from '../live/lab/patroni';

const CLI = join(resolve(__dirname, '..', '..'), 'dist', 'hatopo.js');
const ROUNDS = 3;

interface Listed {
  Member: string;
  Role: string;
  State: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function switchoverRows(stack: HaStack, home: string): Promise<string[][]> {
  const lab = stack.patroni;
  const env = { PATH: process.env.PATH, HOME: home, HATOPO_STATE_DIR: 'off', LANG: 'C.UTF-8', NO_COLOR: '1', PATRONI_RESTAPI_USERNAME: lab.restUser, PATRONI_RESTAPI_PASSWORD: lab.restPassword, PGUSER: lab.superuser, PGPASSWORD: lab.superuserPassword };
  const url = lab.members.map((m) => `http://127.0.0.1:${m.restPort}`).join(',');
  const list = () => JSON.parse(spawnSync('patronictl', ['-c', stack.files.patroniYml[0], 'list', '-f', 'json'], { env, encoding: 'utf8', timeout: 30_000 }).stdout || '[]') as Listed[];
  const hatopo: number[] = [];
  const patronictl: number[] = [];
  const patronictlSettled: number[] = [];
  const failures: string[] = [];
  const settleFailures: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    await waitForStreaming(lab, lab.members.length - 1, 60_000);
    let t = performance.now();
    const h = spawnSync(process.execPath, [CLI, 'switchover', '--patroni', url, '--yes', '--deadline', '90'], { env, encoding: 'utf8', timeout: 120_000 });
    if (h.status === 0) hatopo.push(performance.now() - t);
    else failures.push(`hatopo exit ${h.status}: ${(h.stdout + h.stderr).trim().split('\n').pop()}`);
    await waitForStreaming(lab, lab.members.length - 1, 60_000);
    const rows = list();
    const leader = rows.find((r) => r.Role === 'Leader')?.Member;
    const candidate = rows.find((r) => r.Role !== 'Leader' && /streaming|running/.test(r.State))?.Member;
    if (!leader || !candidate) {
      failures.push('patronictl: no leader or candidate');
      continue;
    }
    t = performance.now();
    const p = spawnSync('patronictl', ['-c', stack.files.patroniYml[0], 'switchover', '--leader', leader, '--candidate', candidate, '--force'], { env, encoding: 'utf8', timeout: 120_000 });
    if (p.status !== 0) {
      failures.push(`patronictl exit ${p.status}: ${(p.stdout + p.stderr).trim().split('\n').pop()}`);
      continue;
    }
    patronictl.push(performance.now() - t);
    // Patroni 3.0 lists a replica as running (4.x: streaming) once it follows the new leader again.
    await waitFor(`${leader} streaming again`, () => list().some((r) => r.Member === leader && r.Role !== 'Leader' && /^(running|streaming)$/.test(r.State)), 60_000, 100).catch(() => settleFailures.push(`${leader} did not run as a replica again within 60 s`));
    patronictlSettled.push(performance.now() - t);
  }
  const s = (xs: number[]) => (xs.length ? `${(median(xs) / 1000).toFixed(2)} s` : 'n/a');
  const note = `median of ${hatopo.length} runs${failures.length ? `; ${failures.length} failed (${failures[0]})` : ''}`;
  return [
    ['live: `hatopo switchover --yes`, 3-member Patroni 3.0.2 cluster: pre-flight, switchover, until the old leader streams again (whole process)', s(hatopo), note],
    ['live: `patronictl switchover --force`, same cluster, same run: until it returns', s(patronictl), `median of ${patronictl.length} runs; it does not wait for the old leader`],
    ['live: `patronictl switchover --force`, then `patronictl list` polled until the old leader streams again', s(patronictlSettled), `the same end point as hatopo switchover${settleFailures.length ? `; ${settleFailures.length} did not get there (${settleFailures[0]})` : ''}`],
  ];
}

/**
 * `hatopo failover --sentinel … --yes` (CKQUORUM and the replicas checked, SENTINEL FAILOVER, then
 * waiting until the new master says role:master and the old one replicates from it) against
 * `redis-cli SENTINEL FAILOVER` followed by the same waiting, done by polling with redis-cli.
 */
export async function sentinelFailoverRows(redis: RedisLab, home: string): Promise<string[][]> {
  const env = { PATH: process.env.PATH, HOME: home, HATOPO_STATE_DIR: 'off', NO_COLOR: '1', REDISCLI_AUTH: redis.sentinelPassword, HATOPO_REDIS_PASSWORD: redis.dataPassword };
  const url = redis.sentinelUrls[0].replace(/\/\/[^@]*@/, '//');
  const masterPort = async () => Number((await mastersBySentinels(redis, [redis.sentinelPorts[0]]))[0].split(':')[1]);
  /** The master moved away from `old`, which now replicates from it. */
  const settled = async (old: number) => {
    const now = await masterPort();
    if (now === old || (await roleOf(redis, now)) !== 'master') return false;
    return (await roleOf(redis, old).catch(() => '')) === 'slave';
  };
  const hatopo: number[] = [];
  const cli: number[] = [];
  const failures: string[] = [];
  // Sentinel refuses a second failover of the same master for 2 × failover-timeout: the lab keeps it short.
  for (let i = 0; i < ROUNDS; i++) {
    let old = await masterPort();
    let t = performance.now();
    const h = spawnSync(process.execPath, [CLI, 'failover', '--sentinel', url, '--master', redis.masterName, '--yes', '--deadline', '60'], { env, encoding: 'utf8', timeout: 90_000 });
    if (h.status === 0) hatopo.push(performance.now() - t);
    else failures.push(`hatopo exit ${h.status}: ${(h.stdout + h.stderr).trim().split('\n').pop()}`);
    await waitFor('the old master to replicate', () => settled(old), 60_000, 200).catch(() => undefined);
    old = await masterPort();
    const asked = await waitFor('Sentinel to accept SENTINEL FAILOVER', async () => {
      t = performance.now();
      const r = await redis.redisCli(redis.sentinelPorts[0], 'SENTINEL', 'FAILOVER', redis.masterName).catch((e: Error) => e.message);
      return r.trim() === 'OK' && r;
    }, 60_000, 500).catch((e: Error) => failures.push(`redis-cli: ${e.message}`));
    if (asked === undefined || typeof asked === 'number') continue;
    await waitFor('the new master', () => settled(old), 60_000, 50).then(() => cli.push(performance.now() - t), (e: Error) => failures.push(`redis-cli: ${e.message}`));
  }
  const s = (xs: number[]) => (xs.length ? `${(median(xs) / 1000).toFixed(2)} s` : 'n/a');
  return [
    ['live: `hatopo failover --sentinel URL --master NAME --yes`, Redis 7.0, 3 Sentinels: pre-flight, failover, until the old master replicates from the new (whole process)', s(hatopo), `median of ${hatopo.length} runs${failures.length ? `; ${failures.length} failed (${failures[0]})` : ''}`],
    ['live: `redis-cli SENTINEL FAILOVER`, then polled with redis-cli until the same point, same run', s(cli), `median of ${cli.length} runs`],
  ];
}
