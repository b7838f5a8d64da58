// What every live provider offers: read the system's state now, within a deadline, never throwing.
import type { ClusterState, SystemKind } from './model';
import { unreachable } from './model';
import { mask } from './secrets';

export interface ReadOptions {
  /** Every network call of one read ends by then; the read then reports the timeout as its error. */
  timeoutMs: number;
  /** Cancels the read (the view was hidden, the CLI was interrupted). */
  signal?: AbortSignal;
  /** The clock the states' observedAt comes from (tests pass a fixed one). */
  now?: () => Date;
}

export interface Provider {
  readonly kind: SystemKind;
  /** The endpoint it reads, credentials removed: what the tree and the CLI show as the source. */
  readonly source: string;
  /**
   * The states of the clusters behind the endpoint: one for Patroni, HAProxy and a PostgreSQL
   * set, one per monitored master for Sentinel, one per cluster resource for Kubernetes. Never
   * rejects: a failure is a state with `error` set (and the endpoint as its name).
   */
  read(options: ReadOptions): Promise<ClusterState[]>;
  /**
   * Where the system can push changes (a Kubernetes watch), calls `changed` when it does; the
   * caller then reads again. Returns the function that stops watching.
   */
  watch?(changed: () => void): () => void;
  /** Closes connections the provider keeps between reads. */
  close?(): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 3000;

/**
 * `read` made to keep the Provider's promise: whatever it throws becomes the endpoint's state with
 * the reason, masked, under the name it goes by now (`what` says what was being read).
 */
export function neverRejects(kind: SystemKind, what: string, source: string, name: () => string, secrets: Iterable<string | undefined>, read: (options: ReadOptions) => Promise<ClusterState[]>): (options: ReadOptions) => Promise<ClusterState[]> {
  return async (options) => {
    try {
      return await read(options);
    } catch (e) {
      const now = options.now ?? (() => new Date());
      return [unreachable(kind, name(), source, mask(`reading ${what} failed: ${(e as Error).message}`, secrets), now())];
    }
  };
}
