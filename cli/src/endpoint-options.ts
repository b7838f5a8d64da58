// The options that name live clusters, shared by `hatopo status` and `hatopo check --live`, and the
// help paragraph on where credentials come from.
import { EndpointError, parseEndpoints, providerFor, secretsOf } from '../../live/src/connect';
import { defaultStateDir, fileMemory } from '../../live/src/member-memory';
import type { EndpointSpec } from '../../live/src/connect';
import type { Provider } from '../../live/src/provider';
import { mask } from '../../live/src/secrets';
import type { Output } from './output';
import type { OptionValues } from './usage';
import { UsageError } from './usage';

export const ENDPOINT_OPTIONS = {
  patroni: {
    type: 'string',
    multiple: true,
    placeholder: 'URL[,URL...]',
    description: "a Patroni cluster's REST API, http(s)://[user:pass@]HOST:8008;\nseveral URLs of one cluster's members are tried in order",
  },
  sentinel: {
    type: 'string',
    multiple: true,
    placeholder: 'URL[,URL...]',
    description: 'Redis Sentinels, redis://[user:pass@]HOST:26379 (rediss:// for TLS)',
  },
  master: { type: 'string', placeholder: 'NAME', description: 'only this master of the Sentinels (default: every one)' },
  haproxy: { type: 'string', multiple: true, placeholder: 'SOCKET|URL', description: 'an HAProxy stats socket (path or tcp://HOST:PORT) or\nits stats page, http(s)://[user:pass@]HOST:PORT/PATH' },
  postgres: {
    type: 'string',
    multiple: true,
    placeholder: 'CONN[,CONN...]',
    description: 'the servers of one PostgreSQL replication set (no Patroni):\npostgresql:// URIs or "host=... port=..." connection strings',
  },
  'kube-context': { type: 'string', placeholder: 'NAME', description: 'the operator clusters of a kubeconfig context' },
  namespace: { type: 'string', placeholder: 'NS', description: 'with --kube-context: only this namespace' },
  cacert: { type: 'string', placeholder: 'FILE', description: 'CA certificate (PEM) for https:// and rediss:// endpoints' },
  cert: { type: 'string', placeholder: 'FILE', description: 'client certificate (PEM), with --key' },
  key: { type: 'string', placeholder: 'FILE', description: "the client certificate's key (PEM)" },
  insecure: { type: 'boolean', description: "accept any server certificate (a lab's self-signed one)" },
  timeout: { type: 'string', placeholder: 'MS', description: 'deadline of each read of a cluster (default 3000)' },
} as const;

export const ENDPOINT_ENVIRONMENT =
  'Credentials never go in options of their own: a URL carries them (http://user:pass@host:8008,\n' +
  'redis://:pass@host:26379), or the environment, as the systems\' own tools read it:\n' +
  '  PATRONI_RESTAPI_USERNAME, PATRONI_RESTAPI_PASSWORD   Patroni REST API (as patronictl)\n' +
  '  REDISCLI_AUTH                                        the Sentinels (as redis-cli)\n' +
  '  HATOPO_REDIS_USERNAME, HATOPO_REDIS_PASSWORD         the Redis data nodes behind them\n' +
  '  HATOPO_HAPROXY_USERNAME, HATOPO_HAPROXY_PASSWORD     the HAProxy stats page\n' +
  '  PGUSER, PGPASSWORD, PGSSLMODE, PGPASSFILE, ~/.pgpass PostgreSQL (as psql); with --patroni,\n' +
  '                                                       each member is then asked whether it\n' +
  '                                                       accepts writes (split brain)\n' +
  '  KUBECONFIG                                           kubeconfig files (as kubectl)\n' +
  'They are never printed: addresses are shown without them and messages are masked.\n\n' +
  "The names and addresses of a Patroni cluster's members (no credentials) are kept in\n" +
  '$HATOPO_STATE_DIR (default $XDG_STATE_HOME/hatopo or ~/.local/state/hatopo; \'off\' keeps\n' +
  'nothing): a member whose agent died leaves the cluster\'s list while its PostgreSQL may still\n' +
  'take writes, and a later run still asks it.';

export type EndpointValues = OptionValues<typeof ENDPOINT_OPTIONS>;

export const MAX_TIMEOUT_MS = 600_000;

/** --timeout, checked: a whole number of milliseconds. */
export function timeoutOf(values: EndpointValues, command: string): number {
  if (values.timeout === undefined) return 3000;
  const ms = Number(values.timeout);
  if (!/^\d+$/.test(values.timeout) || ms < 1 || ms > MAX_TIMEOUT_MS) throw new UsageError(`--timeout takes milliseconds from 1 to ${MAX_TIMEOUT_MS}, not '${values.timeout}'`, command);
  return ms;
}

/** Whether any option naming a cluster was given. */
export function hasEndpoints(values: EndpointValues): boolean {
  return Boolean(values.patroni?.length || values.sentinel?.length || values.haproxy?.length || values.postgres?.length || values['kube-context'] !== undefined);
}

/** The endpoint specs the options name; every mistake is a UsageError of `command`. */
export function endpointSpecs(values: EndpointValues, command: string): EndpointSpec[] {
  try {
    return parseEndpoints({
      patroni: values.patroni,
      sentinel: values.sentinel,
      master: values.master,
      haproxy: values.haproxy,
      postgres: values.postgres,
      kubeContext: values['kube-context'],
      namespace: values.namespace,
      cacert: values.cacert,
      cert: values.cert,
      key: values.key,
      insecure: values.insecure,
    });
  } catch (err) {
    if (err instanceof EndpointError) throw new UsageError(err.message, command);
    throw err;
  }
}

export interface Connected {
  providers: Provider[];
  secrets: string[];
  /** The command's output with every secret masked: what it writes goes through here. */
  io: Output;
  close(): Promise<void>;
}

/** `io` with every secret masked in what goes through it. */
export function maskedOutput(io: Output, secrets: readonly string[]): Output {
  return {
    out: (text) => io.out(mask(text, secrets)),
    err: (text) => io.err(mask(text, secrets)),
    get isTTY() {
      return io.isTTY;
    },
    get closed() {
      return io.closed;
    },
  };
}

/** Providers for the specs, and an output that masks their secrets. */
export async function connect(specs: readonly EndpointSpec[], io: Output): Promise<Connected> {
  const secrets = secretsOf(specs);
  // Where Patroni members were is kept between runs: a member whose agent died leaves the cluster's
  // list while its PostgreSQL may still take writes, and the next run must still ask it.
  const dir = defaultStateDir();
  const memory = dir ? fileMemory(dir) : undefined;
  const providers = await Promise.all(specs.map((s) => providerFor(s, process.env, memory)));
  const masked = maskedOutput(io, secrets);
  const close = async () => {
    // A provider that does not close in time must not keep the command from ending.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((r) => (timer = setTimeout(r, 2000)));
    await Promise.race([Promise.allSettled(providers.map((p) => p.close?.())), late]);
    clearTimeout(timer);
  };
  return { providers, secrets, io: masked, close };
}
