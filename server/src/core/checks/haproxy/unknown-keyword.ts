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
    // A file can hold thousands of unknown lines, often the same word again: each word's guess is
    // found once per run, among candidates grouped once per section type.
    const guesses = new Map<string, string | undefined>();
    for (const s of ctx.model.sections) {
      for (const l of s.lines) {
        if (l.directive || l.spec || lookupRemoved(l.keyword, s.type)) continue;
        const first = l.keywordTokens[0];
        const lastTok = l.keywordTokens[l.keywordTokens.length - 1];
        if (first.dynamic) continue;
        const key = `${s.type}\u0000${l.keywordTokens.length > 1 ? '+' : '1'}\u0000${l.keyword}`;
        if (!guesses.has(key)) guesses.set(key, guessKeyword(s.type, l.keyword, first.text, l.keywordTokens.length > 1));
        const guess = guesses.get(key);
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

interface SectionNames {
  /** Keywords of one word. */
  single: string[];
  /** Keywords of several words, by their first word. */
  byFirst: Map<string, string[]>;
  /** The first words of all keywords, once each. */
  firstWords: string[];
}

const SECTION_NAMES = new Map<string, SectionNames>();

function sectionNames(type: string): SectionNames {
  const table = isProxySection(type) ? 'proxy' : type;
  let names = SECTION_NAMES.get(table);
  if (!names) {
    names = { single: [], byFirst: new Map(), firstWords: [] };
    const firsts = new Set<string>();
    for (const name of Object.keys(keywordTable(type))) {
      const space = name.indexOf(' ');
      const head = space < 0 ? name : name.slice(0, space);
      if (space < 0) names.single.push(name);
      else {
        const list = names.byFirst.get(head);
        if (list) list.push(name);
        else names.byFirst.set(head, [name]);
      }
      firsts.add(head);
    }
    names.firstWords = [...firsts];
    SECTION_NAMES.set(table, names);
  }
  return names;
}

/**
 * The keyword of `type` closest to `keyword`: among the keywords that start with its first word
 * when it has several, else among one-word keywords and those that start with it, then among
 * first words.
 */
function guessKeyword(type: string, keyword: string, firstWord: string, multi: boolean): string | undefined {
  const names = sectionNames(type);
  const withFirst = names.byFirst.get(firstWord) ?? [];
  if (multi) return didYouMean(keyword, withFirst);
  return didYouMean(keyword, withFirst.length ? [...names.single, ...withFirst] : names.single) ?? didYouMean(firstWord, names.firstWords);
}

/** Section types where a keyword unknown here is valid (a global setting put in a proxy, and so on). */
function sectionsWith(keyword: string, here: string): string[] {
  const out: string[] = [];
  if (!isProxySection(here)) out.push(...(lookupKeyword('listen', keyword)?.in ?? []));
  for (const type of Object.keys(CATALOG.sections)) if (type !== here && lookupKeyword(type, keyword)) out.push(type);
  return out;
}
