import type { PatroniModel } from '../../documents/yaml/patroni';
import { DATA_ROLES, targetAtMember } from '../../live/match';
import { pairSpan } from '../../live/targets';
import type { Check } from '../../types';
import { clusterLabel, patroniLive } from './helpers';

export const memberUndescribed: Check<PatroniModel> = {
  id: 'live/member-undescribed',
  defaultSeverity: 'information',
  docs: {
    title: 'The live cluster has a member no file of the workspace configures',
    summary:
      'Reported while connected to the cluster, once per cluster (on the `scope` of the first of its files in the workspace). The live cluster lists a member that no patroni.yml of the workspace configures, neither by `name` nor by `connect_address`: a member added by hand, a leftover of a migration, or a file kept elsewhere. Reviews of the files then miss part of what runs.\n\n' +
      'Add the member\'s configuration to the workspace, or retire the member.',
  },
  check(ctx) {
    const live = patroniLive(ctx);
    if (!live) return;
    const { state } = live;
    const files = (ctx.workspace.liveTargets?.() ?? []).filter((t) => t.kind === 'patroni' && (t.cluster === state.name || state.members.some((m) => targetAtMember(t, m))));
    // One file speaks for the cluster, so the same news is not repeated in each member's file.
    const first = [...files.map((t) => t.uri), ctx.model.file.uri].sort()[0];
    if (first !== ctx.model.file.uri) return;
    const mine = [live.target, ...files];
    const at = pairSpan(ctx.model, ['scope']) ?? live.at;
    for (const m of state.members) {
      if (!DATA_ROLES.has(m.role) || mine.some((t) => t.name === m.name || targetAtMember(t, m))) continue;
      ctx.report({ ...at, message: `Live ${clusterLabel(state)} has member ${m.name}${m.address ? ` (${m.address})` : ''}, which no patroni.yml of the workspace configures.` });
    }
  },
};
