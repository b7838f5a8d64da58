// Arguments of a subcommand, read with node:util's parseArgs, and the help text built from the same table.
import { parseArgs } from 'node:util';
import { closest } from '../../server/src/core/suggest';

/** A mistake on the command line or an input that cannot be read: exit status 2. */
export class UsageError extends Error {
  /** The subcommand whose `--help` the message points to; undefined for the tool's own. */
  command?: string;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** A string option that may be given more than once; its value is then the list, in order. */
  multiple?: boolean;
  /** The value's name in the help, e.g. FILE or text|json|sarif. */
  placeholder?: string;
  description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export type OptionValues<O extends OptionSpecs> = {
  [K in keyof O]?: O[K]['type'] extends 'string' ? (O[K] extends { multiple: true } ? string[] : string) : boolean;
};

export interface CommandSpec {
  name: string;
  /** One line, in the tool's list of commands. */
  summary: string;
  /** Arguments after the command name, as shown in its usage line: `[options] PATH...`. */
  synopsis: string;
  /** Paragraphs between the usage line and the options. */
  description?: string;
  options: OptionSpecs;
  /** Whether words other than options are accepted. */
  positionals: boolean;
  /** Paragraphs after the options (exit statuses, examples). */
  epilog?: string;
}

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help' };

function withHelp(options: OptionSpecs): OptionSpecs {
  return { ...options, help: HELP_OPTION };
}

function nodeOptions(options: OptionSpecs) {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
  );
}

/** True when `-h`/`--help` appears among the options, whatever else is wrong with them. */
export function wantsHelp(spec: CommandSpec, args: string[]): boolean {
  const { tokens } = parseArgs({ args, options: nodeOptions(withHelp(spec.options)), strict: false, allowPositionals: true, tokens: true });
  return tokens.some((t) => t.kind === 'option' && t.name === 'help');
}

/** Reads `args` strictly against the spec; every mistake becomes a UsageError naming it. */
export function parseCommand<O extends OptionSpecs>(spec: CommandSpec & { options: O }, args: string[]): { values: OptionValues<O>; positionals: string[] } {
  const options = nodeOptions(withHelp(spec.options));
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: spec.positionals });
    return { values: values as OptionValues<O>, positionals };
  } catch (err) {
    if (!(err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_')) throw err;
    throw new UsageError(explain(spec, args) ?? (err as Error).message, spec.name);
  }
}

/** What is wrong with `args`, read again leniently so the message can name the culprit. */
function explain(spec: CommandSpec, args: string[]): string | undefined {
  const all = withHelp(spec.options);
  const { tokens } = parseArgs({ args, options: nodeOptions(all), strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind === 'positional' && !spec.positionals) return `unexpected argument '${t.value}'`;
    if (t.kind !== 'option') continue;
    const o = Object.hasOwn(all, t.name) ? all[t.name] : undefined;
    if (!o) {
      const guess = closest(t.name, Object.keys(all))[0];
      return `unknown option '${t.rawName}'${guess ? `; did you mean '--${guess}'?` : ''}`;
    }
    if (o.type === 'boolean' && t.value !== undefined) return `option '${t.rawName}' takes no value, got '${t.rawName}=${t.value}'`;
    // A string option followed by another option (or by nothing) has no value.
    if (o.type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('-')))) {
      return `option '${t.rawName}' needs a value: ${t.rawName} ${o.placeholder ?? 'VALUE'}`;
    }
  }
  return undefined;
}

function optionLines(options: OptionSpecs): string[] {
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.placeholder ?? 'VALUE'}` : ''}`;
    return [flag, o.description] as const;
  });
  return table(rows);
}

/** Two columns, the second aligned and wrapped lines indented under it. */
export function table(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...rows.map(([left]) => left.length)) + 3;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right.split('\n').join(`\n  ${' '.repeat(width)}`)}`.trimEnd());
}

export function commandHelp(spec: CommandSpec): string {
  const parts = [`Usage: hatopo ${spec.name} ${spec.synopsis}`];
  if (spec.description) parts.push(spec.description);
  parts.push(['Options:', ...optionLines(withHelp(spec.options))].join('\n'));
  if (spec.epilog) parts.push(spec.epilog);
  return parts.join('\n\n') + '\n';
}
