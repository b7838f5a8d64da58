// Plain PostgreSQL streaming replication (no Patroni): every server of the set read in parallel,
// one short session each, within the read's deadline.
import type { ClusterState } from '../model';
import type { Provider, ReadOptions } from '../provider';
import { neverRejects } from '../provider';
import { mask } from '../secrets';
import type { PgTarget } from './postgres-conninfo';
import { resolveTargets, targetAddress } from './postgres-conninfo';
import type { ServerObservation } from './postgres-observe';
import { observeServer } from './postgres-observe';
import { PgSessions, withPg } from './postgres-session';
import { DEFAULT_LAG_WARNING_BYTES, postgresState } from './postgres-state';

export interface PostgresOptions {
  /**
   * Connection strings, URIs (`postgresql://user@host:5432/db`) or `key=value` conninfo, one per
   * server; a multi-host string (`host=a,b port=5432,5433`) names several. What they leave out
   * comes from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGSSLMODE… and the password file, as in libpq.
   */
  connections: string[];
  /** The name shown for the set; else the primary's cluster_name, else its first server. */
  name?: string;
  /** A standby further behind than this is lagging (default 16 MiB). */
  lagWarningBytes?: number;
  /** The environment the PG* variables are read from (process.env unless given). */
  env?: NodeJS.ProcessEnv;
}

/** The connection strings' passwords and the PGPASSWORD in force: what must never be shown. */
function secretsOf(targets: PgTarget[], env: NodeJS.ProcessEnv): string[] {
  return [...targets.map((t) => t.password ?? ''), env.PGPASSWORD ?? ''].filter((s) => s);
}

export function postgresProvider(options: PostgresOptions): Provider {
  const env = options.env ?? process.env;
  let targets: PgTarget[] = [];
  let configError: string | undefined;
  try {
    targets = options.connections.flatMap((c) => resolveTargets(c, env));
    if (!targets.length) configError = 'no PostgreSQL server given';
  } catch (e) {
    // A parse error may quote a fragment of the string: mask whatever password the raw text holds.
    configError = `invalid connection string: ${(e as Error).message}`;
  }
  const source = targets.length ? targets.map(targetAddress).join(',') : 'postgres';
  const secrets = secretsOf(targets, env);
  // One connection per server, kept between reads.
  const sessions = new PgSessions();
  const read = async (ro: ReadOptions): Promise<ClusterState[]> => {
    const now = ro.now ?? (() => new Date());
    if (configError) {
      const error = mask(configError, [...secrets, ...options.connections.flatMap(rawPasswords)]);
      return [{ kind: 'postgres', name: options.name ?? source, source, observedAt: now().toISOString(), members: [], health: 'error', problems: [], error }];
    }
    const observations = await Promise.all(
      targets.map(async (t): Promise<ServerObservation> => {
        const base = { address: targetAddress(t), host: t.host, port: t.port };
        try {
          return await withPg(t, { timeoutMs: ro.timeoutMs, signal: ro.signal, sessions }, (q) => observeServer(q, base));
        } catch (e) {
          return { ...base, error: mask((e as Error).message, secrets), replication: [], slots: [] };
        }
      }),
    );
    return [postgresState(observations, { name: options.name, source, observedAt: now(), lagWarningBytes: options.lagWarningBytes ?? DEFAULT_LAG_WARNING_BYTES })];
  };
  return {
    kind: 'postgres',
    source,
    read: neverRejects('postgres', 'PostgreSQL', source, () => options.name ?? source, secrets, read),
    close: () => sessions.close(),
  };
}

/** Whatever follows `password=` or sits in a URI's userinfo, for masking a string that failed to parse. */
function rawPasswords(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g)) out.push(m[1].replace(/^'|'$/g, ''));
  const uri = /^postgres(?:ql)?:\/\/[^:@/]*:([^@/]*)@/.exec(text.trim());
  if (uri) out.push(uri[1]);
  try {
    out.push(...out.map(decodeURIComponent));
  } catch {
    /* not encoded */
  }
  return out;
}
