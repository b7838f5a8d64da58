// The extension host's cost of keeping live clusters fresh: the Refresher of live/src reading every
// connection every 2 s, and with each read what the connection manager does (mask the stored
// passwords, compare with the last state, look for split brains, serialise the snapshot for the
// language server). Measured with process.cpuUsage: the labs' daemons and the Kubernetes stand-in
// are other processes, so only the refreshing side is counted.
import type { SystemKind } from '../../live/src/model';
import type { Provider } from '../../live/src/provider';
import { haproxyProvider } from '../../live/src/providers/haproxy';
import { kubernetesProvider } from '../../live/src/providers/kubernetes';
import { patroniProvider } from '../../live/src/providers/patroni';
import { postgresProvider } from '../../live/src/providers/postgres';
import { sentinelProvider } from '../../live/src/providers/sentinel';
import type { RefreshStatus } from '../../live/src/refresher';
import { Refresher, readFailed } from '../../live/src/refresher';
import { maskDeep, splitBrainKeys, stateKey } from '../../client/src/live/snapshot';
import type { HaStack } from '../live/lab/ha-stack';
import type { PostgresLab } from '../live/lab/postgres';
import { sleep, waitFor } from '../live/lab/processes';
import type { RedisLab } from '../live/lab/redis';

export const REFRESH_MS = 2000;

export interface LiveLabs {
  stack: HaStack;
  redis: RedisLab;
  postgres: PostgresLab;
  /** The Kubernetes stand-in's kubeconfig, when it could be started. */
  kubeconfig?: string;
  /** A folder with no password file, for the PostgreSQL clients' HOME. */
  home: string;
}

/** Where the labs answer and with which passwords: plain data, handed to the meter's own process. */
export interface LabEndpoints {
  patroni: { restPorts: number[]; superuser: string; superuserPassword: string };
  sentinel: { urls: string[]; masterName: string; dataPassword: string; sentinelPassword: string };
  haproxy: { adminSocket: string; tcpSocket: string; statsUrl: string; statsUser: string; statsPassword: string };
  postgres: { ports: number[]; monitorUser: string; monitorPassword: string };
  kubeconfig?: string;
  home: string;
}

export function endpointsOf(labs: LiveLabs): LabEndpoints {
  const { stack, redis, postgres } = labs;
  const h = stack.haproxy;
  return {
    patroni: { restPorts: stack.patroni.members.map((m) => m.restPort), superuser: stack.patroni.superuser, superuserPassword: stack.patroni.superuserPassword },
    sentinel: { urls: redis.sentinelUrls, masterName: redis.masterName, dataPassword: redis.dataPassword, sentinelPassword: redis.sentinelPassword },
    haproxy: { adminSocket: h.adminSocket, tcpSocket: h.tcpSocket, statsUrl: h.statsUrl, statsUser: h.statsUser, statsPassword: h.statsPassword },
    postgres: { ports: [postgres.primary.port, postgres.standby.port], monitorUser: postgres.monitorUser, monitorPassword: postgres.monitorPassword },
    kubeconfig: labs.kubeconfig,
    home: labs.home,
  };
}

export interface Connection {
  id: string;
  kind: SystemKind;
  /** A fresh provider: the refresher closes the ones it is done with. */
  create(): Provider;
  /** The passwords the editor would hold for it in SecretStorage, masked from every state. */
  secrets: string[];
}

/**
 * Three connections of each kind, each through its own endpoint of the lab's one cluster of that
 * kind. Patroni's carry PostgreSQL credentials (so each read also asks every member whether it
 * accepts writes) unless `patroniPostgres` is false.
 */
