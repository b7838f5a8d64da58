import type { Output } from '../output';
import type { CommandSpec } from '../usage';

/** A subcommand: its help (from `spec`) and what it does with the words after its name. */
export interface Command {
  spec: CommandSpec;
  /** The exit status; a UsageError thrown here exits 2 with its message. */
  run(args: string[], io: Output): Promise<number> | number;
}
