import type { HaproxyModel, Token } from '../../documents/haproxy';
import type { Check } from '../../types';

export const duplicateServer: Check<HaproxyModel> = {
  id: 'haproxy/duplicate-server',
  scope: 'region',
  defaultSeverity: 'error',
  docs: {
    title: 'Two servers with the same name in one proxy',
    summary:
      'Server names identify servers in logs, the stats page, the runtime API and state files, so HAProxy refuses two servers of the same name in one backend or listen section. This usually comes from a copied line whose name was not changed: give each server a distinct name (for a Patroni cluster, the member name is a good choice).',
    bad: 'backend db\n  server pg1 10.0.0.1:5432 check\n  server pg1 10.0.0.2:5432 check\n',
    good: 'backend db\n  server pg1 10.0.0.1:5432 check\n  server pg2 10.0.0.2:5432 check\n',
  },
  check(ctx) {
    for (const s of ctx.model.sections) {
      if (s.type !== 'backend' && s.type !== 'listen' && s.type !== 'peers' && s.type !== 'ring') continue;
      const seen = new Map<string, Token>();
      for (const l of s.lines) {
        if (l.keyword !== 'server' && l.keyword !== 'peer') continue;
        const name = l.args[0];
        if (!name || name.dynamic) continue;
        const first = seen.get(name.text);
        if (first) {
          ctx.report({
            start: name.start,
            end: name.end,
            message: `Another server named "${name.text}" is already defined in "${s.name?.text ?? s.type}": HAProxy requires distinct names. Rename this one.`,
            related: [{ start: first.start, end: first.end, message: `the first server named "${name.text}"` }],
          });
        } else {
          seen.set(name.text, name);
        }
      }
    }
  },
};
