import { shown } from '../../shown';
import type { HaproxyModel } from '../../documents/haproxy';
import { lookupOption } from '../../documents/haproxy/catalog';
import { optionKind, readOptions } from '../../documents/haproxy/options';
import type { Check } from '../../types';

export const argCount: Check<HaproxyModel> = {
  id: 'haproxy/arg-count',
  scope: 'region',
  defaultSeverity: 'error',
  docs: {
    title: 'Keywords with too few or too many arguments',
    summary:
      'Where HAProxy enforces the number of arguments of a keyword (for example one value for `timeout connect`, `retries`, `maxconn` or `default_backend`), a missing or extra word makes it refuse the file. An extra word is often a value that was meant to be quoted, or two settings joined on one line. The same applies to server and bind options that take a value (`inter`, `port`, `cookie`, ...) and to server lines without an address.',
    bad: 'defaults\n  timeout connect\n',
    good: 'defaults\n  timeout connect 5s\n',
  },
  check(ctx) {
    for (const s of ctx.model.sections) {
      for (const l of s.lines) {
        if (l.directive || l.prefix) continue;
        const spec = l.spec;
        if (!spec || l.args.some((a) => a.dynamic)) continue;
        const n = l.args.length;
        const first = l.keywordTokens[0];
        const kwEnd = l.keywordTokens[l.keywordTokens.length - 1].end;
        if (spec.counts && !spec.counts.includes(n)) {
          ctx.report({ start: first.start, end: l.args[n - 1]?.end ?? kwEnd, message: `"${shown(l.keyword)}" takes ${spec.counts.join(' or ')} arguments, not ${n}${spec.syntax ? `: ${spec.syntax[0]}` : ''}.` });
        } else if (spec.min !== undefined && n < spec.min) {
          ctx.report({ start: first.start, end: kwEnd, message: `"${shown(l.keyword)}" expects ${spec.min === spec.max ? 'exactly' : 'at least'} ${spec.min} argument${spec.min === 1 ? '' : 's'} but has ${n}${spec.syntax ? `: ${spec.syntax[0]}` : ''}.` });
        } else if (spec.max !== undefined && n > spec.max) {
          const extra = l.args[spec.max];
          ctx.report({ start: extra.start, end: l.args[n - 1].end, message: `"${shown(l.keyword)}" takes ${spec.max === 0 ? 'no arguments' : `at most ${spec.max} argument${spec.max === 1 ? '' : 's'}`} but has ${n}: remove the extra words or quote a value that contains spaces.` });
        }
        const kind = optionKind(l);
        if (!kind) continue;
        // "server <name> check": the address is missing and HAProxy would try to resolve "check".
        const addr = l.keyword === 'server' ? l.args[1] : undefined;
        if (addr && !addr.dynamic && lookupOption('server', addr.text) && !/[.:\d/@]/.test(addr.text)) {
          ctx.report({ start: addr.start, end: addr.end, message: `Server "${shown(l.args[0].text)}" has no address: "${shown(addr.text)}" is an option. Write "server <name> <address>[:<port>] ${shown(addr.text)} ...".` });
          continue;
        }
        for (const o of readOptions(l).options) {
          const want = lookupOption(kind, o.name.text)?.args ?? 0;
          if (o.values.length < want) {
            ctx.report({ start: o.name.start, end: o.name.end, message: `The ${kind} option "${shown(o.name.text)}" expects a value${lookupOption(kind, o.name.text)?.syntax ? `: ${lookupOption(kind, o.name.text)!.syntax![0]}` : ''}.` });
          }
        }
      }
    }
  },
};
