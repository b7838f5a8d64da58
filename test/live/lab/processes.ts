// Starting the lab's daemons as their own users, waiting for them with bounded loops, and stopping them by PID.
import { spawn } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Daemon {
  name: string;
  pid: number;
  /** Where its stdout and stderr go. */
  log: string;
  /** Set once the process has exited. */
  exited: boolean;
}

/** A user's uid and gid, from /etc/passwd (the Debian packages create postgres, redis, haproxy, etcd). */
export function userIds(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no user '${user}' on this machine (is its Debian package installed?)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** A fresh scratch folder under the system's temporary folder, readable by the lab's users. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hatopo-${prefix}-`));
  return dir;
}

/** Creates `dir` (and parents) owned by `user`, mode 0700 unless given. */
export function ownedDir(dir: string, user: string, mode = 0o700): string {
  mkdirSync(dir, { recursive: true, mode });
  const { uid, gid } = userIds(user);
  chownSync(dir, uid, gid);
  return dir;
}

/**
 * Starts `command` as `user` through setpriv, which execs (no fork): the PID recorded is the
 * daemon's own, so stopping by PID stops the daemon. Output goes to `log`.
 */
export function startAs(user: string | undefined, name: string, command: string, args: string[], log: string, env: NodeJS.ProcessEnv = process.env): Daemon {
  const fd = openSync(log, 'a');
  const argv = user ? ['setpriv', `--reuid=${user}`, `--regid=${user}`, '--init-groups', command, ...args] : [command, ...args];
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', fd, fd], detached: true, env });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const daemon: Daemon = { name, pid: child.pid, log, exited: false };
  child.on('exit', () => {
    daemon.exited = true;
  });
  child.unref();
  return daemon;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `probe` every `everyMs` until it returns a value other than undefined/false, or throws
 * after `timeoutMs` with `what` and the last error seen.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message ?? String(last)}` : ''}`);
    await sleep(everyMs);
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(500, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** The last lines of a daemon's log, for an error message. */
export function tail(log: string, lines = 20): string {
  if (!existsSync(log)) return '(no log)';
  return readFileSync(log, 'utf8').split('\n').slice(-lines).join('\n');
}

/** The postmaster PID in a PostgreSQL data folder, if it has one. */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Signals every PID at once (stopping members one by one makes survivors race), waits at most
 * `graceMs` for them to exit, then SIGKILLs what is left and waits again, bounded.
 */
export async function stopAll(pids: Iterable<number>, graceMs = 5000): Promise<void> {
  const list = [...new Set(pids)].filter((p) => p > 0 && alive(p));
  for (const p of list) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      /* gone already */
    }
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && list.some(alive)) await sleep(50);
  for (const p of list.filter(alive)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
  const hard = Date.now() + 2000;
  while (Date.now() < hard && list.some(alive)) await sleep(50);
}

/** Removes a scratch folder, ignoring what is already gone. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Whether the programs a lab needs are installed; the reason when not. */
export function missingPrograms(paths: string[]): string | undefined {
  const missing = paths.filter((p) => !existsSync(p));
  return missing.length ? `not installed: ${missing.join(', ')}` : undefined;
}
