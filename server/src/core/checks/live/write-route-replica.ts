import { roleFromName } from '../haproxy/check-role-mismatch';
import { proxies, routesToPrimary, serverOption } from '../haproxy/proxies';
import type { HaproxyModel } from '../../documents/haproxy';
import { haproxyServer, isReplicaRole, memberAt } from '../../live/match';
import type { Check } from '../../types';
import { clusterLabel } from './helpers';

export const writeRouteReplica: Check<HaproxyModel> = {
  id: 'live/write-route-replica',
  defaultSeverity: 'error',
  docs: {
    title: 'The write listener routes to a member the live cluster reports as a replica',
    summary:
      'Reported while connected to the clusters. A backend (or listen section) for writes, one that checks `/primary` (`/master`, `/leader`, `/read-write`) or is named for writes (`write`, `primary`, `master`, `rw`), has a server at the address of a member that the live cluster (Patroni, PostgreSQL, Sentinel) reports as a replica, and HAProxy sends traffic to it: its live state is UP, or, when HAProxy itself is not connected, the backend has no health check that finds the primary. Writes sent there fail (read-only transaction) or, worse, go to a node that is about to be promoted by mistake.\n\n' +
      'Check the primary endpoint of Patroni\'s REST API (`option httpchk GET /primary` with `check port 8008`), so that HAProxy marks replicas DOWN in this backend; if HAProxy says UP for a replica, the check reaches the wrong port.',
  },
  check(ctx) {
    const snapshot = ctx.workspace.live?.();
    if (!snapshot) return;
    for (const info of proxies(ctx.model)) {
      const backend = info.section.name?.text;
      if (info.section.type === 'frontend' || !backend) continue;
      const checksPrimary = routesToPrimary(info);
      if (!checksPrimary && roleFromName(backend) !== 'primary') continue;
      for (const s of info.servers) {
        const address = s.line.keyword === 'server' ? s.line.args[1] : undefined;
        if (!s.name || !address) continue;
        const checkPort = serverOption(info, s, 'port')?.value?.text;
        const at = memberAt(snapshot, [address.text]) ?? (checkPort ? memberAt(snapshot, [`${address.text.replace(/:[^:\]]*$/, '')}:${checkPort}`]) : undefined);
        if (!at || !(isReplicaRole(at.member.role) || at.member.writable === false)) continue;
        const seen = haproxyServer(snapshot, backend, s.name.text);
        // HAProxy's own word wins; without it, a backend whose check finds the primary is trusted to skip replicas.
        // `no check` takes traffic as UP does (health checks off, or `disable health` at runtime).
        const routed = seen ? /^UP\b/.test(seen.member.state) || seen.member.state === 'no check' : !checksPrimary;
        if (!routed) continue;
        const how = seen ? `HAProxy reports it ${seen.member.state} in ${backend}` : `${backend} has no health check that finds the primary`;
        ctx.report({
          start: address.start,
          end: address.end,
          message: `Write listener ${backend} routes to ${s.name.text} (${address.text}), which live ${clusterLabel(at.state)} reports as ${at.member.role} ${at.member.name}, and ${how}: writes sent there fail or reach the wrong node.`,
        });
      }
    }
  },
};
