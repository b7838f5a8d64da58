import type { HaproxyModel } from '../../documents/haproxy';
import type { Check, Fix } from '../../types';
import { NameSuggester } from '../../suggest';

export const undefinedBackend: Check<HaproxyModel> = {
  id: 'haproxy/undefined-backend',
  defaultSeverity: 'error',
  docs: {
    title: 'use_backend / default_backend naming a backend that does not exist',
    summary:
      'HAProxy resolves backend names at start-up and refuses the file when `default_backend` or a `use_backend` rule names a backend (or listen section) that is not defined. Names built at run time with a `%[...]` sample expression are not checked. Fix the name, or add the backend.',
    bad: 'frontend fe\n  bind :5000\n  default_backend pg_primary\nbackend pg_primray\n  server a 10.0.0.1:5432\n',
    good: 'frontend fe\n  bind :5000\n  default_backend pg_primary\nbackend pg_primary\n  server a 10.0.0.1:5432\n',
  },
  check(ctx) {
    const backends = ctx.model.sections.filter((s) => (s.type === 'backend' || s.type === 'listen') && s.name).map((s) => s.name!.text);
    const known = new Set(backends);
    let suggester: NameSuggester | undefined;
    for (const s of ctx.model.sections) {
      if (s.type !== 'frontend' && s.type !== 'listen' && s.type !== 'defaults') continue;
      for (const l of s.lines) {
        if (l.keyword !== 'use_backend' && l.keyword !== 'default_backend') continue;
        const target = l.args[0];
        if (!target || target.dynamic || target.text.includes('%[') || known.has(target.text)) continue;
        suggester ??= new NameSuggester(backends);
        const guess = suggester.suggest(target.text);
        const fixes: Fix[] = guess ? [{ title: `Use backend "${guess}"`, edits: [{ start: target.start, end: target.end, newText: guess }], preferred: true }] : [];
        ctx.report({ start: target.start, end: target.end, message: `No backend or listen section named "${target.text}"${guess ? `; did you mean "${guess}"?` : ': define it or correct the name.'}`, fixes });
      }
    }
  },
};