export function connections(e: LabEndpoints, patroniPostgres = true): Connection[] {
  const pg = e.patroni;
  const list: Connection[] = [];
  pg.restPorts.forEach((port, i) =>
    list.push({
      id: `patroni-${i + 1}`,
      kind: 'patroni',
      create: () => patroniProvider({ urls: [`http://127.0.0.1:${port}`], ...(patroniPostgres ? { postgres: { user: pg.superuser, password: pg.superuserPassword } } : {}) }),
      secrets: patroniPostgres ? [pg.superuserPassword] : [],
    }),
  );
  const r = e.sentinel;
  r.urls.forEach((url, i) =>
    list.push({ id: `sentinel-${i + 1}`, kind: 'sentinel', create: () => sentinelProvider({ sentinels: [url], master: r.masterName, dataPassword: r.dataPassword }), secrets: [r.sentinelPassword, r.dataPassword] }),
  );
  const h = e.haproxy;
  list.push(
    { id: 'haproxy-unix', kind: 'haproxy', create: () => haproxyProvider({ endpoint: h.adminSocket }), secrets: [] },
    { id: 'haproxy-tcp', kind: 'haproxy', create: () => haproxyProvider({ endpoint: h.tcpSocket }), secrets: [] },
    { id: 'haproxy-page', kind: 'haproxy', create: () => haproxyProvider({ endpoint: h.statsUrl, username: h.statsUser, password: h.statsPassword }), secrets: [h.statsPassword] },
  );
  const p = e.postgres;
  const env = { HOME: e.home, PGUSER: p.monitorUser, PGPASSWORD: p.monitorPassword };
  for (let i = 1; i <= 3; i++) {
    list.push({ id: `postgres-${i}`, kind: 'postgres', create: () => postgresProvider({ connections: p.ports.map((port) => `host=127.0.0.1 port=${port} dbname=postgres`), env }), secrets: [p.monitorPassword] });
  }
  const kubeconfig = e.kubeconfig;
  if (kubeconfig) {
    for (const context of ['all', 'db', 'cache']) list.push({ id: `kubernetes-${context}`, kind: 'kubernetes', create: () => kubernetesProvider({ kubeconfig, context }), secrets: [] });
  }
  return list;
}

export interface RefreshCost {
  /** CPU time of this process over wall time, in % of one core, all windows together. */
  percent: number;
  /** Each window's figure, in order. */
  windows: number[];
  /** The time measured, all windows together. */
  windowMs: number;
  /** Reads that ended inside the window, and those among them that failed. */
  reads: number;
  failed: number;
  /** Connections whose last read before the window had an error (the figure would then not be a fair one). */
  failing: string[];
}

/**
 * Refreshes `list` every 2 s as the extension host does; once every connection has been read
 * (libraries loaded, connections and watches open) and `warmupMs` more have passed (V8 optimises
 * the hot functions on threads of this process: that is start-up cost, not the steady state),
 * measures `windowMs` of it.
 */
export async function refreshCost(list: Connection[], windowMs: number, warmupMs = 2 * REFRESH_MS, windows = 1): Promise<RefreshCost> {
  const byId = new Map(list.map((c) => [c.id, c]));
  const lastKeys = new Map<string, string>();
  const latest = new Map<string, RefreshStatus['states']>();
  let reads = 0;
  let failed = 0;
  let snapshot = '';
  const refresher = new Refresher({
    intervalMs: REFRESH_MS,
    onUpdate(id, status) {
      reads++;
      if (readFailed(status.states)) failed++;
      const secrets = byId.get(id)?.secrets ?? [];
      if (secrets.length) status.states = maskDeep(status.states, secrets);
      latest.set(id, status.states);
      const key = stateKey(status.states);
      if (lastKeys.get(id) === key) return;
      lastKeys.set(id, key);
      splitBrainKeys(id, status.states);
      // What the client sends the language server after a change: every connection's states.
      snapshot = JSON.stringify([...latest.values()].flat());
    },
  });
  try {
    for (const c of list) refresher.add(c.id, c.create());
    await waitFor('a first read of every connection', () => list.every((c) => latest.has(c.id)), 30_000, 100);
    await sleep(warmupMs);
    const failing = list.filter((c) => (latest.get(c.id) ?? []).some((s) => s.error !== undefined)).map((c) => c.id);
    reads = 0;
    failed = 0;
    const figures: number[] = [];
    let measured = 0;
    let busy = 0;
    for (let i = 0; i < windows; i++) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await sleep(windowMs);
      const cpu = process.cpuUsage(cpu0);
      const wall = performance.now() - t0;
      figures.push(((cpu.user + cpu.system) / 1000 / wall) * 100);
      measured += wall;
      busy += (cpu.user + cpu.system) / 1000;
    }
    if (!snapshot) throw new Error('no snapshot was ever made');
    // The mean, not the median of the windows: a collection or a burst of events is as much the cost as the quiet seconds.
    return { percent: (busy / measured) * 100, windows: figures, windowMs: measured, reads, failed, failing };
  } finally {
    refresher.dispose();
  }
}
