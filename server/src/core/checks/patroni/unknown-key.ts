import type { PatroniModel } from '../../documents/yaml/patroni';
import { recordAt, valueAt } from '../../documents/yaml/patroni';
import { parsePointer } from '../../schema/pointer';
import type { Check, Fix } from '../../types';

/** Sections that may hold extra mappings named elsewhere: replica-creation methods and custom bootstrap methods. */
function namedSections(model: PatroniModel): Map<string, Set<string>> {
  const names = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const methods = new Set([
    ...names(valueAt(model, ['postgresql', 'create_replica_methods'])),
    ...names(valueAt(model, ['postgresql', 'create_replica_method'])),
    ...names(valueAt(model, ['bootstrap', 'dcs', 'standby_cluster', 'create_replica_methods'])),
  ]);
  const bootstrapMethod = valueAt(model, ['bootstrap', 'method']);
  return new Map([
    ['/postgresql', methods],
    ['/bootstrap', new Set(typeof bootstrapMethod === 'string' ? [bootstrapMethod] : [])],
  ]);
}

export const unknownKey: Check<PatroniModel> = {
  id: 'patroni/unknown-key',
  defaultSeverity: 'warning',
  docs: {
    title: 'A key Patroni does not know',
    summary:
      'Patroni ignores keys it does not know, so a misspelt or misplaced setting (`loop_wiat`, or `ttl` under `postgresql`) silently keeps its default. The message suggests the closest known key; the quick fix renames it.\n\nSections named in `postgresql.create_replica_methods` and the section named by `bootstrap.method` are allowed, as are custom `tags`.',
    bad: 'bootstrap:\n  dcs:\n    loop_wiat: 10\n',
    good: 'bootstrap:\n  dcs:\n    loop_wait: 10\n',
  },
  check(ctx) {
    const allowed = namedSections(ctx.model);
    for (const issue of ctx.model.schemaIssues) {
      if (issue.kind !== 'unknown-key' || issue.key === undefined) continue;
      const parent = issue.pointer.slice(0, issue.pointer.lastIndexOf('/'));
      if (allowed.get(parent)?.has(issue.key)) continue;
      // A key the mapping already has is no suggestion: renaming to it would repeat it.
      const siblings = recordAt(ctx.model, parsePointer(parent));
      const suggestions = (issue.suggestions ?? []).filter((s) => !siblings || !Object.hasOwn(siblings, s));
      const fixes: Fix[] = suggestions.map((s, i) => ({
        title: `Rename \`${issue.key}\` to \`${s}\``,
        edits: [{ start: issue.start, end: issue.end, newText: s }],
        preferred: i === 0,
      }));
      const where = parsePointer(parent).join('.') || 'the top level';
      const hint = suggestions.length > 0 ? `Did you mean \`${suggestions[0]}\`?` : 'Remove it or check its spelling and indentation.';
      ctx.report({ start: issue.start, end: issue.end, message: `Unknown key \`${issue.key}\` in \`${where}\`; Patroni ignores it. ${hint}`, fixes });
    }
  },
};
