import { shown } from '../../shown';
import type { Directive, RedisModel } from '../../documents/redis';
import type { Check } from '../../types';
import { sentinelView } from './sentinel-rules';

export const staleKnownSentinel: Check<RedisModel> = {
  id: 'sentinel/stale-known-sentinel',
  defaultSeverity: 'warning',
  docs: {
    title: 'Two `known-sentinel` lines with one address but different ids',
    summary:
      'Sentinel remembers the other Sentinels by id. When a Sentinel is rebuilt (a new container, a deleted `myid`), it comes back with a new id ' +
      'on the same address and the old entry stays in the generated block. Every remembered Sentinel counts when votes are needed: a failover ' +
      'must be authorised by a majority of all the Sentinels known, so stale entries make that majority larger and can block failovers. ' +
      'Remove the stale entry (or run `SENTINEL RESET <master>` on every Sentinel, one at a time).',
    bad: 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel known-sentinel mymaster 10.0.0.7 26379 4c5b1bd0c4b6c4a4d1e1c8e0a7f5b4b9c1d2e3f4\nsentinel known-sentinel mymaster 10.0.0.7 26379 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432\n',
    good: 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel known-sentinel mymaster 10.0.0.7 26379 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432\n',
  },
  check(ctx) {
    for (const m of sentinelView(ctx.model).masters.values()) {
      const byAddress = new Map<string, Directive>();
      for (const d of m.directives) {
        if (d.sub !== 'known-sentinel' || d.args.length !== 4) continue;
        const address = `${d.args[1].value}:${d.args[2].value}`;
        const prev = byAddress.get(address);
        if (prev && prev.args[3].value !== d.args[3].value) {
          ctx.report({
            start: d.start,
            end: d.end,
            message: `Sentinel ${shown(address)} of master '${shown(m.name)}' is listed again with another id (first on line ${prev.line + 1}): one entry is stale and makes the failover majority larger. Remove the stale entry or run SENTINEL RESET ${shown(m.name)}.`,
            related: [{ start: prev.start, end: prev.end, message: `Sentinel ${shown(address)} first listed here` }],
          });
        }
        if (!prev) byAddress.set(address, d);
      }
    }
  },
};
