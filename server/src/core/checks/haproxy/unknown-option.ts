import type { HaproxyModel } from '../../documents/haproxy';
import { CATALOG } from '../../documents/haproxy/catalog';
import { didYouMean } from '../../suggest';
import type { Check, Fix } from '../../types';
import { optionKind, readOptions } from '../../documents/haproxy/options';

export const unknownOption: Check<HaproxyModel> = {
  id: 'haproxy/unknown-option',
  scope: 'region',
  defaultSeverity: 'error',
  docs: {
    title: 'Unknown options on server, default-server and bind lines',
    summary:
      'Every word after a server address (or a bind address) must be an option HAProxy knows, followed by its value when it takes one. A misspelt option (`chek`, `fal 3`) makes HAProxy refuse the whole file; worse, a missing `check` silently disables health checks. A quick fix replaces the word with the closest known option.',
    bad: 'backend db\n  server pg1 10.0.0.1:5432 chek\n',
    good: 'backend db\n  server pg1 10.0.0.1:5432 check\n',
  },
  check(ctx) {
    for (const s of ctx.model.sections) {
      if (s.type !== 'frontend' && s.type !== 'backend' && s.type !== 'listen' && s.type !== 'defaults') continue;
      for (const l of s.lines) {
        const kind = optionKind(l);
        if (!kind) continue;
        const u = readOptions(l).unknown;
        if (!u || u.quoted) continue;
        const guess = didYouMean(u.text, Object.keys(CATALOG[kind]));
        const fixes: Fix[] = guess ? [{ title: `Replace with "${guess}"`, edits: [{ start: u.start, end: u.end, newText: guess }], preferred: true }] : [];
        ctx.report({
          start: u.start,
          end: u.end,
          message: `Unknown ${kind} option "${u.text}"${guess ? `; did you mean "${guess}"?` : ': check the spelling, or whether a previous option lacks its value.'}`,
          fixes,
        });
      }
    }
  },
};
