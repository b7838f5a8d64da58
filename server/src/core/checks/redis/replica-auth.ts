import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { lastSetting, quoteArg, replicaOf } from './settings';

export const replicaAuth: Check<RedisModel> = {
  id: 'redis/replica-auth',
  defaultSeverity: 'warning',
  docs: {
    title: 'A replica with `requirepass` but no `masterauth`',
    summary:
      'In a replicated group every node usually has the same password, since any of them may become the master after a failover. A replica ' +
      'authenticates to its master with `masterauth` (and `masteruser` for an ACL user), not with `requirepass`: without it the master answers ' +
      'NOAUTH, the replica never synchronises and Sentinel has no healthy replica to promote. Set `masterauth` to the master\'s password on ' +
      'every node, masters included (they become replicas after a failover). The quick fix copies the `requirepass` value.',
    bad: 'replicaof 10.0.0.1 6379\nrequirepass s3cret\n',
    good: 'replicaof 10.0.0.1 6379\nrequirepass s3cret\nmasterauth s3cret\n',
  },
  check(ctx) {
    const replica = replicaOf(ctx.model);
    const pass = lastSetting(ctx.model, 'requirepass');
    if (!replica || replica.generated || !pass || pass.args.length !== 1 || pass.args[0].value === '') return;
    if (lastSetting(ctx.model, 'masterauth')) return;
    ctx.report({
      start: replica.start,
      end: replica.end,
      message: `This replica requires a password (requirepass, line ${pass.line + 1}) but has no masterauth: a master with the same password refuses its sync with NOAUTH. Add 'masterauth' with the master's password.`,
      related: [{ start: pass.start, end: pass.end, message: 'the requirepass of this server' }],
      fixes: [{ title: 'Add masterauth with the requirepass value', edits: [{ start: pass.lineEnd, end: pass.lineEnd, newText: `${pass.lineEnd === ctx.file.text.length && !ctx.file.text.endsWith('\n') ? '\n' : ''}masterauth ${quoteArg(pass.args[0].value)}\n` }], preferred: true }],
    });
  },
};
