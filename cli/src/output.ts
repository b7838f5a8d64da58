// The one way the CLI writes: results to stdout, messages to stderr.

export interface Output {
  /** Results (reports, help, the version). */
  out(text: string): void;
  /** Messages about the run: usage errors, skipped files, internal errors. */
  err(text: string): void;
  /** Whether results go to a terminal (colours are then allowed). */
  readonly isTTY: boolean;
  /** True once the reader of stdout has gone away (`hatopo check . | head`): later results are dropped. */
  readonly closed: boolean;
}

/**
 * Writes to the process's streams. A reader that goes away early (EPIPE) is not an error of
 * ours: the rest of the output is dropped without a stack trace and the exit status stays the
 * one the command computed.
 */
export function processOutput(): Output {
  let closed = false;
  let errClosed = false;
  let listening = false;
  const listen = () => {
    if (listening) return;
    listening = true;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      closed = true;
      if (e.code !== 'EPIPE' && !errClosed) process.stderr.write(`hatopo: cannot write the output: ${e.message}\n`);
      if (e.code !== 'EPIPE') process.exitCode = 2;
    });
    process.stderr.on('error', () => {
      errClosed = true;
    });
  };
  return {
    out(text) {
      listen();
      if (!closed) process.stdout.write(text);
    },
    err(text) {
      listen();
      if (!errClosed) process.stderr.write(text);
    },
    get isTTY() {
      return process.stdout.isTTY === true;
    },
    get closed() {
      return closed;
    },
  };
}
