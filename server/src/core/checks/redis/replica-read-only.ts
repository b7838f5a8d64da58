import { shown } from '../../shown';
import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { yesNo } from '../../documents/redis/values';
import { lastSetting } from './settings';

export const replicaReadOnly: Check<RedisModel> = {
  id: 'redis/replica-read-only',
  defaultSeverity: 'warning',
  docs: {
    title: '`replica-read-only no`: writes accepted by replicas are silently lost',
    summary:
      'A writable replica accepts writes that never reach the master or the other replicas. They disappear at the next full resynchronisation ' +
      'or failover, and until then reads return different data depending on the node. Keep `replica-read-only yes` (the default) and send ' +
      'writes to the master, which Sentinel-aware clients find for you.',
    bad: 'replicaof 10.0.0.1 6379\nreplica-read-only no\n',
    good: 'replicaof 10.0.0.1 6379\nreplica-read-only yes\n',
  },
  check(ctx) {
    const d = lastSetting(ctx.model, 'replica-read-only');
    if (!d || d.generated || d.args.length !== 1 || yesNo(d.args[0].value) !== false) return;
    const t = d.args[0];
    ctx.report({
      start: t.start,
      end: t.end,
      message: `'${shown(d.tokens[0].value)} no' lets clients write to a replica; those writes are lost at the next resync or failover. Use yes.`,
      fixes: [{ title: 'Change to yes', edits: [{ start: t.start, end: t.end, newText: 'yes' }], preferred: true }],
    });
  },
};
