/** Patroni's leader-lock timing (bootstrap.dcs, or what an operator hands to Patroni). */
export interface PatroniTiming {
  ttl: number;
  loop_wait: number;
  retry_timeout: number;
}

export const PATRONI_DEFAULTS: PatroniTiming = { ttl: 30, loop_wait: 10, retry_timeout: 10 };
export const PATRONI_MINIMUMS: PatroniTiming = { ttl: 20, loop_wait: 1, retry_timeout: 3 };

export interface TimingVerdict {
  /** What Patroni runs with after its own adjustments. */
  effective: PatroniTiming;
  /** Each value Patroni changes, as `name written → run with`. */
  changes: string[];
  /** The written values break `loop_wait + 2 × retry_timeout <= ttl` (after raising them to the minimums). */
  ruleBroken: boolean;
}

const KEYS = ['ttl', 'loop_wait', 'retry_timeout'] as const;

/**
 * The values Patroni runs with: each raised to its minimum, then loop_wait lowered (or, when even
 * a one-second loop is too long, loop_wait set to 1 and retry_timeout lowered) until
 * `loop_wait + 2 × retry_timeout <= ttl` holds. Same rule as the patroni/timing check.
 */
export function patroniTiming(written: Partial<PatroniTiming>): TimingVerdict {
  const asked: PatroniTiming = { ...PATRONI_DEFAULTS, ...written };
  const run: PatroniTiming = { ...asked };
  for (const k of KEYS) run[k] = Math.max(run[k], PATRONI_MINIMUMS[k]);
  const ruleBroken = run.loop_wait + 2 * run.retry_timeout > run.ttl;
  if (PATRONI_MINIMUMS.loop_wait + 2 * run.retry_timeout > run.ttl) {
    run.loop_wait = PATRONI_MINIMUMS.loop_wait;
    run.retry_timeout = Math.floor((run.ttl - PATRONI_MINIMUMS.loop_wait) / 2);
  } else if (ruleBroken) {
    run.loop_wait = run.ttl - 2 * run.retry_timeout;
  }
  const changes = KEYS.filter((k) => run[k] !== asked[k]).map((k) => `${k} ${asked[k]} → ${run[k]}`);
  return { effective: run, changes, ruleBroken };
}
