import type { PatroniModel } from '../../documents/yaml/patroni';
import { DCS_SECTIONS, keyRange } from '../../documents/yaml/patroni';
import type { Check } from '../../types';
import { deletePairFix } from './helpers';

export const dcsMultiple: Check<PatroniModel> = {
  id: 'patroni/dcs-multiple',
  defaultSeverity: 'warning',
  docs: {
    title: 'Several DCS sections: Patroni uses only one',
    summary:
      'Patroni connects to exactly one DCS. When the file has several DCS sections it takes the first one in its own (alphabetical) order — consul, etcd, etcd3, exhibitor, kubernetes, raft, zookeeper — and ignores the others. Members configured differently could then hold locks in different stores: a split brain.\n\nKeep only the section of the store the cluster uses; the quick fix removes an ignored one.',
    bad: 'etcd:\n  host: 10.0.0.11:2379\nconsul:\n  host: 10.0.0.21:8500\n',
    good: 'etcd:\n  host: 10.0.0.11:2379\n',
  },
  check(ctx) {
    const config = ctx.model.config;
    if (!config) return;
    const present = [...DCS_SECTIONS].sort().filter((s) => s in config);
    if (present.length < 2) return;
    const [used, ...ignored] = present;
    for (const s of ignored) {
      const r = keyRange(ctx.model, [s]);
      if (!r) continue;
      const fix = deletePairFix(ctx.model, [s], `Remove the ignored \`${s}\` section`);
      ctx.report({ start: r.start, end: r.end, message: `Patroni uses \`${used}\` and ignores \`${s}\`: keep a single DCS section.`, fixes: fix ? [fix] : [] });
    }
  },
};
