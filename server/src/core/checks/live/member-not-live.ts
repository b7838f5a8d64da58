import type { PatroniModel } from '../../documents/yaml/patroni';
import { orphansOf, targetAtMember } from '../../live/match';
import type { Check } from '../../types';
import { clusterLabel, patroniLive } from './helpers';

export const memberNotLive: Check<PatroniModel> = {
  id: 'live/member-not-live',
  defaultSeverity: 'warning',
  docs: {
    title: 'A member the file configures is missing from the live cluster, or down',
    summary:
      'Reported while connected to the cluster. The member this file configures (its `name`, or its `connect_address`) is not among the members the live cluster (same `scope`) lists, or is listed in a failed state. Patroni drops a member from the cluster once its agent stops renewing its key, so a missing member usually means its Patroni is not running; a stopped or crashed one means its PostgreSQL is down. The cluster then has fewer replicas to fail over to than the files describe.\n\n' +
      'Start the member (its Patroni service), or remove the file if the member was retired. The message counts the members described by the workspace\'s files and those live.',
  },
  check(ctx) {
    const live = patroniLive(ctx);
    if (!live) return;
    const { state, target } = live;
    const name = target.name ?? target.addresses[0] ?? 'this member';
    // A member asked through its file's address after Patroni dropped it is no member; a split brain is live/split-brain's.
    const member = live.member?.state === 'not in cluster' ? undefined : live.member;
    if ((member && member.health !== 'error') || (live.member && orphansOf(state).has(live.member.name))) return;
    // The members the workspace's files describe for this cluster, and how many of them are live.
    const described = (ctx.workspace.liveTargets?.() ?? []).filter((t) => t.kind === 'patroni' && (t.cluster === state.name || state.members.some((m) => targetAtMember(t, m))));
    const names = new Set(described.map((t) => t.name ?? t.uri));
    const running = state.members.filter((m) => m.health !== 'error' && described.some((t) => t.name === m.name || targetAtMember(t, m)));
    const count = names.size > 1 ? `${running.length} of the ${names.size} members the workspace's files describe are live, so ` : '';
    const what = member ? `is listed by live ${clusterLabel(state)} but ${member.state || 'down'}` : `is not a member of live ${clusterLabel(state)}`;
    ctx.report({ ...live.at, message: `${name} ${what}: ${count}the cluster has one replica fewer to fail over to than the files say.` });
  },
};
