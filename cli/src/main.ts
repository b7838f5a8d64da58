// The `hatopo` tool: finds the subcommand in the table and runs it; every way out goes through here.
import { version } from '../../package.json';
import { closest } from '../../server/src/core/suggest';
import { COMMANDS } from './commands';
import type { Command } from './commands/command';
import type { Output } from './output';
import { processOutput } from './output';
import { UsageError, commandHelp, table, wantsHelp } from './usage';

function toolHelp(): string {
  const usage = table([
    ...COMMANDS.map((c): [string, string] => [`hatopo ${c.spec.name} ${c.spec.synopsis}`, c.spec.summary]),
    ['hatopo help COMMAND', "show a command's options"],
    ['hatopo --help | --version', ''],
  ]);
  return (
    [
      `hatopo ${version} — HA Topology: checks for Patroni, Redis Sentinel and HAProxy configs`,
      ['Usage:', ...usage].join('\n'),
      "Run 'hatopo COMMAND --help' for the options of a command.",
    ].join('\n\n') + '\n'
  );
}

function findCommand(name: string): Command {
  const found = COMMANDS.find((c) => c.spec.name === name);
  if (found) return found;
  const guess = closest(name, [...COMMANDS.map((c) => c.spec.name), 'help', 'version'])[0];
  throw new UsageError(`unknown command '${name}'${guess ? `; did you mean '${guess}'?` : ''}`);
}

async function dispatch(argv: string[], io: Output): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(`missing command: ${COMMANDS.map((c) => c.spec.name).join(', ')} or help`);
  if (first === '--version' || first === '-V' || first === 'version') {
    if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}' after ${first}`);
    io.out(`${version}\n`);
    return 0;
  }
  if (first === 'help' || first === '--help' || first === '-h') {
    if (rest.length > 1) throw new UsageError(`unexpected argument '${rest[1]}' after ${first} ${rest[0]}`);
    io.out(rest.length ? commandHelp(findCommand(rest[0]).spec) : toolHelp());
    return 0;
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}' (options go after the command)`);
  const command = findCommand(first);
  if (wantsHelp(command.spec, rest)) {
    io.out(commandHelp(command.spec));
    return 0;
  }
  return await command.run(rest, io);
}

/** Runs the tool on `argv` (the words after `hatopo`) and returns its exit status; only bin.ts calls it with the process's. */
export async function main(argv: string[], io: Output = processOutput()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      const where = err.command ? `hatopo ${err.command}` : 'hatopo';
      io.err(`${where}: ${err.message}\nRun '${where} --help' for usage.\n`);
    } else {
      io.err(`hatopo: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    return 2;
  }
}
