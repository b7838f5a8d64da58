import { lookupOption } from './catalog';
import type { ConfigLine, OptionList, OptionUse } from './index';

export type { OptionList, OptionUse } from './index';

/** Index of the first option word of a server-like or bind line, or -1 for lines that carry no options. */
export function optionsStart(line: ConfigLine): number {
  switch (line.keyword) {
    case 'server':
      return 2;
    case 'default-server':
      return 0;
    case 'server-template':
      return 3;
    case 'bind':
      return 1;
    default:
      return -1;
  }
}

export function optionKind(line: ConfigLine): 'server' | 'bind' | undefined {
  if (line.keyword === 'bind') return 'bind';
  if (line.keyword === 'server' || line.keyword === 'default-server' || line.keyword === 'server-template') return 'server';
  return undefined;
}

/** Walks the options of a server/default-server/server-template/bind line using the catalog's arities (once per line). */
export function readOptions(line: ConfigLine): OptionList {
  return (line.options ??= walkOptions(line));
}

function walkOptions(line: ConfigLine): OptionList {
  const kind = optionKind(line);
  const from = optionsStart(line);
  const out: OptionList = { options: [] };
  if (!kind || from < 0) return out;
  const args = line.args;
  let i = from;
  while (i < args.length) {
    const t = args[i];
    if (t.dynamic) return out;
    const spec = lookupOption(kind, t.text);
    if (!spec) {
      out.unknown = t;
      return out;
    }
    const n = spec.args ?? 0;
    out.options.push({ name: t, values: args.slice(i + 1, i + 1 + n), type: spec.type });
    if (spec.variadic) return out;
    i += 1 + n;
  }
  return out;
}

export function findOption(list: OptionList, name: string): OptionUse | undefined {
  return list.options.find((o) => o.name.text === name);
}
