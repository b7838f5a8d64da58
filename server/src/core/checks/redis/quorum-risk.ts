import { shown } from '../../shown';
import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { sentinelView } from './sentinel-rules';

export const quorumRisk: Check<RedisModel> = {
  id: 'sentinel/quorum-risk',
  defaultSeverity: 'warning',
  docs: {
    title: 'A quorum of 1, or a quorum larger than the Sentinels that know the master',
    summary:
      'The quorum is how many Sentinels must agree that a master is unreachable. With a quorum of 1 a single Sentinel, cut off from the master ' +
      'by a network problem on its own side, declares the master down and starts the failover process; run at least three Sentinels on ' +
      'separate machines and use a majority (2 of 3, 3 of 5).\n\n' +
      'When the file lists the other Sentinels (`known-sentinel` lines, written by Sentinel itself) and the quorum is larger than that count plus ' +
      'this Sentinel, the master can never be declared down and no failover will ever happen. Lower the quorum or add Sentinels.',
    bad: 'sentinel monitor mymaster 10.0.0.1 6379 1\n',
    good: 'sentinel monitor mymaster 10.0.0.1 6379 2\n',
  },
  check(ctx) {
    for (const m of sentinelView(ctx.model).masters.values()) {
      const quorum = m.monitor.args[3];
      const ids = new Set(m.directives.filter((d) => d.sub === 'known-sentinel' && d.args.length === 4).map((d) => d.args[3].value));
      const total = ids.size + 1;
      if (ids.size > 0 && m.quorum > total) {
        ctx.report({ start: quorum.start, end: quorum.end, message: `Quorum ${m.quorum} is larger than the ${total} Sentinels that know master '${shown(m.name)}' (${ids.size} known-sentinel line${ids.size === 1 ? '' : 's'} plus this one): the master can never be declared down, so no failover happens. Lower the quorum to a majority (${Math.floor(total / 2) + 1}).` });
      } else if (m.quorum === 1 && !m.monitor.generated) {
        ctx.report({ start: quorum.start, end: quorum.end, message: `Quorum 1: a single Sentinel can declare master '${shown(m.name)}' down on its own, for instance when only its own network link fails. Run at least three Sentinels and set the quorum to a majority (2 of 3).` });
      }
    }
  },
};
