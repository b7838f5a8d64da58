// Live rows of `npm run bench`, on real clusters started here (loopback, fixed ports, stopped by PID
// at the end even on failure): `hatopo status --patroni URL` against `patronictl list` on the same
// Patroni cluster, side by side; and the CPU an extension host spends refreshing three connections of
// each kind every 2 s. Without the Debian packages the rows say they were skipped, and why.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SystemKind } from '../../live/src/model';
import type { HaStack } from '../live/lab/ha-stack';
import { haStackMissing, startHaStack } from '../live/lab/ha-stack';
import { postgresLabMissing, startPostgresLab } from '../live/lab/postgres';
import { removeDir, scratchDir, stopAll, waitFor } from '../live/lab/processes';
import { redisLabMissing, startRedisLab } from '../live/lab/redis';
import { sentinelFailoverRows, switchoverRows } from './live-actions';
import type { LabEndpoints, LiveLabs, RefreshCost } from './live-refresh';
import { REFRESH_MS, connections, endpointsOf } from './live-refresh';
import type { MeterAnswer, MeterJob } from './refresh-meter';

const REPO = resolve(__dirname, '..', '..');
const CLI = join(REPO, 'dist', 'hatopo.js');
// The bench's ports (etcd's are the live test's too: the two are not run at the same time).
const PORTS = {
  etcd: 12479, etcdPeer: 12480, pg: 15540, rest: 18114, write: 18540, read: 18541, stats: 18542, socket: 18543,
  redis: [16570, 16571, 16572], sentinels: [16580, 16581, 16582], primary: 15545, standby: 15546, kube: 18590,
};
const RUNS = 7;
/**
 * CPU windows: all connections together over 6 × 10 s, then each kind alone over 4 × 5 s, each run
 * in a fresh process after 12 s of warm-up (providers connect and authenticate, V8 optimises their
 * code: start-up cost, not the steady state). Each figure is the CPU time over the whole time measured; the windows'
 * own figures are listed beside it.
 */
