// Reading several providers at once, and again every interval until told to stop: what
// `hatopo status [--watch]` and `hatopo check --live` run.
import { unreachable } from './model';
import type { ClusterState } from './model';
import type { Provider, ReadOptions } from './provider';
import { mask } from './secrets';

/** How long past its own deadline a provider may take before its read is given up for it. */
const GRACE_MS = 1000;

/**
 * Reads every provider in parallel; the states come back in the providers' order. A provider
 * breaking its promise (rejecting, or answering long after the deadline) becomes an unreachable
 * state, its message masked with `secrets`, so one bad endpoint never stalls the others.
 */
export async function readAll(providers: readonly Provider[], options: ReadOptions, secrets: readonly string[] = []): Promise<ClusterState[]> {
  const now = options.now ?? (() => new Date());
  const results = await Promise.all(
    providers.map(async (p) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<ClusterState[]>((resolve) => {
        timer = setTimeout(() => resolve([unreachable(p.kind, p.source, p.source, `no answer within ${options.timeoutMs} ms`, now())]), options.timeoutMs + GRACE_MS);
      });
      try {
        return await Promise.race([p.read(options), late]);
      } catch (err) {
        return [unreachable(p.kind, p.source, p.source, mask(err instanceof Error ? err.message : String(err), secrets), now())];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return results.flat();
}

export interface WatchOptions extends ReadOptions {
  /** Time between the end of one read and the start of the next. */
  intervalMs: number;
  /** Stops the loop (SIGINT in the CLI); a read in flight is cancelled through ReadOptions.signal. */
  signal: AbortSignal;
  /** Stops after this many reads (tests); default: until the signal. */
  maxReads?: number;
  secrets?: readonly string[];
}

/** Waits `ms`, or less when the signal fires or `wake` is called; never rejects. */
function pause(ms: number, signal: AbortSignal, onWake: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    onWake(done);
  });
}

/**
 * Reads all providers, hands the states to `show`, waits, and again, until the signal fires (or
 * `maxReads`). Providers that can push changes (watch) cut the wait short. Returns the last states
 * read (empty when stopped before the first read completed).
 */
export async function watchLoop(providers: readonly Provider[], show: (states: ClusterState[]) => void, options: WatchOptions): Promise<ClusterState[]> {
  let last: ClusterState[] = [];
  let wake: (() => void) | undefined;
  let changed = false;
  const onChange = () => {
    changed = true;
    wake?.();
  };
  const unwatch = providers.map((p) => p.watch?.(onChange));
  try {
    for (let reads = 0; !options.signal.aborted && (options.maxReads === undefined || reads < options.maxReads); reads++) {
      changed = false;
      const states = await readAll(providers, options, options.secrets);
      // A read cut short by the stop is not shown: it would report the interruption as an error.
      if (options.signal.aborted && reads > 0) break;
      last = states;
      show(states);
      if (options.maxReads !== undefined && reads + 1 >= options.maxReads) break;
      if (!changed) await pause(options.intervalMs, options.signal, (w) => (wake = w));
      wake = undefined;
    }
  } finally {
    for (const stop of unwatch) stop?.();
  }
  return last;
}
