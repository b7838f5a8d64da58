import type { HaproxyModel, Token } from '../../documents/haproxy';
import type { Check } from '../../types';
import { insertAfterHeader } from './edits';
import { findOption } from '../../documents/haproxy/options';
import { PATRONI_PORTS, proxies, serverChecked, serverOption } from './proxies';

export const patroniTcpCheck: Check<HaproxyModel> = {
  id: 'haproxy/patroni-tcp-check',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: 'TCP health check against Patroni\'s REST API port',
    summary:
      'Pointing `check port 8008` at Patroni only proves that the REST API accepts TCP connections, which is true on every member, primary or replica. Without `option httpchk` the backend therefore sends writes to replicas (they fail) and keeps routing to the old primary after a failover.\n\nUse an HTTP check of the role endpoint: `option httpchk OPTIONS /primary` with `http-check expect status 200` for the write listener (`/replica` or `/read-only` for read listeners). The quick fix inserts the primary variant.',
    bad: 'listen pg\n  bind :5000\n  server pg1 10.0.0.1:5432 check port 8008\n',
    good: 'listen pg\n  bind :5000\n  option httpchk OPTIONS /primary\n  http-check expect status 200\n  server pg1 10.0.0.1:5432 check port 8008\n',
  },
  check(ctx) {
    for (const info of proxies(ctx.model)) {
      if (info.healthCheck?.kind === 'httpchk' || info.healthCheck?.kind === 'external-check') continue;
      const patroniNamed = /patroni/i.test(info.section.name?.text ?? '');
      let hit: Token | undefined;
      for (const server of info.servers) {
        if (!serverChecked(info, server)) continue;
        const port = serverOption(info, server, 'port')?.value;
        if (!port) continue;
        const trafficPort = /:(\d+)$/.exec(server.line.args[1]?.text ?? '')?.[1];
        // Balancing the REST API itself (traffic port = check port) is not a database listener.
        if (trafficPort === port.text) continue;
        if (PATRONI_PORTS.has(port.text) || patroniNamed) {
          hit = findOption(server.options, 'port')?.values[0] ?? port;
          break;
        }
      }
      if (!hit) continue;
      ctx.report({
        start: hit.start,
        end: hit.end,
        message: `Health checks go to Patroni's REST port ${hit.text} over plain TCP, which succeeds on every member: writes can reach replicas. Add "option httpchk OPTIONS /primary" (or /replica for a read listener) and "http-check expect status 200".`,
        fixes: [
          {
            title: 'Check the primary role over HTTP (option httpchk OPTIONS /primary)',
            edits: [insertAfterHeader(ctx.model.file.text, info.section, ['option httpchk OPTIONS /primary', 'http-check expect status 200'])],
            preferred: true,
          },
        ],
      });
    }
  },
};
