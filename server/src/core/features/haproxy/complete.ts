import type { HaproxyModel } from '../../documents/haproxy';
import { sectionAt } from '../../documents/haproxy';
import type { KeywordSpec, OptionSpec } from '../../documents/haproxy/catalog';
import { CATALOG, keywordTable, lookupKeyword, newer, sinceText } from '../../documents/haproxy/catalog';
import type { CompletionEntry, EngineSettings } from '../../types';

/** Snippets for the keywords people type most in front of HA databases. */
const SNIPPETS: Record<string, string> = {
  server: 'server ${1:name} ${2:10.0.0.1}:${3:5432} check port ${4:8008}',
  'default-server': 'default-server inter ${1:3s} fall ${2:3} rise ${3:2} on-marked-down shutdown-sessions',
  bind: 'bind ${1:*}:${2:5000}',
  'option httpchk': 'option httpchk OPTIONS ${1:/primary}',
  'http-check expect': 'http-check expect status ${1:200}',
  'timeout connect': 'timeout connect ${1:5s}',
  'timeout client': 'timeout client ${1:30m}',
  'timeout server': 'timeout server ${1:30m}',
  'timeout check': 'timeout check ${1:5s}',
  mode: 'mode ${1|tcp,http|}',
  balance: 'balance ${1|roundrobin,leastconn,first,source|}',
  maxconn: 'maxconn ${1:1000}',
  use_backend: 'use_backend ${1:name} if ${2:condition}',
  default_backend: 'default_backend ${1:name}',
};

const SECTION_SNIPPETS: Record<string, string> = {
  listen: 'listen ${1:postgres_primary}\n    bind *:${2:5000}\n    option httpchk OPTIONS /primary\n    http-check expect status 200\n    default-server inter 3s fall 3 rise 2 on-marked-down shutdown-sessions\n    server ${3:pg1} ${4:10.0.0.1}:5432 check port 8008\n',
  backend: 'backend ${1:name}\n    ',
  frontend: 'frontend ${1:name}\n    bind *:${2:80}\n    default_backend ${3:name}\n',
};

function available(since: string, settings: EngineSettings): boolean {
  return !newer(since, settings.haproxy?.version || '2.6');
}

function docOf(spec: KeywordSpec | OptionSpec): string {
  const syntax = spec.syntax?.length ? `\n\n\`${spec.syntax[0]}\`` : '';
  return `${spec.desc}${syntax}\n\n${sinceText(spec.since)}`;
}

export function complete(model: HaproxyModel, offset: number, settings: EngineSettings): CompletionEntry[] {
  const text = model.file.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  if (before.includes('#')) return [];
  const word = /[^\s]*$/.exec(before)![0];
  const replace = { start: offset - word.length, end: offset };
  const words = before.slice(0, before.length - word.length).trim().split(/\s+/).filter(Boolean);
  const section = sectionAt(model, lineStart);
  const out: CompletionEntry[] = [];

  if (words.length === 0) {
    for (const [name, spec] of Object.entries(CATALOG.sectionHeaders)) {
      if (!available(spec.since, settings)) continue;
      const snippet = SECTION_SNIPPETS[name];
      out.push({ label: name, kind: 'section', detail: 'section', documentation: spec.desc, insertText: snippet ?? name, snippet: snippet !== undefined, replace, sortText: before.startsWith(' ') || before.startsWith('\t') ? `2${name}` : `0${name}` });
    }
    if (!section) return out;
    for (const [name, spec] of Object.entries(keywordTable(section.type))) {
      if (!available(spec.since, settings)) continue;
      if (spec.in && !spec.in.includes(section.type)) continue;
      const snippet = SNIPPETS[name];
      out.push({ label: name, kind: snippet ? 'snippet' : 'keyword', detail: section.type, documentation: docOf(spec), insertText: snippet ?? name, snippet: snippet !== undefined, replace, sortText: `1${name}` });
    }
    return out;
  }

  if (!section) return out;
  const typed = words.join(' ');
  // Second (or third) word of a multi-word keyword: "option ht|", "timeout co|".
  const next = Object.entries(keywordTable(section.type)).filter(([name]) => name.startsWith(`${typed} `) && !name.slice(typed.length + 1).includes(' '));
  if (next.length > 0) {
    for (const [name, spec] of next) {
      if (!available(spec.since, settings) || (spec.in && !spec.in.includes(section.type))) continue;
      out.push({ label: name.slice(typed.length + 1), kind: 'keyword', detail: name, documentation: docOf(spec), replace });
    }
    return out;
  }

  const kind = words[0] === 'bind' ? 'bind' : words[0] === 'server' || words[0] === 'default-server' || words[0] === 'server-template' ? 'server' : undefined;
  const firstOption = { bind: 2, server: 3, 'default-server': 1, 'server-template': 4 }[words[0]] ?? Infinity;
  if (kind && words.length >= firstOption) {
    const prev = CATALOG[kind][words[words.length - 1]];
    if (prev?.enum) return prev.enum.map((v) => ({ label: v, kind: 'enum' as const, replace }));
    if (prev && (prev.args ?? 0) > 0) return [];
    for (const [name, spec] of Object.entries(CATALOG[kind])) {
      if (!available(spec.since, settings)) continue;
      out.push({ label: name, kind: 'property', detail: `${kind} option`, documentation: docOf(spec), replace });
    }
    return out;
  }

  const spec = lookupKeyword(section.type, typed);
  if (spec?.enum) for (const v of spec.enum) out.push({ label: v, kind: 'enum', detail: typed, replace });
  return out;
}
