import type { PatroniModel } from '../../documents/yaml/patroni';
import { keyRange, toBool, valueAt } from '../../documents/yaml/patroni';
import type { Check } from '../../types';
import { clusterLabel, patroniLive } from './helpers';

const DCS = ['bootstrap', 'dcs'];

export const syncStandbyMissing: Check<PatroniModel> = {
  id: 'live/sync-standby-missing',
  defaultSeverity: 'warning',
  docs: {
    title: 'The file asks for synchronous replication, the live cluster has no synchronous standby',
    summary:
      'Reported while connected to the cluster (the HA Clusters view, or `hatopo check --live`). The file turns `synchronous_mode` on, but the cluster it belongs to (same `scope`) has no member in the `sync_standby` role now: either no standby is healthy enough to be chosen, or the cluster runs with another configuration than this file (`bootstrap.dcs` only applies when a cluster is created; `patronictl edit-config` changes it later).\n\n' +
      'Without a synchronous standby, commits are acknowledged by the primary alone and a failover can lose them; with `synchronous_mode_strict` writes stop instead. Bring a standby back (`patronictl list` shows its state) or make the file say what the cluster runs.',
  },
  check(ctx) {
    const mode = valueAt(ctx.model, [...DCS, 'synchronous_mode']);
    if (mode !== 'quorum' && toBool(mode) !== true) return;
    const live = patroniLive(ctx);
    if (!live) return;
    const { state } = live;
    if (state.members.some((m) => m.role === 'sync-standby' || m.syncState === 'sync' || m.syncState === 'quorum')) return;
    const at = keyRange(ctx.model, [...DCS, 'synchronous_mode']);
    if (!at) return;
    const strict = toBool(valueAt(ctx.model, [...DCS, 'synchronous_mode_strict'])) === true;
    const effect = strict
      ? 'with synchronous_mode_strict, writes on the primary wait until a standby is synchronous again'
      : 'commits are acknowledged by the primary alone, so a failover now can lose them';
    ctx.report({ ...at, message: `synchronous_mode is on here, but live ${clusterLabel(state)} has no synchronous standby: ${effect}.` });
  },
};
