import type { HaproxyModel } from '../../documents/haproxy';
import type { Check } from '../../types';
import { isPrimaryPath, isReplicaPath, proxies } from './proxies';

const PRIMARY_WORDS = new Set(['primary', 'master', 'rw', 'write', 'writer', 'writes', 'leader', 'readwrite']);
const REPLICA_WORDS = new Set(['replica', 'replicas', 'slave', 'slaves', 'standby', 'ro', 'read', 'reads', 'reader', 'readers', 'readonly']);

/** "primary", "replica" or undefined, from the words of a proxy name such as pg_master or postgres-ro. */
export function roleFromName(name: string): 'primary' | 'replica' | undefined {
  const lower = name.toLowerCase();
  if (/read[-_]?write/.test(lower)) return 'primary';
  const words = lower.split(/[^a-z0-9]+/);
  const p = words.some((w) => PRIMARY_WORDS.has(w));
  const r = words.some((w) => REPLICA_WORDS.has(w));
  return p === r ? undefined : p ? 'primary' : 'replica';
}

export const checkRoleMismatch: Check<HaproxyModel> = {
  id: 'haproxy/check-role-mismatch',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: 'Health-check path that contradicts the listener\'s role',
    summary:
      'Patroni answers `/primary` (`/master`, `/leader`, `/read-write`) with 200 only on the leader, and `/replica`, `/read-only`, `/sync`, `/async` on replicas (`/read-only` also on the leader). A listener named for writes (`primary`, `master`, `rw`, `write`) that checks a replica endpoint sends writes to read-only nodes; a read listener (`replica`, `ro`, `read`) that checks `/primary` puts all reads on the leader.\n\nCheck the endpoint that matches the listener, or rename it if the name is what is wrong.',
    bad: 'listen pg_master\n  bind :5000\n  option httpchk OPTIONS /replica\n  server pg1 10.0.0.1:5432 check port 8008\n',
    good: 'listen pg_master\n  bind :5000\n  option httpchk OPTIONS /primary\n  server pg1 10.0.0.1:5432 check port 8008\n',
  },
  check(ctx) {
    for (const info of proxies(ctx.model)) {
      const name = info.section.name?.text;
      const path = info.checkPath;
      if (!name || !path || path.line.start < info.section.start) continue;
      const role = roleFromName(name);
      const token = path.line.args.find((t) => t.text === path.path);
      if (!role || !token) continue;
      if (role === 'primary' && isReplicaPath(path.path)) {
        ctx.report({ start: token.start, end: token.end, message: `"${name}" looks like a write (primary) listener but checks ${path.path}, which succeeds on replicas: writes would reach read-only nodes. Check /primary instead.` });
      } else if (role === 'replica' && isPrimaryPath(path.path)) {
        ctx.report({ start: token.start, end: token.end, message: `"${name}" looks like a read (replica) listener but checks ${path.path}, which succeeds only on the leader: every read goes to the primary. Check /replica (or /read-only) instead.` });
      }
    }
  },
};
