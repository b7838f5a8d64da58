// Keeps the states of connected clusters fresh: one read per cluster every interval, never two at
// once, slower and slower while an endpoint fails, nothing at all while paused (the view is hidden).
import type { ClusterState } from './model';
import { unreachable } from './model';
import type { Provider } from './provider';
import { DEFAULT_TIMEOUT_MS } from './provider';

/** The time source and timers, so tests can run the schedule on a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    // A pending refresh must not keep a CLI or a test process alive.
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface RefreshStatus {
  /** What the last read returned; empty before the first one ends. */
  states: ClusterState[];
  /** Failed reads in a row (0 after a read that worked). */
  failures: number;
  /** When the last read ended (clock milliseconds). */
  readAt?: number;
  /** When the next read is due (clock milliseconds); undefined while a read runs. */
  nextReadAt?: number;
  reading: boolean;
}

export interface RefresherOptions {
  /** Between two reads of a cluster that answers; default 2 s. */
  intervalMs?: number;
  /** The longest wait after failures (the wait doubles from `intervalMs`); default 60 s. */
  maxBackoffMs?: number;
  /** Between two reads of a provider that pushes its changes (watch); default 30 s. */
  watchedIntervalMs?: number;
  /** Deadline of each read; default DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number;
  clock?: Clock;
  /** After every read, with the cluster's new status. */
  onUpdate(id: string, status: RefreshStatus): void;
}

/** A read failed when nothing could be read: no state, or every state is an error. */
export function readFailed(states: readonly ClusterState[]): boolean {
  return states.length === 0 || states.every((s) => s.error !== undefined);
}

/** The wait before the next read after `failures` failed reads in a row: interval, ×2 each time, capped. */
export function backoffMs(failures: number, intervalMs: number, maxMs: number): number {
  if (failures <= 0) return intervalMs;
  return Math.min(maxMs, intervalMs * 2 ** Math.min(failures - 1, 30));
}

interface Entry {
  readonly provider: Provider;
  readonly status: RefreshStatus;
  timer?: unknown;
  /** A refresh was asked for while a read ran: read again as soon as it ends. */
  again: boolean;
  unwatch?: () => void;
  controller?: AbortController;
}

export class Refresher {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private intervalMs: number;
  private paused = false;

  constructor(private readonly options: RefresherOptions) {
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.intervalMs ?? 2000;
  }

  /** Starts refreshing `provider` under `id` (replacing what was there): a first read now, unless paused. */
  add(id: string, provider: Provider): void {
    this.remove(id);
    const entry: Entry = { provider, status: { states: [], failures: 0, reading: false, nextReadAt: this.clock.now() }, again: false };
    this.entries.set(id, entry);
    if (this.paused) return;
    this.startWatching(id, entry);
    void this.read(id, entry);
  }

  /** Stops refreshing `id` and closes its provider. */
  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.stopTimer(entry);
    this.stopWatching(entry);
    entry.controller?.abort();
    entry.provider.close?.().catch(() => undefined);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  status(id: string): RefreshStatus | undefined {
    return this.entries.get(id)?.status;
  }

  /** Whole seconds until the next read of a failing cluster ("retrying in 4 s"); undefined when it is not failing or a read runs. */
  retryInSeconds(id: string): number | undefined {
    const s = this.entries.get(id)?.status;
    if (!s || s.failures === 0 || s.reading || s.nextReadAt === undefined) return undefined;
    return Math.max(0, Math.ceil((s.nextReadAt - this.clock.now()) / 1000));
  }

  /** Reads now (all clusters without `id`), even while paused: someone asked for it. A read already running is followed by another. */
  refresh(id?: string): void {
    for (const [key, entry] of this.entries) {
      if (id !== undefined && key !== id) continue;
      if (entry.status.reading) entry.again = true;
      else {
        this.stopTimer(entry);
        void this.read(key, entry);
      }
    }
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** No reads and no watches until resume(); a read already running ends normally. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    for (const entry of this.entries.values()) {
      this.stopTimer(entry);
      this.stopWatching(entry);
    }
  }

