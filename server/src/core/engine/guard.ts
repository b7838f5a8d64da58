import type { Logger } from '../types';

export function describeError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** Runs `fn`; a throw is logged and becomes `fallback`: one failing step never takes the engine down. */
export function guarded<T>(logger: Logger, what: string, uri: string, fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    logger.error(`hatopo: ${what} failed on ${uri}: ${describeError(err)}`);
    return fallback;
  }
}
