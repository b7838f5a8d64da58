// What is wrong with an operator's cluster, judged the same way for every operator: its pods'
// role labels and readiness against what the resource asks for and what its status says.
import type { ClusterState, LiveProblem, Member } from '../model';
import { overallHealth } from '../model';
import type { OperatorName } from './options';

/** A custom resource as the API server returns it: plain JSON. */
export interface Resource {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string>; resourceVersion?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
export const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Problems of the primary: none labelled, more than one, or not ready. */
export function primaryProblems(members: readonly Member[], what = 'pod'): LiveProblem[] {
  const primaries = members.filter((m) => m.role === 'primary');
  const out: LiveProblem[] = [];
  if (primaries.length === 0) out.push({ code: 'no-primary', severity: 'error', message: `no ${what} is labelled primary` });
  if (primaries.length > 1)
    out.push({ code: 'split-brain', severity: 'error', message: `${primaries.length} ${what}s are labelled primary: ${primaries.map((m) => m.name).join(', ')}`, member: primaries[1].name });
  for (const p of primaries) {
    if (p.health !== 'ok') out.push({ code: 'primary-not-ready', severity: 'error', message: `primary ${p.name} is not ready (${p.state})`, member: p.name });
  }
  return out;
}

/** A warning when fewer instances are ready than the resource asks for. */
export function readinessProblem(ready: number | undefined, wanted: number | undefined, noun = 'instances'): LiveProblem[] {
  if (ready === undefined || wanted === undefined || ready >= wanted) return [];
  return [{ code: 'not-ready', severity: 'warning', message: `${ready} of ${wanted} ${noun} ready` }];
}

/** The operator's own word for the cluster's state, when it is not the healthy one. */
export function phaseProblem(phase: string | undefined, healthy: string, failed: RegExp, reason?: string): LiveProblem[] {
  if (phase === undefined || phase === healthy) return [];
  const severity = failed.test(phase) ? 'error' : 'warning';
  return [{ code: 'phase', severity, message: `operator reports: ${phase}${reason ? ` (${reason})` : ''}` }];
}

export interface StateParts {
  operator: OperatorName;
  resource: Resource;
  /** `clusters.postgresql.cnpg.io`: which kind of resource it is. */
  resourceName: string;
  members: Member[];
  problems: LiveProblem[];
  source: string;
  observedAt: string;
  leader?: string;
  paused?: boolean;
  details: Record<string, unknown>;
}

/** Assembles a ClusterState named `namespace/name`, its health the worst of members and problems. */
export function clusterState(parts: StateParts): ClusterState {
  const meta = parts.resource.metadata ?? {};
  const details: Record<string, unknown> = { operator: parts.operator, resource: parts.resourceName, kind: parts.resource.kind };
  for (const [k, v] of Object.entries(parts.details)) if (v !== undefined) details[k] = v;
  const state: ClusterState = {
    kind: 'kubernetes',
    name: `${meta.namespace ?? ''}/${meta.name ?? ''}`,
    source: parts.source,
    observedAt: parts.observedAt,
    ...(parts.leader ? { leader: parts.leader } : {}),
    ...(parts.paused ? { paused: true } : {}),
    members: parts.members,
    health: 'unknown',
    problems: parts.problems,
    details,
  };
  state.health = overallHealth(state);
  return state;
}

export const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name, 'en', { numeric: true });
