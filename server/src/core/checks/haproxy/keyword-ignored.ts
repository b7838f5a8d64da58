import type { HaproxyModel } from '../../documents/haproxy';
import { isProxySection } from '../../documents/haproxy/catalog';
import type { Check } from '../../types';

export const keywordIgnored: Check<HaproxyModel> = {
  id: 'haproxy/keyword-ignored',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: 'Keywords that have no effect in this kind of proxy section',
    summary:
      'A frontend has no servers and a backend has no listeners, so HAProxy ignores backend-only keywords (`balance`, `timeout connect`, `option httpchk`) in a frontend and frontend-only ones (`bind`, `timeout client`) in a backend, with only a start-up warning. The setting you meant to apply is silently missing: move the line to the section where it takes effect.',
    bad: 'frontend fe\n  bind :5000\n  balance leastconn\n',
    good: 'backend db\n  balance leastconn\n',
  },
  check(ctx) {
    for (const s of ctx.model.sections) {
      if (!isProxySection(s.type) || s.type === 'listen') continue;
      for (const l of s.lines) {
        const spec = l.spec;
        if (!spec?.in || spec.in.includes(s.type) || spec.rejectIn?.includes(s.type)) continue;
        const first = l.keywordTokens[0];
        const last = l.keywordTokens[l.keywordTokens.length - 1];
        ctx.report({ start: first.start, end: last.end, message: `"${l.keyword}" has no effect in a ${s.type} section; HAProxy ignores it. Move it to a section of type: ${spec.in.join(', ')}.` });
      }
    }
  },
};
