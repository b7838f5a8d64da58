import type { HaproxyModel } from '../../documents/haproxy';
import type { Check } from '../../types';
import { appendToLine } from './edits';
import { findOption } from '../../documents/haproxy/options';
import { proxies, serverChecked } from './proxies';

export const missingCheck: Check<HaproxyModel> = {
  id: 'haproxy/missing-check',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: 'Servers without "check" in a proxy that configures health checks',
    summary:
      'A health check (`option httpchk`, `option pgsql-check`, `tcp-check` rules, ...) only runs on servers that carry the `check` option, either on their own line or through `default-server`. A server without it is always considered up: after a failover HAProxy keeps sending traffic to the old primary or to a dead node.\n\nAdd `check` to the server line (quick fix) or to `default-server`.',
    bad: 'backend db\n  option httpchk OPTIONS /primary\n  server pg1 10.0.0.1:5432 check port 8008\n  server pg2 10.0.0.2:5432 port 8008\n',
    good: 'backend db\n  option httpchk OPTIONS /primary\n  server pg1 10.0.0.1:5432 check port 8008\n  server pg2 10.0.0.2:5432 check port 8008\n',
  },
  check(ctx) {
    for (const info of proxies(ctx.model)) {
      const configured = info.healthCheck !== undefined || info.checkRules.length > 0;
      const anyChecked = info.servers.some((s) => serverChecked(info, s));
      if (!configured && !anyChecked) continue;
      for (const server of info.servers) {
        if (serverChecked(info, server) || findOption(server.options, 'track') || findOption(server.options, 'no-check')) continue;
        if (server.line.keyword !== 'server' || !server.name || server.options.unknown) continue;
        const why = info.healthCheck ? `"${info.healthCheck.line.keyword}" is configured` : 'other servers are checked';
        ctx.report({
          start: server.name.start,
          end: server.name.end,
          message: `Server "${server.name.text}" has no "check" although ${why}: HAProxy will always consider it up, even when it is down or no longer the primary. Add "check".`,
          fixes: [{ title: 'Add "check" to this server', edits: [appendToLine(server.line, 'check')], preferred: true }],
        });
      }
    }
  },
};
