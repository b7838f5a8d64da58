// `hatopo status`: reads live clusters (Patroni, Sentinel, HAProxy, PostgreSQL, Kubernetes) and prints
// their state once, or again every interval with --watch.
import { formatStates } from '../../../live/src/format';
import type { ClusterState } from '../../../live/src/model';
import { readAll, watchLoop } from '../../../live/src/watch-loop';
import { ENDPOINT_ENVIRONMENT, ENDPOINT_OPTIONS, connect, endpointSpecs, timeoutOf } from '../endpoint-options';
import type { Output } from '../output';
import type { CommandSpec } from '../usage';
import { UsageError, parseCommand } from '../usage';
import type { Command } from './command';

const spec = {
  name: 'status',
  summary: 'show the live state of clusters: members, roles, lag, problems',
  synopsis: '[options] --patroni URL|--sentinel URL|...',
  description:
    'Reads each cluster named by --patroni, --sentinel, --haproxy, --postgres or --kube-context\n' +
    '(several at once, of any kinds) through its own API and prints one\n' +
    'table per cluster: members, role (Patroni 3 "master" and 4 "primary" are both primary), state,\n' +
    'timeline, lag, sync state and health, then the problems found (split brain, no primary, a\n' +
    'member down, lag, quorum...). With --format json it prints the states as documented in\n' +
    'docs/cluster-state.md.',
  options: {
    ...ENDPOINT_OPTIONS,
    format: { type: 'string', placeholder: 'text|json', description: 'output format (default: text)' },
    watch: { type: 'boolean', short: 'w', description: 'read again every interval until interrupted (Ctrl-C);\non a terminal the table is redrawn in place' },
    interval: { type: 'string', placeholder: 'SECONDS', description: 'with --watch: time between reads (default 2)' },
    'no-color': { type: 'boolean', description: 'plain text output (also when NO_COLOR is set)' },
  },
  positionals: false,
  epilog:
    'Exit status: 0 every cluster healthy; 1 a cluster degraded (a problem, or a member not ok)\n' +
    'or split brain; 2 bad usage, or a cluster that could not be read. With --watch, the status\n' +
    'of the last read before the interruption.\n\n' +
    `${ENDPOINT_ENVIRONMENT}\n\n` +
    'Examples:\n' +
    '  hatopo status --patroni http://10.0.0.1:8008\n' +
    '  PATRONI_RESTAPI_PASSWORD=... hatopo status --patroni http://admin@pg1:8008,http://admin@pg2:8008\n' +
    '  REDISCLI_AUTH=... hatopo status --sentinel redis://10.0.0.5:26379 --master mymaster\n' +
    '  hatopo status --haproxy /run/haproxy/admin.sock --patroni http://pg1:8008 --watch\n' +
    "  hatopo status --postgres 'host=db1 port=5432,host=db2 port=5432' --format json\n" +
    '  hatopo status --kube-context prod --namespace databases',
} as const satisfies CommandSpec;

/** 2: a cluster could not be read; 1: a cluster has a problem or a member that is not ok; else 0. */
export function exitStatusOf(states: readonly ClusterState[]): number {
  if (states.some((s) => s.error !== undefined)) return 2;
  if (states.some((s) => s.problems.length > 0 || s.members.some((m) => m.health !== 'ok'))) return 1;
  return 0;
}

const CLEAR = '\x1b[H\x1b[2J';

async function run(args: string[], rawIo: Output): Promise<number> {
  const { values } = parseCommand(spec, args);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`, 'status');
  if (values.interval !== undefined && !values.watch) throw new UsageError('--interval goes with --watch', 'status');
  const interval = values.interval === undefined ? 2 : Number(values.interval);
  if (!Number.isFinite(interval) || interval < 0.1 || interval > 3600) throw new UsageError(`--interval takes seconds from 0.1 to 3600, not '${values.interval}'`, 'status');
  const timeoutMs = timeoutOf(values, 'status');
  const specs = endpointSpecs(values, 'status');
  const { providers, secrets, io, close } = await connect(specs, rawIo);
  const color = values['no-color'] !== true && io.isTTY && !process.env.NO_COLOR;
  const render = (states: ClusterState[], oneLine: boolean) =>
    format === 'json' ? `${oneLine ? JSON.stringify(states) : JSON.stringify(states, null, 2)}\n` : formatStates(states, { color });
  if (!values.watch) {
    try {
      const states = await readAll(providers, { timeoutMs }, secrets);
      io.out(render(states, false));
      return exitStatusOf(states);
    } finally {
      await close();
    }
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const last = await watchLoop(
      providers,
      (states) => {
        // A terminal gets the table redrawn in place; a pipe or file gets every read appended (JSON: one line each).
        if (io.isTTY) io.out(CLEAR + render(states, false));
        else io.out(render(states, true) + (format === 'text' ? '\n' : ''));
        // Nobody reads any more (`hatopo status --watch | head`): reading on would be for nothing.
        if (io.closed) stop.abort();
      },
      { timeoutMs, intervalMs: interval * 1000, signal: stop.signal, secrets },
    );
    return last.length ? exitStatusOf(last) : 2;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await close();
  }
}

export const status: Command = { spec, run };
