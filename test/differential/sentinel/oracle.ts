import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';
export const REDIS_SENTINEL = process.env.REDIS_SENTINEL_BIN ?? 'redis-sentinel';

export type Verdict =
  | { kind: 'accepted' }
  | { kind: 'refused'; line: number; quoted: string; message: string }
  /** Exited without a config-file error (port in use, unwritable file...) or never got ready. */
  | { kind: 'other'; detail: string };

const READY = /Ready to accept connections|Sentinel ID is/;
const START_LIMIT_MS = 5000;

const PORT_ATTEMPTS = 3;

export function binariesPresent(): boolean {
  return [REDIS_SERVER, REDIS_SENTINEL].every((bin) => {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 5000 });
    return !r.error && r.status === 0;
  });
}

/** A loopback port free right now: the system picks it for a listener that is closed at once. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Runs the real program on `text` on a free loopback port; when another process takes the port
 * between the pick and the start, again on a new one.
 */
export async function runOracle(kind: 'sentinel' | 'redis', text: string): Promise<Verdict> {
  let verdict: Verdict = { kind: 'other', detail: 'not run' };
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    verdict = await runOnce(kind, text, await freePort());
    if (verdict.kind !== 'other' || !/Address already in use/.test(verdict.detail)) break;
  }
  return verdict;
}

/**
 * Starts the real program on a scratch copy of `text` (Sentinel rewrites its file), with loopback
 * overrides appended after the file, so the file's own line numbers are unchanged. Killed by PID.
 */
function runOnce(kind: 'sentinel' | 'redis', text: string, port: number): Promise<Verdict> {
  const dir = mkdtempSync(join(tmpdir(), 'hatopo-redis-'));
  const file = join(dir, kind === 'sentinel' ? 'sentinel.conf' : 'redis.conf');
  writeFileSync(file, text);
  const args = [file, '--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'no', '--dir', dir, '--logfile', '', '--pidfile', '', '--save', '', '--appendonly', 'no'];
  const child = spawn(kind === 'sentinel' ? REDIS_SENTINEL : REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise<Verdict>((resolve) => {
    let verdict: Verdict | undefined;
    const finish = (v: Verdict): void => {
      verdict ??= v;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        return; // the 'close' handler resolves
      }
      done();
    };
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      resolve(verdict ?? { kind: 'other', detail: 'no verdict' });
    };
    const timer = setTimeout(() => finish({ kind: 'other', detail: `not ready within ${START_LIMIT_MS} ms` }), START_LIMIT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (READY.test(out)) finish({ kind: 'accepted' });
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', (e) => {
      verdict ??= { kind: 'other', detail: `cannot start: ${e.message}` };
      done();
    });
    child.on('close', () => {
      if (!verdict) verdict = parseRefusal(err + out);
      done();
    });
  });
}

function parseRefusal(output: string): Verdict {
  const m = /FATAL CONFIG FILE ERROR[^\n]*\n(?:Reading the configuration file, at line (\d+)\n>>> '([^\n]*)'\n)?([^\n]*)/.exec(output);
  if (!m) return { kind: 'other', detail: /Address already in use/.test(output) ? 'Address already in use' : output.trim().split('\n').slice(-2).join(' | ') };
  if (!m[1]) return { kind: 'other', detail: `config error without a line: ${m[3]}` };
  return { kind: 'refused', line: Number(m[1]), quoted: m[2], message: m[3] };
}
