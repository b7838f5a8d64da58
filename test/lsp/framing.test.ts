// The server over a broken transport: bad framing, stdin closed, the IPC channel gone. It must exit
// (so that the editor starts a new one) rather than stay alive answering nothing.
import assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { REPO } from '../helpers/lsp-client';

const CLI = resolve(REPO, 'dist', 'hatopo.js');
const SERVER = resolve(REPO, 'dist', 'server.js');
const EXIT_WAIT_MS = 15_000;

function frame(message: unknown): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } };

/** A server on real pipes, its output collected; `exited` resolves with its exit code, or 'hung' after EXIT_WAIT_MS (then it is killed). */
function start(args: string[]) {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    /** Waits until the server has answered the request `id`. */
    async answered(id: number): Promise<void> {
      const deadline = Date.now() + EXIT_WAIT_MS;
      while (!stdout.includes(`"id":${id}`)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no answer to request ${id}; stderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    exited: exitOf(child),
  };
}

function exitOf(child: ChildProcess): Promise<number | string> {
  return new Promise((done) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done('hung');
    }, EXIT_WAIT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      done(code ?? String(signal));
    });
  });
}

const BROKEN: Array<[string, string]> = [
  ['a Content-Length that is not a number', 'Content-Length: abc\r\n\r\n{}'],
  ['no Content-Length header', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}'],
  ['a Content-Length of 100 GB', 'Content-Length: 99999999999\r\n\r\n{}'],
  ['a header line without a colon', 'hello\r\n\r\n'],
  ['70 KiB with no end of header', 'x'.repeat(70 * 1024)],
];

for (const [name, args] of [
  ['hatopo lsp --stdio', [CLI, 'lsp', '--stdio']],
  ['dist/server.js --stdio', [SERVER, '--stdio']],
] as const) {
  describe(`${name}: broken framing ends the process with status 2`, () => {
    for (const [what, bytes] of BROKEN) {
      test(what, async () => {
        const server = start([...args]);
        server.child.stdin.write(frame(INITIALIZE));
        await server.answered(1);
        server.child.stdin.write(bytes);
        // What follows is never read: the framing is lost.
        server.child.stdin.write(frame({ ...INITIALIZE, id: 2 }));
        assert.equal(await server.exited, 2, server.stderr());
        assert.match(server.stderr(), /cannot read the editor's messages any more/);
        assert.match(server.stdout(), /"method":"window\/logMessage".*cannot read the editor's messages any more/);
      });
    }

    test('a body that is not JSON, framed right: the server reads on and answers', async () => {
      const server = start([...args]);
      server.child.stdin.write('Content-Length: 5\r\n\r\n{abc}');
      server.child.stdin.write(frame(INITIALIZE));
      await server.answered(1);
      server.child.stdin.write(frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
      await server.answered(2);
      server.child.stdin.write(frame({ jsonrpc: '2.0', method: 'exit' }));
      assert.equal(await server.exited, 0, server.stderr());
    });

    test('stdin closed without shutdown (the editor gone): the process exits', async () => {
      const server = start([...args]);
      server.child.stdin.write(frame(INITIALIZE));
      await server.answered(1);
      server.child.stdin.end();
      assert.equal(await server.exited, 1, server.stderr());
    });
  });
}

test('dist/server.js --node-ipc: the channel closed, the process exits', async () => {
  const child = fork(SERVER, ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
  const exited = exitOf(child);
  const answer = new Promise<void>((done) => child.on('message', (m: { id?: number }) => m.id === 1 && done()));
  child.send(INITIALIZE);
  await answer;
  child.disconnect();
  assert.notEqual(await exited, 'hung');
});
