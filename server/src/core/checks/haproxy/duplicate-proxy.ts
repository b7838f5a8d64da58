import type { HaproxyModel, Section } from '../../documents/haproxy';
import type { Check } from '../../types';

const SIDES: Record<string, string[]> = { frontend: ['fe'], backend: ['be'], listen: ['fe', 'be'] };

/** HAProxy allows a frontend and a backend to share a name, but not two proxies with a capability in common. */
function clash(a: Section, b: Section): boolean {
  return SIDES[a.type].some((x) => SIDES[b.type].includes(x));
}

export const duplicateProxy: Check<HaproxyModel> = {
  id: 'haproxy/duplicate-proxy',
  defaultSeverity: 'error',
  docs: {
    title: 'Proxies sharing a name HAProxy forbids',
    summary:
      'A frontend and a backend may share a name (a common pattern), but two frontends, two backends, or a listen section and any other proxy with the same name are refused: names must identify proxies in `use_backend`, logs and the stats page. The same applies to other named sections of one type (peers, resolvers, userlists, ...). Rename one of them.',
    bad: 'listen pg\n  bind :5000\nbackend pg\n  server a 10.0.0.1:5432\n',
    good: 'listen pg\n  bind :5000\nbackend pg_replicas\n  server a 10.0.0.1:5432\n',
  },
  check(ctx) {
    const seen = new Map<string, Section[]>();
    for (const s of ctx.model.sections) {
      const name = s.name;
      if (!name || name.dynamic || s.type === 'defaults') continue;
      const same = seen.get(name.text) ?? [];
      seen.set(name.text, same);
      const other = same.find((o) => (SIDES[s.type] && SIDES[o.type] ? clash(s, o) : o.type === s.type));
      if (other) {
        const line = other.header.line + 1;
        const first = other.name!;
        ctx.report({
          start: name.start,
          end: name.end,
          message: `${s.type} "${name.text}" has the same name as the ${other.type} declared on line ${line}: HAProxy refuses this. Rename one of them.`,
          related: [{ start: first.start, end: first.end, message: `the ${other.type} "${name.text}"` }],
        });
      }
      same.push(s);
    }
  },
};
