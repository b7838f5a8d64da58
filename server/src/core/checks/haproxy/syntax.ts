import type { HaproxyModel } from '../../documents/haproxy';
import { isProxySection, lookupKeyword, lookupSection } from '../../documents/haproxy/catalog';
import type { Check } from '../../types';

const NEGATABLE_OUTSIDE_OPTIONS = new Set(['log', 'busy-polling', 'set-dumpable', 'strict-limits', 'insecure-fork-wanted', 'numa-cpu-mapping']);

export const syntax: Check<HaproxyModel> = {
  id: 'haproxy/syntax',
  scope: 'region',
  defaultSeverity: 'error',
  docs: {
    title: 'Lines HAProxy cannot read: bad quoting, keywords outside a section, nameless proxies',
    summary:
      'HAProxy stops at the first line it cannot read. This reports unterminated single or double quotes, bad `\\x` escapes and environment variable references, a last line without a line feed (HAProxy treats the file as truncated), keywords that appear before any section header, proxy sections without a name, and `no`/`default` prefixes on keywords that do not accept them.\n\nFix the quoting on the reported line, add the missing section header or name, or remove the prefix.',
    bad: 'maxconn 100\nglobal\n  description "unterminated\n',
    good: 'global\n  maxconn 100\n  description "terminated"\n',
  },
  check(ctx) {
    const m = ctx.model;
    for (const issue of m.issues) ctx.report(issue);
    for (const l of m.outside) {
      if (l.directive) continue;
      ctx.report({ start: l.tokens[0].start, end: l.tokens[0].end, message: `"${l.tokens[0].text}" is outside any section: HAProxy only accepts it after a section header such as "global", "defaults", "frontend", "backend" or "listen".` });
    }
    for (const s of m.sections) {
      const spec = lookupSection(s.type);
      if (spec?.name === 'required' && !s.name) {
        ctx.report({ start: s.header.tokens[0].start, end: s.header.tokens[0].end, message: `"${s.type}" needs a name: write "${s.type} <name>".` });
      }
      const extra = s.header.args[1];
      if (extra && extra.text !== 'from' && (s.type === 'frontend' || s.type === 'listen' || s.type === 'backend')) {
        ctx.report({ start: extra.start, end: s.header.args[s.header.args.length - 1].end, message: `Unexpected "${extra.text}" after the ${s.type} name: listening addresses go on a "bind" line (bind ${extra.text}), and only "from <defaults>" may follow the name.` });
      }
      for (const l of s.lines) {
        if (!l.prefix || l.directive) continue;
        const kw = l.keyword;
        const spec = lookupKeyword(s.type, kw);
        if (!spec) continue;
        const ok = isProxySection(s.type) ? (kw.startsWith('option ') && spec.noable) || kw === 'log' : NEGATABLE_OUTSIDE_OPTIONS.has(kw) || kw.startsWith('option ');
        if (!ok) {
          const p = l.tokens[0];
          ctx.report({ start: p.start, end: l.keywordTokens[l.keywordTokens.length - 1].end, message: `"${l.prefix}" cannot be used with "${kw}": only some options accept a "no"/"default" prefix. Remove "${l.prefix}" or the line.` });
        }
      }
    }
  },
};
