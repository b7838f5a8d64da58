import type { PatroniModel } from '../../documents/yaml/patroni';
import { DCS_SECTIONS } from '../../documents/yaml/patroni';
import type { Check } from '../../types';

export const dcsMissing: Check<PatroniModel> = {
  id: 'patroni/dcs-missing',
  defaultSeverity: 'error',
  docs: {
    title: 'No DCS section: Patroni has nowhere to keep the leader lock',
    summary:
      'Patroni needs a distributed configuration store (DCS) for the leader lock and the cluster state: one of `etcd`, `etcd3`, `consul`, `zookeeper`, `exhibitor`, `kubernetes` or `raft`. Without one it does not start.\n\nAdd the section for the store you run (or set it through `PATRONI_<DCS>_*` environment variables and turn this check off for the file).',
    bad: 'scope: demo\nname: pg1\n',
    good: 'scope: demo\nname: pg1\netcd3:\n  hosts: 10.0.0.11:2379,10.0.0.12:2379,10.0.0.13:2379\n',
  },
  check(ctx) {
    const config = ctx.model.config;
    const contents = ctx.model.document?.doc.contents;
    // A file that does not parse may hide its DCS section behind the error: report the error alone.
    if (!config || !contents?.range || ctx.model.document?.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return;
    if (DCS_SECTIONS.some((s) => s in config)) return;
    const firstKey = ctx.model.document?.doc.contents && 'items' in contents ? (contents.items[0] as { key?: { range?: [number, number, number] } } | undefined)?.key?.range : undefined;
    const [start, end] = firstKey ?? contents.range;
    ctx.report({ start, end, message: `No DCS section: add one of ${DCS_SECTIONS.join(', ')} so Patroni can hold the leader lock.` });
  },
};
