// Redis Sentinel: what the Sentinels know of each master (SENTINEL MASTER(S) / REPLICAS / SENTINELS /
// CKQUORUM) and what each data node says of itself (INFO replication), one ClusterState per master.
import type { TlsOptions } from '../http';
import type { ClusterState } from '../model';
import { unreachable } from '../model';
import type { Provider, ReadOptions } from '../provider';
import { withoutCredentials } from '../secrets';
import type { RedisTarget } from './redis-connections';
import { RedisCallError, RedisConnections, hostPort } from './redis-connections';
import type { Fields, NodeInfo, SentinelView } from './sentinel-state';
import { addressOf, masterClaimants, pairs, parseInfo, sentinelClusterState } from './sentinel-state';

export interface SentinelOptions {
  /** `redis://[user:pass@]host:port` or `rediss://…` (port 26379 if left out); tried in order until one answers. */
  sentinels: string[];
  /** The master to read; every master the Sentinel monitors when absent. */
  master?: string;
  /** ACL user and password of the data nodes (Sentinel's own go in its URLs): they often differ. Default: none. */
  dataUsername?: string;
  dataPassword?: string;
  /** CA, client certificate and verification for rediss:// Sentinels and TLS data nodes. */
  tls?: TlsOptions;
  /** Whether the data nodes speak TLS; by default they do when the Sentinel's URL is rediss://. */
  dataTls?: boolean;
}

export interface SentinelEndpoint {
  url: string;
  target: RedisTarget;
}

