import { shown } from '../../shown';
import type { HaproxyModel } from '../../documents/haproxy';
import { CATALOG, isProxySection, keywordTable, lookupKeyword, lookupRemoved } from '../../documents/haproxy/catalog';
import { didYouMean } from '../../suggest';
import type { Check, Fix } from '../../types';

export const unknownKeyword: Check<HaproxyModel> = {
  id: 'haproxy/unknown-keyword',
  scope: 'region',
  defaultSeverity: 'error',
  docs: {
    title: 'Keywords HAProxy does not know in this section',
    summary:
      'HAProxy refuses to start when a line begins with a keyword it does not know in the current section, which is most often a typo (`timout`, `option httpchck`). The message suggests the closest known keyword and a quick fix replaces it.\n\nKeywords that exist only in builds with optional modules (WURFL, DeviceAtlas, 51Degrees) are in the catalog: check that your HAProxy build includes the module.',
    bad: 'backend db\n  balence roundrobin\n',
    good: 'backend db\n  balance roundrobin\n',
  },
  check(ctx) {
    for (const s of ctx.model.sections) {
      let names: string[] | undefined;
      for (const l of s.lines) {
        if (l.directive || l.spec || lookupRemoved(l.keyword, s.type)) continue;
        const first = l.keywordTokens[0];
        const lastTok = l.keywordTokens[l.keywordTokens.length - 1];
        if (first.dynamic) continue;
        names ??= Object.keys(keywordTable(s.type));
        const candidates = l.keywordTokens.length > 1 ? names.filter((n) => n.startsWith(`${first.text} `)) : names.filter((n) => !n.includes(' ') || n.startsWith(`${first.text} `));
        const guess = didYouMean(l.keyword, candidates) ?? (l.keywordTokens.length === 1 ? didYouMean(first.text, names.map((n) => n.split(' ')[0])) : undefined);
        const elsewhere = guess ? [] : sectionsWith(l.keyword, s.type);
        const fixes: Fix[] = guess ? [{ title: `Replace with "${guess}"`, edits: [{ start: first.start, end: lastTok.end, newText: guess }], preferred: true }] : [];
        ctx.report({
          start: first.start,
          end: lastTok.end,
          message: elsewhere.length
            ? `"${shown(l.keyword)}" is not a keyword of the "${s.type}" section; it belongs in: ${elsewhere.join(', ')}. Move it there.`
            : `Unknown keyword "${shown(l.keyword)}" in a "${s.type}" section${guess ? `; did you mean "${shown(guess)}"?` : ': check the spelling against the HAProxy manual.'}`,
          fixes,
        });
      }
    }
  },
};

/** Section types where a keyword unknown here is valid (a global setting put in a proxy, and so on). */
function sectionsWith(keyword: string, here: string): string[] {
  const out: string[] = [];
  if (!isProxySection(here)) out.push(...(lookupKeyword('listen', keyword)?.in ?? []));
  for (const type of Object.keys(CATALOG.sections)) if (type !== here && lookupKeyword(type, keyword)) out.push(type);
  return out;
}
