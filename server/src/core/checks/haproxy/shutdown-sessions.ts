import type { HaproxyModel } from '../../documents/haproxy';
import type { Check, TextEdit } from '../../types';
import { appendToLine } from './edits';
import { proxies, routesToPrimary, serverChecked, serverOption } from './proxies';

export const shutdownSessions: Check<HaproxyModel> = {
  id: 'haproxy/shutdown-sessions',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: 'Primary listeners that keep sessions to a demoted primary',
    summary:
      'When a health check marks the old primary down, HAProxy stops sending *new* connections to it but leaves established ones open. Clients with pooled or long-lived connections keep writing to a node that is no longer the primary (and may be fenced or rejoining as a replica). `on-marked-down shutdown-sessions` closes those sessions so clients reconnect to the new primary.\n\nThis applies to listeners whose check selects the primary (`/primary`, `/master`, `/leader`, `/read-write`, or a Redis `role:master` tcp-check). The quick fix adds the option to `default-server`, or to each server line when there is no `default-server`.',
    bad: 'listen pg\n  bind :5000\n  option httpchk OPTIONS /primary\n  server pg1 10.0.0.1:5432 check port 8008\n',
    good: 'listen pg\n  bind :5000\n  option httpchk OPTIONS /primary\n  default-server on-marked-down shutdown-sessions\n  server pg1 10.0.0.1:5432 check port 8008\n',
  },
  check(ctx) {
    for (const info of proxies(ctx.model)) {
      if (!routesToPrimary(info)) continue;
      const checked = info.servers.filter((s) => serverChecked(info, s));
      const missing = checked.filter((s) => serverOption(info, s, 'on-marked-down')?.value?.text !== 'shutdown-sessions');
      if (missing.length === 0) continue;
      let anchor = info.checkPath?.line ?? info.redisMasterCheck ?? info.healthCheck?.line;
      if (!anchor || anchor.start < info.section.start) anchor = info.section.header;
      const ownDefault = info.defaultServers.find((d) => info.section.lines.includes(d.line));
      const edits: TextEdit[] = ownDefault && !ownDefault.options.unknown ? [appendToLine(ownDefault.line, 'on-marked-down shutdown-sessions')] : missing.map((s) => appendToLine(s.line, 'on-marked-down shutdown-sessions'));
      const first = anchor.keywordTokens[0];
      ctx.report({
        start: first.start,
        end: anchor.tokens[anchor.tokens.length - 1].end,
        message: `This listener selects the primary, but ${missing.length === checked.length ? 'its servers lack' : `${missing.length} of its servers lack`} "on-marked-down shutdown-sessions": after a failover, existing client sessions stay on the old primary. Add it to default-server.`,
        fixes: [{ title: ownDefault ? 'Add "on-marked-down shutdown-sessions" to default-server' : 'Add "on-marked-down shutdown-sessions" to the servers', edits, preferred: true }],
      });
    }
  },
};