/** A Sentinel URL as the endpoint shown (credentials removed) and the target connected to. */
export function sentinelEndpoint(address: string, index: number, tls: TlsOptions | undefined): SentinelEndpoint {
  let u: URL;
  try {
    u = new URL(address);
  } catch {
    throw new TypeError(`Sentinel address ${index + 1} is not a URL (redis://[user:pass@]host:port)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new TypeError(`Sentinel address ${index + 1}: scheme ${u.protocol} is not redis: or rediss:`);
  const target: RedisTarget = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 26379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    tls: u.protocol === 'rediss:' ? (tls ?? {}) : undefined,
  };
  return { url: withoutCredentials(address), target };
}

const isReplyError = (e: unknown): e is RedisCallError => e instanceof RedisCallError && e.code === 'EREPLY';
const list = (reply: unknown): unknown[] => (Array.isArray(reply) ? reply : []);

/** Reads Redis Sentinel. Throws only for addresses that are not redis:// URLs; read() never rejects. */
export function sentinelProvider(options: SentinelOptions): Provider {
  if (!options.sentinels.length) throw new TypeError('at least one Sentinel address is needed');
  const endpoints = options.sentinels.map((s, i) => sentinelEndpoint(s, i, options.tls));
  const secrets = [options.dataPassword, ...endpoints.map((e) => e.target.password)];
  const connections = new RedisConnections(secrets);
  const masterClaims = new Map<string, number>();
  const source = endpoints.map((e) => e.url).join(',');

  const dataTarget = (ip: string, port: string, sentinel: SentinelEndpoint): RedisTarget => ({
    host: ip,
    port: Number(port),
    username: options.dataUsername,
    password: options.dataPassword,
    tls: (options.dataTls ?? sentinel.target.tls !== undefined) ? (options.tls ?? {}) : undefined,
  });

  /**
   * The answering Sentinel's own address as its peers know it: reached through a TLS port or a
   * forwarded one, it still announces its plain TCP port (INFO server tcp_port).
   */
  async function selfAddress(s: SentinelEndpoint, deadline: number, signal?: AbortSignal): Promise<string> {
    try {
      const port = Number(parseInfo(String(await connections.call(s.target, deadline, signal, ['INFO', 'server']))).tcp_port);
      if (port > 0) return hostPort(s.target.host, port);
    } catch {
      // Not worth failing the read for: the address it was reached at will do.
    }
    return hostPort(s.target.host, s.target.port);
  }

  async function readMaster(s: SentinelEndpoint, self: Promise<string>, master: Fields, deadline: number, now: Date, signal?: AbortSignal): Promise<{ state: ClusterState; used: string[] }> {
    const name = master.name;
    const call = (...args: [string, ...string[]]) => connections.call(s.target, deadline, signal, args);
    const replicasOf = async () => {
      try {
        return list(await call('SENTINEL', 'REPLICAS', name));
      } catch (e) {
        // Sentinels before 6.2 know only the old word.
        if (isReplyError(e)) return list(await call('SENTINEL', 'SLAVES', name));
        throw e;
      }
    };
    const ckquorum = call('SENTINEL', 'CKQUORUM', name).then(
      (r) => ({ ok: true, text: String(r) }),
      (e: unknown) => {
        if (isReplyError(e)) return { ok: false, text: e.reply ?? e.message };
        throw e;
      },
    );
    let view: SentinelView;
    try {
      const [replicas, sentinels, quorum, sentinel] = await Promise.all([replicasOf(), call('SENTINEL', 'SENTINELS', name).then(list), ckquorum, self]);
      view = { sentinel, master, replicas: replicas.map(pairs), sentinels: sentinels.map(pairs), ckquorum: quorum };
    } catch (e) {
      return { state: unreachable('sentinel', name, s.url, (e as Error).message, now), used: [] };
    }
    const data = [view.master, ...view.replicas];
    const infos = await Promise.all(
      data.map(async (f): Promise<[string, NodeInfo]> => {
        try {
          const text = await connections.call(dataTarget(f.ip, f.port, s), deadline, signal, ['INFO', 'replication']);
          return [addressOf(f), { info: parseInfo(String(text)) }];
        } catch (e) {
          return [addressOf(f), { error: (e as Error).message }];
        }
      }),
    );
    const nodes = new Map(infos);
    // Since when each replica has claimed to be a master, across reads: a claim Sentinel does not end soon is a split brain.
    const claiming = new Set(masterClaimants(view, nodes));
    for (const name of [...masterClaims.keys()]) if (!claiming.has(name)) masterClaims.delete(name);
    for (const name of claiming) if (!masterClaims.has(name)) masterClaims.set(name, now.getTime());
    return { state: sentinelClusterState(view, nodes, s.url, now, { masterClaims }), used: data.map(addressOf) };
  }

  return {
    kind: 'sentinel',
    source,
    async read(read: ReadOptions): Promise<ClusterState[]> {
      const now = read.now?.() ?? new Date();
      const deadline = Date.now() + read.timeoutMs;
      const failures: string[] = [];
      for (const [i, s] of endpoints.entries()) {
        // Each Sentinel still to try gets a fair share of the time left, so a dead first one cannot eat it all.
        const share = Date.now() + (deadline - Date.now()) / (endpoints.length - i);
        let masters: Fields[];
        try {
          const reply = options.master
            ? [await connections.call(s.target, share, read.signal, ['SENTINEL', 'MASTER', options.master])]
            : list(await connections.call(s.target, share, read.signal, ['SENTINEL', 'MASTERS']));
          masters = reply.map(pairs);
        } catch (e) {
          const message = (e as Error).message;
          if (options.master && isReplyError(e) && /no such master/i.test(e.reply ?? '')) {
            return [unreachable('sentinel', options.master, s.url, `Sentinel ${hostPort(s.target.host, s.target.port)} monitors no master named '${options.master}'`, now)];
          }
          failures.push(message);
          if (read.signal?.aborted) break;
          continue;
        }
        if (!masters.length) return [unreachable('sentinel', s.url, s.url, `Sentinel ${hostPort(s.target.host, s.target.port)} monitors no master`, now)];
        const self = selfAddress(s, deadline, read.signal);
        const results = await Promise.all(masters.map((m) => readMaster(s, self, m, deadline, now, read.signal)));
        connections.prune(new Set([hostPort(s.target.host, s.target.port), ...results.flatMap((r) => r.used)]));
        return results.map((r) => r.state);
      }
      const reason = endpoints.length === 1 ? failures[0] : `no Sentinel answered: ${failures.join('; ')}`;
      return [unreachable('sentinel', options.master ?? source, source, reason ?? 'cancelled', now)];
    },
    async close() {
      connections.close();
    },
  };
}
