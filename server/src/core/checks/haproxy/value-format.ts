import { shown } from '../../shown';
import type { HaproxyModel, Token } from '../../documents/haproxy';
import { lookupOption } from '../../documents/haproxy/catalog';
import type { Check, CheckContext } from '../../types';
import { optionKind, readOptions } from '../../documents/haproxy/options';
import { parseTime, valueError } from './values';

/** Server intervals HAProxy refuses to set to 0. */
const NON_ZERO = new Set(['inter', 'fastinter', 'downinter']);

function isZeroTime(text: string): boolean {
  const r = parseTime(text);
  return 'ms' in r && r.ms === 0;
}

function enumError(ctx: CheckContext<HaproxyModel>, what: string, t: Token, allowed: string[]): void {
  const word = t.text.split('(')[0];
  if (t.dynamic || allowed.includes(word)) return;
  ctx.report({ start: t.start, end: t.end, message: `"${shown(t.text)}" is not a valid value for ${what}: use one of ${allowed.join(', ')}.` });
}

export const valueFormat: Check<HaproxyModel> = {
  id: 'haproxy/value-format',
  scope: 'region',
  defaultSeverity: 'error',
  docs: {
    title: 'Invalid time, size, number or enumerated values',
    summary:
      'HAProxy times are digits with an optional unit (`us`, `ms`, `s`, `m`, `h`, `d`; milliseconds when omitted), check intervals cannot be 0, `fall` and `rise` must be above 0, sizes take an optional `k`, `m` or `g`, counts are whole numbers, and some keywords accept a fixed set of words (`mode tcp|http`, `balance roundrobin|leastconn|...`). A value such as `5x` or `fall 0` makes HAProxy refuse the file. This applies to keyword arguments and to server options such as `inter`, `fall`, `rise`, `port` and `on-marked-down`.',
    bad: 'defaults\n  timeout connect 5x\n',
    good: 'defaults\n  timeout connect 5s\n',
  },
  check(ctx) {
    for (const s of ctx.model.sections) {
      for (const l of s.lines) {
        if (l.directive || l.prefix) continue;
        const spec = l.spec;
        const a = l.args[0];
        if (spec?.type && a && !a.dynamic && l.args.length === 1) {
          const err = valueError(spec.type, a.text);
          if (err) ctx.report({ start: a.start, end: a.end, message: `${err} (argument of "${shown(l.keyword)}")` });
        }
        if (spec?.enum && a) enumError(ctx, `"${l.keyword}"`, a, spec.enum);
        const kind = optionKind(l);
        if (!kind) continue;
        for (const o of readOptions(l).options) {
          const os = lookupOption(kind, o.name.text);
          const v = o.values[0];
          if (!os || !v || v.dynamic) continue;
          if (os.type) {
            const err = valueError(os.type, v.text) ?? (NON_ZERO.has(o.name.text) && isZeroTime(v.text) ? `"${v.text}" is not allowed: the check interval must be greater than 0.` : undefined);
            if (err) ctx.report({ start: v.start, end: v.end, message: `${err} (value of the ${kind} option "${shown(o.name.text)}")` });
          }
          if (os.enum) enumError(ctx, `the ${kind} option "${o.name.text}"`, v, os.enum);
        }
      }
    }
  },
};
