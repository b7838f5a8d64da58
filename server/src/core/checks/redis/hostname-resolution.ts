import type { RedisModel } from '../../documents/redis';
import type { Check, Fix } from '../../types';
import { sentinelView } from './sentinel-rules';

export const hostnameResolution: Check<RedisModel> = {
  id: 'sentinel/hostname-resolution',
  defaultSeverity: 'error',
  docs: {
    title: 'A hostname in `sentinel monitor` (or a known-* line) without `sentinel resolve-hostnames yes`',
    summary:
      'By default Sentinel only accepts IP addresses for the instances it monitors and refuses to start on a name ("Can\'t resolve instance hostname."), ' +
      'even one that resolves. In Kubernetes and Docker, where addresses change, turn on `sentinel resolve-hostnames yes` (Redis 6.2+), and consider ' +
      '`sentinel announce-hostnames yes` so that clients receive the names too. The quick fix adds the setting before the first monitor line.',
    bad: 'sentinel monitor mymaster redis-0.redis 6379 2\n',
    good: 'sentinel resolve-hostnames yes\nsentinel monitor mymaster redis-0.redis 6379 2\n',
  },
  check(ctx) {
    const view = sentinelView(ctx.model);
    const sentinelLines = ctx.model.directives.filter((d) => d.name === 'sentinel');
    // An explicit `resolve-hostnames no` would still win over an added line: change it instead.
    const existing = sentinelLines.filter((d) => d.sub === 'resolve-hostnames' && d.args.length === 1);
    const at = sentinelLines.find((d) => d.sub === 'monitor')?.lineStart ?? 0;
    const fix: Fix = existing.length
      ? { title: "Set 'sentinel resolve-hostnames yes'", edits: existing.map((d) => ({ start: d.args[0].start, end: d.args[0].end, newText: 'yes' })), preferred: true }
      : { title: "Add 'sentinel resolve-hostnames yes'", edits: [{ start: at, end: at, newText: 'sentinel resolve-hostnames yes\n' }], preferred: true };
    for (const i of view.issues) if (i.kind === 'hostname') ctx.report({ ...i, fixes: [fix] });
  },
};
