import type { PatroniModel } from '../../documents/yaml/patroni';
import type { Check } from '../../types';

export const schema: Check<PatroniModel> = {
  id: 'patroni/schema',
  defaultSeverity: 'error',
  docs: {
    title: 'A value has the wrong type or is not one of the allowed values',
    summary:
      'Each setting is checked against the Patroni configuration schema: numbers where Patroni expects numbers (strings of digits such as `"30"` are accepted, as Patroni converts them), booleans, the allowed words of settings such as `log.level` or `restapi.verify_client`, and mappings or lists where sections are expected.\n\nPatroni either refuses such a file or falls back to a default without telling you. Use a value of the type the message names.',
    bad: 'bootstrap:\n  dcs:\n    ttl: thirty\n',
    good: 'bootstrap:\n  dcs:\n    ttl: 30\n',
  },
  check(ctx) {
    for (const issue of ctx.model.schemaIssues) {
      if (issue.kind !== 'value') continue;
      // The lag settings have their own check with a unit-aware fix.
      if (/\/maximum_lag_on_(failover|syncnode)$/.test(issue.pointer)) continue;
      ctx.report({ start: issue.start, end: issue.end, message: issue.message });
    }
  },
};
