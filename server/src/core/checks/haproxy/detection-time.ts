import type { HaproxyModel } from '../../documents/haproxy';
import type { Check } from '../../types';
import { isDatabaseProxy, proxies, serverChecked } from './proxies';
import { timingOf } from './timing';
import { formatMs } from './values';

export const detectionTime: Check<HaproxyModel> = {
  id: 'haproxy/detection-time',
  scope: 'region',
  defaultSeverity: 'information',
  docs: {
    title: 'How long HAProxy takes to notice a failed database node',
    summary:
      'A checked server is marked down after `fall` consecutive failed checks spaced `inter` apart (HAProxy defaults: `inter 2s`, `fall 3`, `rise 2`), so a failover is only visible to clients after roughly `inter × fall`. This note shows the computed time for each database proxy so it can be compared with Patroni\'s `ttl`/`loop_wait` or Sentinel\'s `down-after-milliseconds`.',
    bad: 'listen pg\n  bind :5000\n  option httpchk OPTIONS /primary\n  server pg1 10.0.0.1:5432 check port 8008 inter 3s fall 3\n',
  },
  check(ctx) {
    for (const info of proxies(ctx.model)) {
      if (!isDatabaseProxy(info)) continue;
      const server = info.servers.find((s) => serverChecked(info, s));
      if (!server?.name) continue;
      const t = timingOf(info, server);
      if (!t) continue;
      ctx.report({
        start: server.name.start,
        end: server.name.end,
        message: `A failed node is marked down after about ${formatMs(t.interMs * t.fall)} (inter ${formatMs(t.interMs)} × fall ${t.fall}) and back up after ${formatMs(t.interMs * t.rise)} (rise ${t.rise}).`,
      });
    }
  },
};
