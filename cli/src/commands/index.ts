// Every subcommand of `hatopo`, in the order its help lists them. A new one is a module beside these and a line here.
import { ACTION_COMMANDS } from './actions';
import { check } from './check';
import type { Command } from './command';
import { lsp } from './lsp';
import { status } from './status';

export const COMMANDS: readonly Command[] = [check, lsp, status, ...ACTION_COMMANDS];
