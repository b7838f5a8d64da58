// Patroni through its REST API: GET /cluster from the endpoint given (or, when it is down, from any
// member seen before), each member's GET /patroni, /history and /config; optionally the split-brain
// check on the members' PostgreSQL. Every call within the read's deadline; never rejects.
import type { HttpSend, TlsOptions } from '../http';
import { getJson, httpCall } from '../http';
import type { ClusterState } from '../model';
import { unreachable } from '../model';
import type { Provider, ReadOptions } from '../provider';
import { neverRejects } from '../provider';
import type { MemberMemory } from '../member-memory';
import { credentialsOf, mask, withoutCredentials } from '../secrets';
import type { MemberAnswer, PgCredentials } from '../split-brain';
import { askMembers, checkSplitBrain } from '../split-brain';
import { lsnBytes } from './postgres-observe';
import { PgSessions } from './postgres-session';
import type { PatroniClusterJson, PatroniConfigJson, PatroniStatusJson } from './patroni-state';
import { address, historyOf, isPatroniCluster, patroniClusterState } from './patroni-state';

export interface PatroniOptions {
  /** REST API URLs of one cluster's members, `http(s)://[user:pass@]host:8008`; the first that answers is read. */
  urls: string[];
  /** Basic auth (what patronictl takes from PATRONI_RESTAPI_USERNAME / PATRONI_RESTAPI_PASSWORD); else the URLs' userinfo. */
  username?: string;
  password?: string;
  tls?: TlsOptions;
  /** Log-in to the members' PostgreSQL: given, the split-brain check runs on every read. */
  postgres?: PgCredentials;
  /** A replica further behind is lagging; default: the cluster's maximum_lag_on_failover, else 1 MiB. */
  maxLagBytes?: number;
  /** The environment PG* variables are read from for the split-brain check (process.env unless given). */
  env?: NodeJS.ProcessEnv;
  /** Where the members seen are kept between runs (a one-shot CLI); the provider's own memory lasts only as long as it does. */
  memory?: MemberMemory;
  /** Another way to the members' REST APIs than their own addresses: `urls` are then that way's bases. */
  via?: PatroniTransport;
}

/**
 * A way to reach the members' REST APIs other than their own addresses, such as the Kubernetes API
 * server's pod proxy, for members whose api_url is a pod IP unreachable from outside the cluster.
 */
export interface PatroniTransport {
  /** What the provider and the audit name as the source: no credentials. */
  label: string;
  /** Where a member's /cluster, /patroni… hang this way, from its name and the api_url /cluster lists. */
  base(member: string, apiUrl?: string): string;
  /** One request: httpCall's deadline, size cap and abort; the relay's own refusals rejected as HttpErrors in words. */
  send: HttpSend;
  /** Whether basic auth reaches Patroni this way (the API server removes the Authorization header it authenticated). */
  carriesBasicAuth: boolean;
  /** Secrets of the relay's own credentials, masked from messages. */
  secrets?: string[];
  close?(): Promise<void>;
}

/**
 * `http://u:p@h:8008/patroni/` → `http://h:8008`: where /cluster, /patroni… hang. A bare `h:8008`
 * (a patroni.yml's restapi.connect_address) is taken as http.
 */
export function restBase(url: string): string {
  return withoutCredentials(withScheme(url)).replace(/\/+$/, '').replace(/\/patroni$/, '');
}

function withScheme(url: string): string {
  const u = url.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(u) ? u : `http://${u}`;
}

interface Seen {
  address?: string;
  base?: string;
  /** When /cluster stopped listing it (ms since epoch); unset while listed or while its PostgreSQL still runs. */
  missingSince?: number;
}

/** How long the dynamic configuration (/config) read once is used before it is read again. */
const CONFIG_TTL_MS = 30_000;

/**
 * With PostgreSQL credentials the members' WAL positions come from their PostgreSQL, and each
 * replica's own REST API (GET /patroni) is asked at least this often (the leader's, and any that
 * failed, at every read; the leader's not when it is the API that answered GET /cluster): whether
 * it answers, its version, pending restart.
 */
const REST_PROBE_MS = 10_000;

/** A member gone from /cluster whose PostgreSQL is not found running is forgotten after this long (a planned removal). */
const FORGET_AFTER_MS = 10 * 60 * 1000;

/**
 * A member's /patroni as its PostgreSQL tells it now: the WAL positions, replay pause and walsenders
 * from PostgreSQL, the rest (version, scope, pending restart) from its last GET /patroni.
 */
function fromPostgres(last: PatroniStatusJson, a: MemberAnswer): PatroniStatusJson {
  const xlog = a.writable ? { location: lsnBytes(a.currentLsn) } : { received_location: lsnBytes(a.receiveLsn), replayed_location: lsnBytes(a.replayLsn), paused: a.replayPaused };
  return { ...last, xlog, replication: a.replication };
}