const ALL = { windowMs: 10_000, warmupMs: 12_000, windows: 6 };
const KIND = { windowMs: 5_000, warmupMs: 12_000, windows: 4 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
const ms = (n: number) => `${n.toFixed(1)} ms`;
const pct = (n: number) => `${n.toFixed(2)} % of one core`;

/** The Kubernetes stand-in in a child process; resolves with its kubeconfig once it answers. */
async function startKubeReplay(): Promise<{ kubeconfig: string; stop(): Promise<void> }> {
  const dir = scratchDir('bench-kube');
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'kube-replay.ts'), String(PORTS.kube), dir], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const stop = async () => {
    if (child.pid !== undefined) await stopAll([child.pid], 3000);
    removeDir(dir);
  };
  try {
    const line = await waitFor('the Kubernetes stand-in', () => (child.exitCode !== null ? Promise.reject(new Error(err.trim() || `exit ${child.exitCode}`)) : out.split('\n').find((l) => l.startsWith('{'))), 30_000, 100);
    return { kubeconfig: (JSON.parse(line) as { kubeconfig: string }).kubeconfig, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Every lab at once. Each one that starts registers its stop in `stops` at once, so that a failure
 * of another (or a crash) still stops it.
 */
async function startLabs(home: string, stops: Array<() => Promise<void>>): Promise<{ labs: LiveLabs; kubeError?: string }> {
  const track = <T extends { stop(): Promise<void> }>(p: Promise<T>) =>
    p.then((lab) => {
      stops.push(() => lab.stop());
      return lab;
    });
  const [stack, redis, postgres, kube] = await Promise.allSettled([
    track(startHaStack({ scope: 'bench', etcdClientPort: PORTS.etcd, etcdPeerPort: PORTS.etcdPeer, firstPgPort: PORTS.pg, firstRestPort: PORTS.rest, writePort: PORTS.write, readPort: PORTS.read, statsPort: PORTS.stats, socketPort: PORTS.socket })),
    track(startRedisLab({ dataPorts: PORTS.redis, sentinelPorts: PORTS.sentinels })),
    track(startPostgresLab({ primaryPort: PORTS.primary, standbyPort: PORTS.standby })),
    track(startKubeReplay()),
  ]);
  if (stack.status === 'rejected' || redis.status === 'rejected' || postgres.status === 'rejected') {
    const failed = [stack, redis, postgres].find((r): r is PromiseRejectedResult => r.status === 'rejected');
    throw new Error(`a lab did not start: ${String((failed?.reason as Error).message).split('\n')[0]}`);
  }
  const labs: LiveLabs = { stack: stack.value, redis: redis.value, postgres: postgres.value, home, kubeconfig: kube.status === 'fulfilled' ? kube.value.kubeconfig : undefined };
  return { labs, kubeError: kube.status === 'rejected' ? String((kube.reason as Error).message).split('\n')[0] : undefined };
}

/** `hatopo status` and `patronictl list`, turn about, RUNS times each after one run of each not counted. */
async function statusVersusPatronictl(stack: HaStack, home: string): Promise<string[][]> {
  const url = `http://127.0.0.1:${stack.patroni.members[0].restPort}`;
  const plain = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', NO_COLOR: '1' };
  const withPg = { ...plain, PGUSER: stack.patroni.superuser, PGPASSWORD: stack.patroni.superuserPassword };
  const commands: Record<string, { cmd: string; args: string[]; env: NodeJS.ProcessEnv }> = {
    status: { cmd: process.execPath, args: [CLI, 'status', '--patroni', url], env: plain },
    statusPg: { cmd: process.execPath, args: [CLI, 'status', '--patroni', url], env: withPg },
    patronictl: { cmd: 'patronictl', args: ['-c', stack.files.patroniYml[0], 'list'], env: plain },
  };
  // Just started, a replica may still show as lagging or starting: measure a cluster at rest.
  await waitFor('hatopo status to report the cluster healthy', () => spawnSync(commands.status.cmd, commands.status.args, { env: plain, timeout: 30_000 }).status === 0, 30_000, 300);
  const times: Record<string, number[]> = { status: [], statusPg: [], patronictl: [] };
  const failures: string[] = [];
  for (let run = 0; run <= RUNS; run++) {
    for (const [name, c] of Object.entries(commands)) {
      const t = performance.now();
      const r = spawnSync(c.cmd, c.args, { env: c.env, encoding: 'utf8', timeout: 30_000 });
      const took = performance.now() - t;
      if (r.status !== 0) failures.push(`${name} exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
      if (run > 0) times[name].push(took);
    }
  }
  const [status, statusPg, patronictl] = [median(times.status), median(times.statusPg), median(times.patronictl)];
  const versus = (t: number) => (t <= patronictl ? `${(patronictl / t).toFixed(1)}× faster than patronictl list` : `${(t / patronictl).toFixed(1)}× slower than patronictl list`);
  const failed = failures.length ? `; ${failures.length} runs failed (${failures[0]})` : '';
  return [
    ['live: `hatopo status --patroni URL`, 3-member Patroni 3.0.2 cluster (whole process)', ms(status), `${versus(status)}${failed}`],
    ['live: `patronictl -c patroni.yml list`, same cluster, same run (whole process)', ms(patronictl), 'reads etcd directly'],
    ['live: `hatopo status --patroni URL` with PGUSER/PGPASSWORD (every member asked pg_is_in_recovery())', ms(statusPg), versus(statusPg)],
  ];
}

/**
 * The refresh meter (refresh-meter.ts) bundled as the extension's code is (esbuild, the options of
 * esbuild.mjs), with dist/kubernetes.js beside it as in the extension: the figures are those of the
 * code that ships, in a process that does nothing else.
 */
async function bundleMeter(dir: string): Promise<string> {
  const esbuild = await import('esbuild');
  const outfile = join(dir, 'meter.js');
  await esbuild.build({ entryPoints: [join(__dirname, 'refresh-meter.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['pg-native'], logLevel: 'warning' });
  copyFileSync(join(REPO, 'dist', 'kubernetes.js'), join(dir, 'kubernetes.js'));
  return outfile;
}

/** Runs the meter on one set of connections; rejects with its error or when it does not finish in time. */
async function meter(script: string, dir: string, job: MeterJob): Promise<RefreshCost> {
  const file = join(dir, `job-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(job), { mode: 0o600 });
  const child = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: job.endpoints.home, LANG: 'C.UTF-8' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const limitMs = 60_000 + job.warmupMs + job.windows * job.windowMs;
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('close', (c, s) => done([c, s])));
  clearTimeout(timer);
  rmSync(file, { force: true });
  let answer: MeterAnswer;
  try {
    answer = JSON.parse(out.trim().split('\n').pop() ?? '') as MeterAnswer;
  } catch {
    throw new Error(`the refresh meter ${signal ? `was stopped (${signal}) after ${limitMs} ms` : `exited ${code}`}: ${(err || out).trim().split('\n')[0]}`);
  }
  if ('error' in answer) throw new Error(`the refresh meter failed: ${answer.error}`);
  return answer.cost;
}

/** All connections together, then each kind alone, then Patroni without PostgreSQL credentials. */
async function refreshRows(labs: LiveLabs, kubeError: string | undefined): Promise<string[][]> {
  const endpoints: LabEndpoints = endpointsOf(labs);
  const all = connections(endpoints);
  const dir = scratchDir('bench-meter');
  try {
    const script = await bundleMeter(dir);
    const measure = (o: typeof ALL, which: { kind?: string; restOnly?: boolean } = {}) => meter(script, dir, { endpoints, ...which, ...o });
    const note = (r: RefreshCost) =>
      [
        `${r.windows.length} windows of ${(r.windowMs / r.windows.length / 1000).toFixed(0)} s: ${r.windows.map((w) => w.toFixed(2)).join(' / ')} %`,
        `${r.reads} reads in ${(r.windowMs / 1000).toFixed(0)} s${r.failed ? `, ${r.failed} failed` : ''}`,
        ...(r.failing.length ? [`failing before the windows: ${r.failing.join(', ')}`] : []),
      ].join('; ');
    const together = await measure(ALL);
    const kinds = [...new Set(all.map((c) => c.kind))];
    const rows = [[`live: extension host refreshing ${all.length} connections every ${REFRESH_MS / 1000} s, 3 of each kind (${kinds.join(', ')})`, pct(together.percent), `target < 2 %; ${note(together)}${kubeError ? `; Kubernetes left out: ${kubeError}` : ''}`]];
    const what: Record<SystemKind, string> = {
      patroni: 'Patroni (REST API, and pg_is_in_recovery() on each member)',
      sentinel: 'Sentinel (Sentinel and data nodes)',
      haproxy: 'HAProxy (unix socket, TCP socket, stats page)',
      postgres: 'PostgreSQL (primary and standby)',
      kubernetes: 'Kubernetes (watches; a read every 30 s without events)',
    };
    for (const kind of kinds) {
      const r = await measure(KIND, { kind });
      rows.push([`live: refreshing 3 ${what[kind]} every ${REFRESH_MS / 1000} s`, pct(r.percent), note(r)]);
    }
    const restOnly = await measure(KIND, { kind: 'patroni', restOnly: true });
    rows.push([`live: refreshing 3 Patroni (REST API only, no PostgreSQL credentials) every ${REFRESH_MS / 1000} s`, pct(restOnly.percent), note(restOnly)]);
    return rows;
  } finally {
    removeDir(dir);
  }
}

/** The live rows; labs started once, stopped at the end whatever happens (a crash of the process included). */
export async function liveRows(): Promise<string[][]> {
  const missing = haStackMissing() ?? redisLabMissing() ?? postgresLabMissing() ?? (existsSync(CLI) ? undefined : 'dist/hatopo.js is not built (npm run build)');
  if (missing) {
    console.log(`live rows skipped: ${missing} (the live labs need the Debian packages patroni, etcd-server, postgresql-15, redis-server, redis-sentinel, haproxy)`);
    return [['live cluster rows', 'n/a', `skipped: ${missing}`]];
  }
  const home = mkdtempSync(join(tmpdir(), 'hatopo-bench-home-'));
  const stops: Array<() => Promise<void>> = [];
  const stopAllLabs = async () => {
    await Promise.allSettled(stops.splice(0).map((stop) => stop()));
    rmSync(home, { recursive: true, force: true });
  };
  const crash = (err: unknown) => {
    console.error('live rows: the bench crashed; stopping the labs', err);
    void stopAllLabs().finally(() => process.exit(1));
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  try {
    const { labs, kubeError } = await startLabs(home, stops);
    const rows = await statusVersusPatronictl(labs.stack, home);
    rows.push(...(await refreshRows(labs, kubeError)));
    rows.push(...(await switchoverRows(labs.stack, home)));
    rows.push(...(await sentinelFailoverRows(labs.redis, home)));
    return rows;
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    console.log(`live rows failed: ${why}`);
    return [['live cluster rows', 'n/a', `failed: ${why}`]];
  } finally {
    await stopAllLabs();
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
  }
}
