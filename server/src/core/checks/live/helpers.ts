// What the drift checks of a patroni.yml share: the member it configures and the live cluster it belongs to.
import type { PatroniModel } from '../../documents/yaml/patroni';
import type { PatroniMatch } from '../../live/match';
import { matchPatroni } from '../../live/match';
import { pairSpan, patroniTargets } from '../../live/targets';
import type { CheckContext, LiveTargetFact } from '../../types';

export interface PatroniLive extends PatroniMatch {
  target: LiveTargetFact;
  /** Where to report about this member: its `name:` line (else `scope:`, else the file's start). */
  at: { start: number; end: number };
}

/** The file's member and its live cluster; undefined without a snapshot or when no connected cluster is this one. */
export function patroniLive(ctx: CheckContext<PatroniModel>): PatroniLive | undefined {
  const snapshot = ctx.workspace.live?.();
  if (!snapshot) return undefined;
  const target = patroniTargets(ctx.model)[0];
  if (!target) return undefined;
  const match = matchPatroni(snapshot, target);
  if (!match) return undefined;
  const at = pairSpan(ctx.model, ['name']) ?? pairSpan(ctx.model, ['scope']) ?? { start: 0, end: 0 };
  return { ...match, target, at };
}

/** How a live cluster is named in messages: `cluster demo (read from http://10.0.0.1:8008)`. */
export function clusterLabel(state: { name: string; source: string }): string {
  return state.source ? `cluster ${state.name} (read from ${state.source})` : `cluster ${state.name}`;
}
