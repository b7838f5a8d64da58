import type { PatroniModel } from '../../documents/yaml/patroni';
import { orphansOf, targetAtMember } from '../../live/match';
import type { Check } from '../../types';
import { clusterLabel, patroniLive } from './helpers';

export const splitBrain: Check<PatroniModel> = {
  id: 'live/split-brain',
  defaultSeverity: 'error',
  docs: {
    title: 'This member\'s PostgreSQL accepts writes while another member leads: split brain',
    summary:
      'Reported while connected to the cluster with PostgreSQL credentials (each member is asked `pg_is_in_recovery()`). The member this file configures runs a writable primary, but the cluster is led by another member: two primaries take writes and their data diverge. The usual cause is a Patroni agent that died (killed, out of memory) and left its PostgreSQL running, detached, while the others elected a new leader; a watchdog would have stopped it.\n\n' +
      'Stop this member\'s PostgreSQL now (`pg_ctl stop -D <data dir> -m fast`), then start its Patroni, which rejoins it as a replica (with `use_pg_rewind`); writes it took after the failover are lost unless recovered by hand. Enable the watchdog (`watchdog.mode: required`) so that it cannot happen again.',
  },
  check(ctx) {
    const live = patroniLive(ctx);
    if (!live) return;
    const { state, target } = live;
    const orphans = orphansOf(state);
    const name = target.name !== undefined && orphans.has(target.name) ? target.name : [...orphans].find((o) => state.members.some((m) => m.name === o && targetAtMember(target, m)));
    if (name === undefined) return;
    const leader = state.leader !== undefined && state.leader !== name ? ` while ${state.leader} leads` : '';
    ctx.report({ ...live.at, message: `${name} accepts writes${leader} in live ${clusterLabel(state)}: two primaries, split brain. Stop this member's PostgreSQL before it takes more writes, then let Patroni rejoin it as a replica.` });
  },
};
