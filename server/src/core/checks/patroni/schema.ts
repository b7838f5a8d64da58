import { isScalar, Scalar } from 'yaml';
import type { PatroniModel } from '../../documents/yaml/patroni';
import { nodeAt, valueAt } from '../../documents/yaml/patroni';
import { YamlTimestamp } from '../../documents/yaml/pyyaml-schema';
import { parsePointer } from '../../schema/pointer';
import type { SchemaIssue } from '../../schema/validate';
import type { Check, Report } from '../../types';
import { replaceFix } from './helpers';

function reading(v: unknown, source: string): string | undefined {
  if (v instanceof YamlTimestamp) return v.hasTime ? 'a date and time' : 'a date';
  if (typeof v === 'boolean') return `the boolean ${v ? 'True' : 'False'}`;
  if (typeof v === 'number') return String(v) === source ? 'a number' : `the number ${v}`;
  return undefined;
}

/** A string setting written as an unquoted scalar that PyYAML turns into something else: the message says so, the fix quotes it. */
function unquoted(model: PatroniModel, issue: SchemaIssue): Report | undefined {
  const expected = issue.expected ?? [];
  if (!expected.includes('string') || expected.some((t) => t === 'integer' || t === 'number' || t === 'boolean')) return undefined;
  const path = parsePointer(issue.pointer);
  const node = nodeAt(model, path);
  const what = isScalar(node) && typeof node.source === 'string' ? reading(valueAt(model, path), node.source) : undefined;
  if (!what || !isScalar(node) || node.type !== Scalar.PLAIN || node.tag || !node.range || typeof node.source !== 'string') return undefined;
  const [start, end] = node.range;
  const quoted = `"${node.source}"`;
  const name = path[path.length - 1] ?? '(document)';
  return {
    start,
    end,
    message: `\`${name}\` must be a string, but PyYAML reads the unquoted \`${node.source}\` as ${what}. Quote it: \`${quoted}\`.`,
    fixes: [replaceFix(`Quote ${node.source} (${quoted})`, start, end, quoted)],
  };
}

export const schema: Check<PatroniModel> = {
  id: 'patroni/schema',
  defaultSeverity: 'error',
  docs: {
    title: 'A value has the wrong type or is not one of the allowed values',
    summary:
      'Each setting is checked against the Patroni configuration schema: numbers where Patroni expects numbers (strings of digits such as `"30"` are accepted, as Patroni converts them), booleans, the allowed words of settings such as `log.level` or `restapi.verify_client`, and mappings or lists where sections are expected.\n\nPatroni either refuses such a file or falls back to a default without telling you. Use a value of the type the message names. Values are read as PyYAML reads them: an unquoted `2024-01-01` is a date, `off` a boolean and `0755` the number 493, so a setting that must be a string needs quotes around such a value (the quick fix adds them).',
    bad: 'bootstrap:\n  dcs:\n    ttl: thirty\n',
    good: 'bootstrap:\n  dcs:\n    ttl: 30\n',
  },
  check(ctx) {
    for (const issue of ctx.model.schemaIssues) {
      if (issue.kind !== 'value') continue;
      // The lag settings have their own check with a unit-aware fix.
      if (/\/maximum_lag_on_(failover|syncnode)$/.test(issue.pointer)) continue;
      ctx.report(unquoted(ctx.model, issue) ?? { start: issue.start, end: issue.end, message: issue.message });
    }
  },
};
