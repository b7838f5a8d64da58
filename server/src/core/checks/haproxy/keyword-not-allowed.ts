import type { HaproxyModel } from '../../documents/haproxy';
import { isProxySection } from '../../documents/haproxy/catalog';
import type { Check } from '../../types';

export const keywordNotAllowed: Check<HaproxyModel> = {
  id: 'haproxy/keyword-not-allowed',
  scope: 'region',
  defaultSeverity: 'error',
  docs: {
    title: 'Keywords HAProxy refuses in this kind of proxy section',
    summary:
      'Some proxy keywords are refused outright in the wrong kind of section: `server` in a frontend, `use_backend` or `stick-table` in defaults, `tcp-response` rules in a frontend. HAProxy stops with an error. Move the line to a backend or listen section (or to the frontend, for frontend-only keywords).',
    bad: 'frontend fe\n  bind :5000\n  server pg1 10.0.0.1:5432 check\n',
    good: 'frontend fe\n  bind :5000\n  default_backend db\nbackend db\n  server pg1 10.0.0.1:5432 check\n',
  },
  check(ctx) {
    for (const s of ctx.model.sections) {
      if (!isProxySection(s.type) || s.type === 'listen') continue;
      for (const l of s.lines) {
        const spec = l.spec;
        if (!spec?.rejectIn?.includes(s.type)) continue;
        const first = l.keywordTokens[0];
        const last = l.keywordTokens[l.keywordTokens.length - 1];
        const where = (spec.in ?? []).join(', ');
        ctx.report({ start: first.start, end: last.end, message: `"${l.keyword}" is not allowed in a ${s.type} section; HAProxy refuses it. Move it to a section of type: ${where}.` });
      }
    }
  },
};
