import type { HaproxyModel } from '../../documents/haproxy';
import type { Check } from '../../types';
import { isDatabaseProxy, proxies, serverChecked } from './proxies';
import { timingOf } from './timing';
import { formatMs } from './values';

/** Above this, clients keep hitting a dead or demoted primary for longer than a typical Patroni failover. */
export const SLOW_DETECTION_MS = 30_000;

export const slowDetection: Check<HaproxyModel> = {
  id: 'haproxy/slow-detection',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: 'Health-check timing that is too slow or too jumpy for a database',
    summary:
      'When `inter × fall` exceeds 30 seconds, HAProxy keeps routing to a failed or demoted primary long after Patroni or Sentinel has promoted a new one. When `fall 1` or `rise 1` is used in front of a database, a single lost check packet takes a node out (or a flapping node back in), which causes needless disconnects. Lower `inter` (for example `inter 2s`) and keep `fall`/`rise` at 2–3.',
    bad: 'listen pg\n  bind :5000\n  option httpchk OPTIONS /primary\n  default-server inter 20s fall 3\n  server pg1 10.0.0.1:5432 check port 8008\n',
    good: 'listen pg\n  bind :5000\n  option httpchk OPTIONS /primary\n  default-server inter 3s fall 3 rise 2\n  server pg1 10.0.0.1:5432 check port 8008\n',
  },
  check(ctx) {
    for (const info of proxies(ctx.model)) {
      if (!isDatabaseProxy(info)) continue;
      const reported = new Set<number>();
      for (const server of info.servers) {
        if (!serverChecked(info, server) || !server.name) continue;
        const t = timingOf(info, server);
        if (!t) continue;
        const total = t.interMs * t.fall;
        const at = (tok = t.interToken ?? t.fallToken) => tok ?? server.name!;
        const report = (tokStart: number, tokEnd: number, message: string) => {
          if (reported.has(tokStart)) return;
          reported.add(tokStart);
          ctx.report({ start: tokStart, end: tokEnd, message });
        };
        if (total > SLOW_DETECTION_MS) {
          const tok = at();
          report(tok.start, tok.end, `Failure detection takes about ${formatMs(total)} (inter ${formatMs(t.interMs)} × fall ${t.fall}), more than ${formatMs(SLOW_DETECTION_MS)}: clients keep reaching a failed primary that long. Lower inter or fall.`);
        }
        if (t.fall === 1 && t.fallToken) report(t.fallToken.start, t.fallToken.end, '"fall 1" marks a database node down after a single failed check: one lost packet disconnects every client. Use fall 2 or 3.');
        if (t.rise === 1 && t.riseToken) report(t.riseToken.start, t.riseToken.end, '"rise 1" brings a node back after a single good check, so a flapping node keeps re-entering the pool. Use rise 2 or 3.');
      }
    }
  },
};
