// What a change to a live cluster is made of, for every system: a pre-flight computed from the
// state read just before (pure), the call to the system's own API, and polling until the new state
// is observed or a deadline passes. Every attempt, refused or not, leaves an audit record.
import type { ClusterState, SystemKind } from '../model';

/** The changes this project can make. */
export type ActionKind =
  | 'switchover'
  | 'failover'
  | 'pause'
  | 'resume'
  | 'restart'
  | 'reinit'
  | 'cancel-switchover'
  | 'sentinel-failover'
  | 'sentinel-reset'
  | 'drain'
  | 'maint'
  | 'ready'
  | 'weight'
  | 'promote'
  | 'fence'
  | 'unfence';

/** One candidate (a member that could become the primary, a server to drain…) and why it is or is not safe. */
export interface CandidateVerdict {
  member: string;
  safe: boolean;
  /** Why it is refused, in the words a DBA would use; empty when safe. */
  reasons: string[];
  /** Facts worth seeing either way: lag, sync state, tags, sessions that will move. */
  notes: string[];
}

/** Everything known before anything is changed. */
export interface Preflight {
  action: ActionKind;
  kind: SystemKind;
  cluster: string;
  /** The current primary / leader / master, when there is one. */
  primary?: string;
  /** The member the action is aimed at (the chosen candidate, the server to drain), once chosen. */
  target?: string;
  /** Whether the action may go ahead: no blocker, and the target (when one is needed) safe. */
  ok: boolean;
  /** Reasons about the cluster as a whole that refuse the action (no leader, paused, quorum lost). */
  blockers: string[];
  /** Worth knowing, not refusing (a candidate lags a little, sessions will move). */
  warnings: string[];
  /** Every candidate with its verdict, the target among them. */
  candidates: CandidateVerdict[];
  /**
   * Where the system itself has a forced variant (Patroni failover of a leaderless cluster): what
   * forcing would do. Forcing requires typing the cluster's name.
   */
  force?: string;
}

/** How an action ended. `refused`: by the pre-flight, nothing was changed. */
export type Outcome = 'done' | 'refused' | 'failed' | 'timeout' | 'cancelled' | 'dry-run';

export interface ActionResult {
  outcome: Outcome;
  /** What happened, in one or two sentences (the system's own answer included). */
  message: string;
  preflight: Preflight;
  /** The state read before anything was done. */
  before?: ClusterState;
  /** The state observed at the end (for `done`: the state that proved it). */
  after?: ClusterState;
  durationMs: number;
}

/** One line of `.hatopo/audit.jsonl`: who did what, to which cluster, with what result. Never a secret. */
export interface AuditRecord {
  at: string;
  /** The OS user, and the VS Code / git identity where known. */
  user?: string;
  action: ActionKind;
  kind: SystemKind;
  cluster: string;
  /** The endpoint, credentials removed. */
  source: string;
  primary?: string;
  target?: string;
  /** Extra arguments (scheduled time, weight), never credentials. */
  options?: Record<string, string | number | boolean>;
  preflight: { ok: boolean; blockers: string[]; warnings: string[]; target?: CandidateVerdict };
  outcome: Outcome;
  message: string;
  durationMs: number;
  /** Where the action was started: `cli`, `vscode`. */
  via: string;
}

export interface AuditSink {
  write(record: AuditRecord): Promise<void>;
}

/** Time for the runner; tests pass a fake one. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** Progress for a person waiting: what is being done or waited for now. */
export type ProgressReport = (message: string) => void;
