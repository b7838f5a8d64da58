import { sentinelView } from '../redis/sentinel-rules';
import type { RedisModel } from '../../documents/redis';
import { readClusters, sameAddress } from '../../live/match';
import type { Check } from '../../types';

export const sentinelMasterMoved: Check<RedisModel> = {
  id: 'live/sentinel-master-moved',
  defaultSeverity: 'warning',
  docs: {
    title: 'Sentinel\'s live master is not the one this file monitors',
    summary:
      'Reported while connected to the Sentinels. The master Sentinel reports now for a name (`SENTINEL GET-MASTER-ADDR-BY-NAME`) is at another address than this file\'s `sentinel monitor` line: a failover happened since the file was written. A running Sentinel rewrites its own copy, but a copy kept in version control or configuration management still names the old master, and a Sentinel deployed from it starts by monitoring a node that is now a replica.\n\n' +
      'Update the address in the kept copy (and `known-replica` lines), or deploy Sentinel configurations without `sentinel monitor` addresses that go stale (for example, rendered from the live master at deploy time).',
  },
  check(ctx) {
    const clusters = readClusters(ctx.workspace.live?.(), 'sentinel');
    if (clusters.length === 0) return;
    for (const m of sentinelView(ctx.model).masters.values()) {
      const state = clusters.find((c) => c.name === m.name);
      if (!state) continue;
      const master = state.members.find((x) => x.role === 'primary') ?? state.members.find((x) => x.name === state.leader);
      const live = master?.address ?? master?.name;
      if (!live || sameAddress(live, `${m.host}:${m.port}`)) continue;
      const [, host, port] = m.monitor.args;
      ctx.report({
        start: host.start,
        end: port.end,
        message: `Sentinel now reports ${live} as the master of ${m.name}${state.source ? ` (read from ${state.source})` : ''}, not ${m.host}:${m.port} as this file says: a Sentinel started from this file monitors a node that is no longer the master.`,
      });
    }
  },
};
