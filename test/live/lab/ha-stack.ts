// A Patroni cluster with a real HAProxy in front, as it is run in production: a write listener whose
// servers are the members' PostgreSQL ports, health-checked with `GET /primary` on their REST ports,
// and a read listener checked with `GET /replica`, plus the admin stats socket. The generated
// haproxy.cfg and patroni.yml files stay in the scratch folders while the stack runs.
import { join } from 'node:path';
import type { HaproxyLab, HaproxyLabServer } from './haproxy';
import { haproxyLabMissing, startHaproxyLab } from './haproxy';
import type { PatroniLab } from './patroni';
import { patroniLabMissing, startPatroniLab } from './patroni';
import { waitFor } from './processes';

export const WRITE_BACKEND = 'pg_write';
export const READ_BACKEND = 'pg_read';

export interface HaStackOptions {
  scope?: string;
  etcdClientPort: number;
  etcdPeerPort: number;
  /** The first member's PostgreSQL and REST ports; the others follow. */
  firstPgPort: number;
  firstRestPort: number;
  /** HAProxy: the write and read listeners, the HTTP stats page and the TCP stats socket. */
  writePort: number;
  readPort: number;
  statsPort: number;
  socketPort: number;
  members?: number;
  /** Patroni's synchronous_mode (off by default). */
  synchronousMode?: boolean;
}

/** One server of a backend as HAProxy's `show stat` puts it. */
export interface RouteRow {
  status: string;
  check: string;
}

export interface HaStack {
  patroni: PatroniLab;
  haproxy: HaproxyLab;
  files: { haproxyCfg: string; patroniYml: string[] };
  /** Every password of both labs, for the tests that grep outputs for them. */
  secrets: string[];
  /** `show stat` from the admin socket, cut by hand: backend → server → status and last check. */
  routes(): Promise<Map<string, Map<string, RouteRow>>>;
  /** The servers of a backend that HAProxy reports UP, sorted. */
  up(backend: string): Promise<string[]>;
  /** What Patroni itself says (GET /cluster from any member that answers): the leader and the members meant for reads. */
  patroniView(): Promise<{ leader?: string; replicas: string[]; readable: string[] }>;
  /** Waits until HAProxy sends writes to `leader` alone and reads to exactly `readable`. */
  waitForRoutes(leader: string, readable: string[], timeoutMs: number): Promise<void>;
  /** Stops HAProxy and the cluster (by PID, orphan postmasters included) and removes their folders. */
  stop(): Promise<void>;
}

export function haStackMissing(): string | undefined {
  return patroniLabMissing() ?? haproxyLabMissing();
}

/** `show stat` CSV → backend → server → row; the header names the columns (no quoted field comes before them). */
export function parseShowStat(csv: string): Map<string, Map<string, RouteRow>> {
  const lines = csv.split('\n').filter(Boolean);
  const header = lines[0].replace(/^# /, '').split(',');
  const [status, check] = [header.indexOf('status'), header.indexOf('check_status')];
  const out = new Map<string, Map<string, RouteRow>>();
  for (const f of lines.slice(1).map((l) => l.split(','))) {
    if (f[1] === 'FRONTEND' || f[1] === 'BACKEND') continue;
    const backend = out.get(f[0]) ?? new Map<string, RouteRow>();
    backend.set(f[1], { status: f[status], check: f[check] });
    out.set(f[0], backend);
  }
  return out;
}

interface ClusterJson {
  members: Array<{ name: string; role: string; state: string; tags?: Record<string, unknown> }>;
}

export async function startHaStack(o: HaStackOptions): Promise<HaStack> {
  const count = o.members ?? 3;
  const servers = (path: '/primary' | '/replica'): HaproxyLabServer[] =>
    Array.from({ length: count }, (_, i) => ({ name: `pg${i + 1}`, host: '127.0.0.1', port: o.firstPgPort + i, checkPort: o.firstRestPort + i, check: `httpchk GET ${path}` as const }));
  const [p, h] = await Promise.allSettled([
    startPatroniLab({ scope: o.scope ?? 'ha-stack', members: count, synchronousMode: o.synchronousMode, etcdClientPort: o.etcdClientPort, etcdPeerPort: o.etcdPeerPort, firstPgPort: o.firstPgPort, firstRestPort: o.firstRestPort }),
    startHaproxyLab({
      listeners: [
        { name: WRITE_BACKEND, port: o.writePort, servers: servers('/primary') },
        { name: READ_BACKEND, port: o.readPort, servers: servers('/replica') },
      ],
      statsPort: o.statsPort,
      socketPort: o.socketPort,
    }),
  ]);
  if (p.status === 'rejected' || h.status === 'rejected') {
    // Whichever started is stopped before the failure is reported.
    await Promise.allSettled([p.status === 'fulfilled' ? p.value.stop() : undefined, h.status === 'fulfilled' ? h.value.stop() : undefined]);
    throw p.status === 'rejected' ? p.reason : (h as PromiseRejectedResult).reason;
  }
  const patroni = p.value;
  const haproxy = h.value;
  const routes = async () => parseShowStat(await haproxy.socket('show stat'));
  const up = async (backend: string) => [...((await routes()).get(backend) ?? [])].filter(([, r]) => /^UP\b/.test(r.status)).map(([n]) => n).sort();
  const stack: HaStack = {
    patroni,
    haproxy,
    files: { haproxyCfg: join(haproxy.dir, 'haproxy.cfg'), patroniYml: patroni.members.map((m) => m.config) },
    secrets: [...patroni.secrets, haproxy.statsPassword],
    routes,
    up,
    async patroniView() {
      for (const m of patroni.members) {
        const res = await patroni.rest(m.restPort, '/cluster').catch(() => undefined);
        if (res?.status !== 200) continue;
        const cluster = JSON.parse(res.body) as ClusterJson;
        // Patroni answers /replica with 503 for a member tagged noloadbalance: it takes no reads.
        const replicas = cluster.members.filter((x) => (x.role === 'replica' || x.role === 'sync_standby') && x.state === 'running');
        return {
          leader: cluster.members.find((x) => x.role === 'leader')?.name,
          replicas: replicas.map((x) => x.name).sort(),
          readable: replicas.filter((x) => x.tags?.noloadbalance !== true).map((x) => x.name).sort(),
        };
      }
      return { replicas: [], readable: [] };
    },
    async waitForRoutes(leader, readable, timeoutMs) {
      const want = JSON.stringify([[leader], [...readable].sort()]);
      let seen = '';
      await waitFor(`HAProxy to send writes to ${leader} and reads to ${readable.join(', ') || 'no server'}`, async () => {
        seen = JSON.stringify([await up(WRITE_BACKEND), await up(READ_BACKEND)]);
        return seen === want;
      }, timeoutMs, 150).catch((e: Error) => {
        throw new Error(`${e.message} (UP in ${WRITE_BACKEND}, ${READ_BACKEND}: ${seen})`);
      });
    },
    stop: async () => {
      await Promise.allSettled([haproxy.stop(), patroni.stop()]);
    },
  };
  try {
    // The replicas report `running` a moment after they stream, and HAProxy needs a few check rounds.
    const view = await waitFor('Patroni to list a leader and its running replicas', async () => {
      const v = await stack.patroniView();
      return v.leader && v.replicas.length === count - 1 ? v : undefined;
    }, 30_000, 200);
    await stack.waitForRoutes(view.leader as string, view.readable, 20_000);
  } catch (e) {
    await stack.stop();
    throw e;
  }
  return stack;
}
