import type { Logger } from '../types';

export function describeError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** The first line of an error's message, for a diagnostic. */
export function errorSummary(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.split('\n')[0];
}

/**
 * Runs `fn`; a throw is logged, noted in `failures` (when given, for a diagnostic) and becomes
 * `fallback`: one failing step never takes the engine down.
 */
export function guarded<T>(logger: Logger, what: string, uri: string, fallback: T, fn: () => T, failures?: string[]): T {
  try {
    return fn();
  } catch (err) {
    logger.error(`hatopo: ${what} failed on ${uri}: ${describeError(err)}`);
    failures?.push(`${what} failed (${errorSummary(err)})`);
    return fallback;
  }
}
