import type { HaproxyModel, Token } from '../../documents/haproxy';
import { allLines } from '../../documents/haproxy';
import type { OptionSpec } from '../../documents/haproxy/catalog';
import { lookupOption, lookupRemoved, lookupSection, sinceText } from '../../documents/haproxy/catalog';
import type { HoverInfo } from '../../types';
import { optionKind, readOptions } from '../../documents/haproxy/options';

function inside(t: Token, offset: number): boolean {
  return offset >= t.start && offset <= t.end;
}

function optionHover(kind: string, name: Token, spec: OptionSpec): HoverInfo {
  const syntax = spec.syntax?.length ? `\n\nSyntax: \`${spec.syntax[0]}\`` : '';
  const args = spec.variadic ? 'a variable number of values' : spec.args ? `${spec.args} value${spec.args > 1 ? 's' : ''}${spec.type ? ` (${spec.type})` : ''}` : 'no value';
  return { contents: `**${name.text}** — ${kind} option\n\n${spec.desc}${syntax}\n\nTakes ${args}. ${sinceText(spec.since)}`, start: name.start, end: name.end };
}

export function hover(model: HaproxyModel, offset: number): HoverInfo | undefined {
  for (const s of model.sections) {
    const h = s.header.tokens[0];
    if (inside(h, offset)) {
      const spec = lookupSection(s.type);
      if (spec) return { contents: `**${s.type}** section\n\n${spec.desc}\n\n${sinceText(spec.since)}`, start: h.start, end: h.end };
    }
  }
  for (const { line, section } of allLines(model)) {
    if (offset < line.start || offset > line.end || !section) continue;
    const kw = line.keywordTokens;
    if (kw.length > 0 && offset >= kw[0].start && offset <= kw[kw.length - 1].end) {
      const spec = line.spec;
      const start = kw[0].start;
      const end = kw[kw.length - 1].end;
      if (spec) {
        const where = spec.in ? ` (${spec.in.join(', ')})` : ` (${section.type})`;
        const syntax = spec.syntax?.length ? `\n\nSyntax: ${spec.syntax.map((x) => `\`${x}\``).join(', ')}` : '';
        const arity = spec.min !== undefined ? `\n\nArguments: ${spec.min}${spec.max === undefined ? ' or more' : spec.max === spec.min ? '' : `–${spec.max}`}${spec.type ? ` (${spec.type})` : ''}.` : '';
        return { contents: `**${line.keyword}**${where}\n\n${spec.desc}${syntax}${arity}\n\n${sinceText(spec.since)}`, start, end };
      }
      const removed = lookupRemoved(line.keyword, section.type);
      if (removed) return { contents: `**${line.keyword}** — removed in HAProxy ${removed.removedIn}; use ${removed.replacement}.`, start, end };
      return undefined;
    }
    const kind = optionKind(line);
    if (!kind) return undefined;
    for (const o of readOptions(line).options) {
      if (!inside(o.name, offset)) continue;
      const spec = lookupOption(kind, o.name.text);
      return spec ? optionHover(kind, o.name, spec) : undefined;
    }
    return undefined;
  }
  return undefined;
}
