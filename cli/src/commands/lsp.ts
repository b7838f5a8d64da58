// `hatopo lsp`: the language server of the VS Code extension, for any editor that speaks LSP.
import { dirname, join } from 'node:path';
import type { CommandSpec } from '../usage';
import { UsageError, parseCommand } from '../usage';
import type { Command } from './command';

const spec = {
  name: 'lsp',
  summary: 'run the language server over stdin/stdout (any LSP editor)',
  synopsis: '--stdio',
  description:
    'Runs until the editor ends the session. Over stdio, exits with status 2 when the framing of\n' +
    'its input breaks, so that the editor can start a new server. Other transports: --node-ipc,\n' +
    '--socket=PORT, --pipe=NAME.',
  options: {
    stdio: { type: 'boolean', description: 'speak LSP over stdin and stdout' },
    'node-ipc': { type: 'boolean', description: "speak LSP over Node's IPC channel (when started by a Node client)" },
    socket: { type: 'string', placeholder: 'PORT', description: 'speak LSP over a TCP connection to this loopback port' },
    pipe: { type: 'string', placeholder: 'NAME', description: 'speak LSP over a named pipe or Unix socket' },
    clientProcessId: { type: 'string', placeholder: 'PID', description: "exit when this process (the editor's) is gone" },
  },
  positionals: false,
} as const satisfies CommandSpec;

const NEVER = new Promise<number>(() => undefined);

function run(args: string[]): Promise<number> {
  const { values } = parseCommand(spec, args);
  const transports = [values.stdio, values['node-ipc'], values.socket !== undefined, values.pipe !== undefined].filter(Boolean).length;
  if (transports === 0) throw new UsageError('a transport is needed: --stdio (or --node-ipc, --socket=PORT, --pipe=NAME)', 'lsp');
  if (transports > 1) throw new UsageError('only one transport at a time: --stdio, --node-ipc, --socket=PORT or --pipe=NAME', 'lsp');
  if (values.socket !== undefined && !/^\d{1,5}$/.test(values.socket)) throw new UsageError(`--socket takes a port number, not '${values.socket}'`, 'lsp');
  if (values.clientProcessId !== undefined && !/^\d+$/.test(values.clientProcessId)) {
    throw new UsageError(`--clientProcessId takes a process id, not '${values.clientProcessId}'`, 'lsp');
  }
  // The language server is its own bundle beside this one (dist/server.js); loading it only here
  // keeps `hatopo check` from paying for the protocol libraries. It reads the transport from argv.
  const serverBundle = join(dirname(__filename), 'server.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime path, not a module to bundle
  require(serverBundle);
  // The server ends the process itself when the editor closes the session.
  return NEVER;
}

export const lsp: Command = { spec, run };