export function patroniProvider(options: PatroniOptions): Provider {
  if (!options.urls.length) throw new Error('a Patroni provider needs at least one REST API URL');
  const urls = options.urls.map(withScheme);
  const fromUrl = urls.map(credentialsOf).find((c) => c.username !== undefined || c.password !== undefined) ?? {};
  const auth = { username: options.username ?? fromUrl.username, password: options.password ?? fromUrl.password };
  const via = options.via;
  const send = via?.send ?? httpCall;
  // The member's REST API as /cluster lists it, or its base through the relay.
  const baseOf = (name: string, apiUrl: string | undefined): string | undefined => (via ? via.base(name, apiUrl) : apiUrl ? restBase(apiUrl) : undefined);
  const secrets = [auth.password, options.postgres?.password, ...urls.map((u) => credentialsOf(u).password), ...(via?.secrets ?? [])];
  const given = [...new Set(urls.map(restBase))];
  const source = via?.label ?? given.join(',');
  // Every member ever seen, by name: where its API and its PostgreSQL were. The endpoint a person gave
  // may be the member that died, and a member whose agent was killed leaves /cluster after ttl.
  const seen = new Map<string, Seen>();
  // The split-brain check's connections to the members' PostgreSQL, kept between reads.
  const sessions = new PgSessions();
  const cached: { history?: unknown[]; timeline?: number; config?: PatroniConfigJson; configAt: number } = { configAt: 0 };
  let scope: string | undefined;
  let loadedScope: string | undefined;
  // Each member's last GET /patroni: when, and what it answered.
  const probes = new Map<string, { at: number; status: PatroniStatusJson | { error: string } }>();

  /**
   * Adds the members an earlier run remembered that this provider has not seen, when the memory is
   * of this very cluster (a member it lists is remembered at the same address: scopes repeat
   * across clusters); they join `missing`. Returns whether any was added.
   */
  const recall = (saved: Record<string, Seen>, members: Array<{ name: string; host?: string; port?: number }>, listed: Set<string>, missing: Array<{ name: string; address?: string }>): boolean => {
    const same = members.some((m) => saved[m.name]?.address !== undefined && saved[m.name].address === address(m.host, m.port));
    if (!same) return false;
    let added = false;
    for (const [name, s] of Object.entries(saved)) {
      if (listed.has(name) || seen.has(name) || !s.address) continue;
      if (s.missingSince !== undefined && Date.now() - s.missingSince > FORGET_AFTER_MS) continue;
      seen.set(name, { ...s });
      missing.push({ name, address: s.address });
      added = true;
    }
    return added;
  };

  const read = async (ro: ReadOptions): Promise<ClusterState[]> => {
    const now = ro.now ?? (() => new Date());
    const deadline = Date.now() + ro.timeoutMs;
    const left = () => Math.max(1, deadline - Date.now());
    const basic = via && !via.carriesBasicAuth ? {} : { username: auth.username, password: auth.password };
    const http = (ms: number) => ({ timeoutMs: ms, signal: ro.signal, ...basic, tls: options.tls });
    const candidates = [...new Set([...given, ...[...seen.values()].flatMap((s) => (s.base ? [s.base] : []))])];
    const failures: string[] = [];
    let cluster: PatroniClusterJson | undefined;
    let from: string | undefined;
    for (let i = 0; i < candidates.length && !cluster; i++) {
      if (deadline - Date.now() <= 0 || ro.signal?.aborted) break;
      // A hanging endpoint may not eat the whole deadline while others are left to try.
      const budget = i === candidates.length - 1 ? left() : Math.max(Math.min(left(), 300), Math.floor(left() / 2));
      try {
        const body = await getJson<unknown>(`${candidates[i]}/cluster`, http(budget), send);
        if (!isPatroniCluster(body)) throw new Error(`not a Patroni /cluster answer from ${new URL(candidates[i]).host}`);
        cluster = body;
        from = candidates[i];
      } catch (e) {
        failures.push((e as Error).message);
      }
    }
    if (!cluster || !from) {
      const why = failures.length ? failures.join('; ') : `no answer within ${ro.timeoutMs} ms`;
      return [unreachable('patroni', scope ?? source, source, mask(why, secrets), now())];
    }
    const listed = new Set(cluster.members.map((m) => m.name));
    const missing = [...seen].filter(([name]) => !listed.has(name)).map(([name, s]) => ({ name, address: s.address }));
    for (const m of cluster.members) seen.set(m.name, { address: address(m.host, m.port), base: baseOf(m.name, m.api_url) });
    // With credentials, every member's PostgreSQL first (a kept connection, one statement each): its
    // WAL position spares a GET /patroni on a fresh connection at every read, and the split-brain
    // check below reads the same answers.
    const remembered = [...seen].flatMap(([name, s]) => (s.address ? [{ name, address: s.address }] : []));
    const pg = options.postgres ? { credentials: options.postgres, signal: ro.signal, env: options.env, sessions } : undefined;
    const answers = pg ? await askMembers(remembered.map((r) => r.address), { ...pg, timeoutMs: Math.max(1, Math.floor(left() / 2)) }) : undefined;
    const statusBudget = left();
    const statusOf = async (name: string, base: string | undefined, answer: MemberAnswer | undefined): Promise<PatroniStatusJson | { error: string }> => {
      const probe = probes.get(name);
      // The leader's own API is asked at every read (its agent dying is the first sign of a failover,
      // or of a split brain), unless it is the one that has just answered GET /cluster.
      const isLeader = cluster?.members.some((m) => m.name === name && ['leader', 'master', 'primary', 'standby_leader'].includes(m.role ?? ''));
      const justAnswered = base !== undefined && base === from;
      if ((!isLeader || justAnswered) && answer?.writable !== undefined && probe && !('error' in probe.status) && Date.now() - probe.at < REST_PROBE_MS) return fromPostgres(probe.status, answer);
      if (!base) return { error: 'no api_url' };
      let status: PatroniStatusJson | { error: string };
      try {
        status = await getJson<PatroniStatusJson>(`${base}/patroni`, http(statusBudget), send);
      } catch (e) {
        status = { error: mask((e as Error).message, secrets) };
      }
      probes.set(name, { at: Date.now(), status });
      return status;
    };
    const optional = <T>(path: string) => getJson<T>(`${from}${path}`, http(statusBudget), send).catch(() => undefined);
    // The history changes only with the timeline, the dynamic configuration seldom: a refresh every
    // few seconds asks for them when the leader's timeline moved, and the configuration every 30 s.
    const timeline = Math.max(0, ...cluster.members.map((m) => (typeof m.timeline === 'number' ? m.timeline : 0)));
    const wantHistory = !cached.history || cached.timeline !== timeline;
    const wantConfig = !cached.config || Date.now() - cached.configAt > CONFIG_TTL_MS;
    const [statuses, freshHistory, freshConfig] = await Promise.all([
      Promise.all(cluster.members.map(async (m) => [m.name, await statusOf(m.name, baseOf(m.name, m.api_url), answers?.get(address(m.host, m.port) ?? ''))] as const)),
      wantHistory ? optional<unknown[]>('/history') : Promise.resolve(cached.history),
      wantConfig ? optional<PatroniConfigJson>('/config') : Promise.resolve(cached.config),
    ]);
    const [history, config] = [freshHistory, freshConfig];
    // Patroni writes the history a moment after the promotion: until it holds the timeline that
    // ended, it is asked again.
    const complete = (rows: unknown[] | undefined) => rows !== undefined && (timeline <= 1 || historyOf(rows).some((h) => h.timeline >= timeline - 1));
    if (wantHistory) Object.assign(cached, { history, timeline: complete(history) ? timeline : undefined });
    if (wantConfig) Object.assign(cached, { config, configAt: Date.now() });
    const [read, readFrom] = [cluster, from];
    const build = () =>
      patroniClusterState({
        source: readFrom,
        observedAt: now(),
        cluster: read,
        statuses: Object.fromEntries(statuses),
        history,
        config,
        missing,
        unreachableEndpoints: given.includes(readFrom) ? [] : failures.map((f) => mask(f, secrets)),
        maxLagBytes: options.maxLagBytes,
        fallbackName: scope ?? source,
      });
    let state = build();
    scope = state.name;
    if (options.memory && loadedScope !== scope) {
      loadedScope = scope;
      if (recall(options.memory.load(scope), cluster.members, listed, missing)) state = build();
    }
    if (pg) {
      const all = [...seen].flatMap(([name, s]) => (s.address ? [{ name, address: s.address }] : []));
      state = await checkSplitBrain(state, { ...pg, timeoutMs: left(), remembered: all, answers });
    }
    const stillRunning = new Set(state.members.map((m) => m.name));
    for (const gone of missing) {
      const s = seen.get(gone.name);
      if (!s) continue;
      s.missingSince = stillRunning.has(gone.name) ? undefined : (s.missingSince ?? Date.now());
      if (s.missingSince !== undefined && Date.now() - s.missingSince > FORGET_AFTER_MS) seen.delete(gone.name);
    }
    options.memory?.save(scope, Object.fromEntries(seen));
    return [state];
  };

  return {
    kind: 'patroni',
    source,
    read: neverRejects('patroni', 'Patroni', source, () => scope ?? source, secrets, read),
    close: async () => {
      await sessions.close();
      await via?.close?.();
    },
  };
}
