import type { HaproxyModel, Token } from '../../documents/haproxy';
import { lookupOption } from '../../documents/haproxy/catalog';
import type { Check } from '../../types';
import { optionKind, readOptions } from '../../documents/haproxy/options';
import { formatMs, parseTime } from './values';

export const timeSuffix: Check<HaproxyModel> = {
  id: 'haproxy/time-suffix',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: 'Time values with characters after the unit',
    summary:
      'HAProxy reads a time up to its unit and ignores what follows with only a start-up warning: `5sec` is read as 5 seconds, but `10min` as 10 minutes and `1000mn` as 1000 minutes, which may not be what was meant. HAProxy announces that this will become an error. Write the value with a single unit: `us`, `ms`, `s`, `m`, `h` or `d`.',
    bad: 'defaults\n  timeout connect 5sec\n',
    good: 'defaults\n  timeout connect 5s\n',
  },
  check(ctx) {
    const look = (t: Token | undefined, what: string) => {
      if (!t || t.dynamic) return;
      const r = parseTime(t.text);
      if ('trailing' in r && r.trailing) {
        ctx.report({
          start: t.start,
          end: t.end,
          message: `HAProxy reads "${t.text}" as ${formatMs(r.ms)} and ignores "${r.trailing}" with a warning (${what}). Write it with a single unit (us, ms, s, m, h or d).`,
          fixes: [{ title: `Write "${t.text.slice(0, t.text.length - r.trailing.length)}"`, edits: [{ start: t.end - r.trailing.length, end: t.end, newText: '' }], preferred: true }],
        });
      }
    };
    for (const s of ctx.model.sections) {
      for (const l of s.lines) {
        if (l.directive) continue;
        if (l.spec?.type === 'time' && l.args.length === 1) look(l.args[0], `argument of "${l.keyword}"`);
        const kind = optionKind(l);
        if (!kind) continue;
        for (const o of readOptions(l).options) {
          if (lookupOption(kind, o.name.text)?.type === 'time') look(o.values[0], `value of "${o.name.text}"`);
        }
      }
    }
  },
};