  /** Reads what became due while paused at once, the rest when due. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const [id, entry] of this.entries) {
      this.startWatching(id, entry);
      if (entry.status.reading) continue;
      const due = entry.status.nextReadAt ?? this.clock.now();
      this.schedule(id, entry, Math.max(0, due - this.clock.now()));
    }
  }

  setIntervalMs(ms: number): void {
    if (!(ms > 0) || ms === this.intervalMs) return;
    this.intervalMs = ms;
    for (const [id, entry] of this.entries) {
      if (entry.status.reading || entry.status.readAt === undefined) continue;
      const due = entry.status.readAt + this.delayAfterRead(entry);
      this.schedule(id, entry, Math.max(0, due - this.clock.now()));
    }
  }

  dispose(): void {
    for (const id of [...this.entries.keys()]) this.remove(id);
  }

  private delayAfterRead(entry: Entry): number {
    const { failures } = entry.status;
    if (failures > 0) return backoffMs(failures, this.intervalMs, this.options.maxBackoffMs ?? 60_000);
    return entry.provider.watch ? Math.max(this.intervalMs, this.options.watchedIntervalMs ?? 30_000) : this.intervalMs;
  }

  /** The next read in `delay` ms; at once when already due. Paused, only the due time is kept. */
  private schedule(id: string, entry: Entry, delay: number): void {
    this.stopTimer(entry);
    entry.status.nextReadAt = this.clock.now() + delay;
    if (this.paused) return;
    if (delay <= 0) {
      void this.read(id, entry);
      return;
    }
    entry.timer = this.clock.setTimeout(() => {
      entry.timer = undefined;
      if (this.entries.get(id) === entry) void this.read(id, entry);
    }, delay);
  }

  private async read(id: string, entry: Entry): Promise<void> {
    const { status, provider } = entry;
    status.reading = true;
    status.nextReadAt = undefined;
    const controller = new AbortController();
    entry.controller = controller;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const now = () => new Date(this.clock.now());
    const states = await this.readWithinDeadline(provider, { timeoutMs, signal: controller.signal, now }, controller);
    entry.controller = undefined;
    if (this.entries.get(id) !== entry) return;
    status.reading = false;
    status.states = states;
    status.readAt = this.clock.now();
    status.failures = readFailed(states) ? status.failures + 1 : 0;
    const again = entry.again;
    entry.again = false;
    status.nextReadAt = this.clock.now() + (again ? 0 : this.delayAfterRead(entry));
    try {
      this.options.onUpdate(id, status);
    } finally {
      if (this.entries.get(id) === entry) this.schedule(id, entry, status.nextReadAt - this.clock.now());
    }
  }

  /** The provider's read, or an error state when it breaks its promise to end by the deadline (or rejects). */
  private readWithinDeadline(provider: Provider, options: { timeoutMs: number; signal: AbortSignal; now: () => Date }, controller: AbortController): Promise<ClusterState[]> {
    const failure = (message: string) => [unreachable(provider.kind, provider.source, provider.source, message, options.now())];
    return new Promise<ClusterState[]>((resolve) => {
      // Twice the deadline and a second: the provider's own timeout should always come first.
      const guard = this.clock.setTimeout(() => {
        controller.abort();
        resolve(failure(`no answer within ${Math.round((options.timeoutMs * 2 + 1000) / 1000)} s from ${provider.source}`));
      }, options.timeoutMs * 2 + 1000);
      provider.read(options).then(
        (states) => {
          this.clock.clearTimeout(guard);
          resolve(states);
        },
        (err: unknown) => {
          this.clock.clearTimeout(guard);
          resolve(failure(err instanceof Error ? err.message : String(err)));
        },
      );
    });
  }

  private startWatching(id: string, entry: Entry): void {
    if (!entry.provider.watch || entry.unwatch) return;
    try {
      entry.unwatch = entry.provider.watch(() => {
        if (!this.paused && this.entries.get(id) === entry) this.refresh(id);
      });
    } catch {
      // Polling goes on without the watch.
      entry.unwatch = undefined;
    }
  }

  private stopWatching(entry: Entry): void {
    const unwatch = entry.unwatch;
    entry.unwatch = undefined;
    try {
      unwatch?.();
    } catch {
      // Already stopped.
    }
  }

  private stopTimer(entry: Entry): void {
    if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
    entry.timer = undefined;
  }
}
