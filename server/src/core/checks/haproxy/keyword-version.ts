import type { HaproxyModel } from '../../documents/haproxy';
import { compareVersions, lookupOption, lookupRemoved, lookupSection, newer } from '../../documents/haproxy/catalog';
import type { Check } from '../../types';
import { optionKind, readOptions } from '../../documents/haproxy/options';

export const keywordVersion: Check<HaproxyModel> = {
  id: 'haproxy/keyword-version',
  scope: 'region',
  defaultSeverity: 'error',
  docs: {
    title: 'Keywords newer than the selected HAProxy version, or removed from it',
    summary:
      'The keyword catalog knows when each keyword, section and server/bind option appeared (HAProxy 2.6 to 3.2) and which old directives were removed. A keyword introduced after the version in `hatopo.haproxy.version` (default 2.6) makes that HAProxy refuse the file; a removed directive such as `contimeout` or `redispatch` is refused too.\n\nEither raise `hatopo.haproxy.version` to the version you run, or use the replacement named in the message.',
    bad: 'defaults\n  contimeout 5000\n',
    good: 'defaults\n  timeout connect 5s\n',
  },
  check(ctx) {
    const v = ctx.model.version;
    for (const s of ctx.model.sections) {
      const head = lookupSection(s.type);
      const h = s.header.tokens[0];
      if (head && newer(head.since, v)) {
        ctx.report({ start: h.start, end: h.end, message: `The "${s.type}" section was introduced in HAProxy ${head.since}; the selected version is ${v}. Raise hatopo.haproxy.version or remove the section.` });
      }
      for (const l of s.lines) {
        if (l.directive) continue;
        const first = l.keywordTokens[0];
        const last = l.keywordTokens[l.keywordTokens.length - 1];
        const removed = lookupRemoved(l.keyword, s.type);
        if (removed && compareVersions(removed.removedIn, v) <= 0) {
          ctx.report({ start: first.start, end: last.end, message: `"${l.keyword}" is not supported any more since HAProxy ${removed.removedIn}: use ${removed.replacement.startsWith('(') ? removed.replacement.slice(1, -1) : `"${removed.replacement}"`} instead.` });
          continue;
        }
        const spec = l.spec;
        if (spec && newer(spec.since, v)) {
          ctx.report({ start: first.start, end: last.end, message: `"${l.keyword}" was introduced in HAProxy ${spec.since}; the selected version is ${v}. Raise hatopo.haproxy.version if you run ${spec.since} or later, or remove the line.` });
        }
        const kind = optionKind(l);
        if (!kind) continue;
        for (const o of readOptions(l).options) {
          const os = lookupOption(kind, o.name.text);
          if (os && newer(os.since, v)) {
            ctx.report({ start: o.name.start, end: o.name.end, message: `The ${kind} option "${o.name.text}" was introduced in HAProxy ${os.since}; the selected version is ${v}.` });
          }
        }
      }
    }
  },
};
