// The pre-flights of the operators' own actions: CloudNativePG promote, restart and fencing, and
// PGO's (Crunchy) switchover. Each is a pure function of the state the action read (the provider's
// state plus action-facts.ts), judges every instance, and refuses in the words a DBA would use,
// quoting the operator's own phase where it says why it is busy.
import type { ClusterState, Member } from '../model';
import type { CandidateVerdict, Preflight } from '../actions/model';
import type { ActionFacts, PdbFact } from './action-facts';
import { factsOf } from './action-facts';
import { CNPG_HEALTHY } from './postgres-operators';

export type CnpgAction = 'promote' | 'restart' | 'fence' | 'unfence';

export interface CnpgActionOptions {
  /** promote: the instance (pod) to promote, or its number as `kubectl cnpg promote` takes it. fence/unfence: the instance, default `*` (all). */
  instance?: string;
}

export interface CrunchySwitchoverOptions {
  /** The pod or the instance (StatefulSet) to switch to; PGO's Patroni picks one when absent (Switchover only). */
  instance?: string;
  type?: 'Switchover' | 'Failover';
}

const OPERATOR_NAMES: Record<string, string> = { cnpg: 'CloudNativePG', crunchy: 'Crunchy PGO', zalando: 'Zalando', 'ot-redis': 'OT Redis' };
const detail = (s: ClusterState, key: string): unknown => (s.details ?? {})[key];
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function base(s: ClusterState, action: Preflight['action']): Preflight {
  return { action, kind: 'kubernetes', cluster: s.name, primary: s.leader, ok: false, blockers: [], warnings: [], candidates: [] };
}

/** Refusals that hold before anything is looked at: unreadable, not this operator's cluster. */
function gate(p: Preflight, s: ClusterState, operator: 'cnpg' | 'crunchy'): boolean {
  if (s.error) p.blockers.push(`the cluster could not be read: ${s.error}`);
  else if (detail(s, 'operator') !== operator) p.blockers.push(`${s.name} is not a ${OPERATOR_NAMES[operator]} cluster (${OPERATOR_NAMES[String(detail(s, 'operator'))] ?? 'unknown operator'})`);
  return p.blockers.length === 0;
}

/** The facts about a pod worth seeing next to any verdict: role, state, zone, timeline, restarts. */
function notesOf(m: Member, s: ClusterState): string[] {
  const notes = [`${m.role}, ${m.state}`];
  if (m.timeline !== undefined) notes.push(`timeline ${m.timeline}`);
  if (m.failureDomain) notes.push(`in ${m.failureDomain}`);
  const primary = s.members.find((x) => x.name === s.leader);
  if (primary && primary.name !== m.name && primary.failureDomain && primary.failureDomain === m.failureDomain) notes.push(`same failure domain as the primary (${m.failureDomain}): a zone outage takes both`);
  if (m.detail) notes.push(m.detail);
  return notes;
}

const isFenced = (f: ActionFacts, name: string) => Array.isArray(f.fencedInstances) && (f.fencedInstances.includes('*') || f.fencedInstances.includes(name));

/** The operator is busy or holding back: its phase in its own words, a switchover under way, reconciliation off. */
function cnpgBusy(s: ClusterState): string[] {
  const out: string[] = [];
  const phase = text(detail(s, 'phase'));
  const reason = text(detail(s, 'phaseReason'));
  if (phase && phase !== CNPG_HEALTHY) out.push(`the operator reports "${phase}"${reason ? ` (${reason})` : ''}: wait for "${CNPG_HEALTHY}"`);
  const current = text(detail(s, 'currentPrimary'));
  const target = text(detail(s, 'targetPrimary'));
  if (current && target && current !== target) out.push(`a switchover from ${current} to ${target} is already under way (status.targetPrimary)`);
  if (s.paused) out.push('reconciliation is suspended (cnpg.io/reconciliationLoop disabled, or hibernation on): the operator would not act on it');
  return out;
}

/** The instance `kubectl cnpg` means: a bare number is `CLUSTER-N`. */
export function cnpgInstanceName(s: ClusterState, given: string): string {
  return /^\d+$/.test(given) ? `${s.name.split('/')[1] ?? ''}-${given}` : given;
}

function promoteVerdict(m: Member, s: ClusterState, f: ActionFacts): CandidateVerdict {
  const reasons: string[] = [];
  const notes = notesOf(m, s);
  if (m.health !== 'ok') reasons.push(`it is ${m.state}: not ready`);
  if (isFenced(f, m.name)) reasons.push('it is fenced (cnpg.io/fencedInstances): its PostgreSQL is stopped and the plugin refuses to promote it');
  const healthy = (detail(s, 'instancesStatus') as { healthy?: unknown } | undefined)?.healthy;
  if (Array.isArray(healthy) && !healthy.includes(m.name)) {
    const where = Object.entries((detail(s, 'instancesStatus') as Record<string, unknown>) ?? {}).find(([, v]) => Array.isArray(v) && v.includes(m.name))?.[0];
    reasons.push(`the operator does not count it healthy${where ? ` (instancesStatus: ${where})` : ''}`);
  }
  const timeline = detail(s, 'timeline');
  if (typeof timeline === 'number' && m.timeline !== undefined && m.timeline < timeline) reasons.push(`it is on timeline ${m.timeline}, the cluster on ${timeline}: it has not followed the last promotion`);
  // The Cluster status carries no lag; the instance manager waits for the WAL it received to be replayed.
  notes.push('lag not reported by the Cluster status: the new primary first replays the WAL it has received');
  return { member: m.name, safe: reasons.length === 0, reasons, notes };
}

function pdbJudgement(p: Preflight, s: ClusterState, pdbs: readonly PdbFact[] | undefined): void {
  if (!pdbs) {
    p.warnings.push('the PodDisruptionBudgets could not be read: the pre-flight cannot tell whether a replica is already missing');
    return;
  }
  for (const b of pdbs) {
    const onlyPrimary = b.members.length > 0 && b.members.every((m) => m === s.leader);
    const health = b.currentHealthy !== undefined && b.desiredHealthy !== undefined ? ` (${b.currentHealthy} healthy, ${b.desiredHealthy} needed)` : '';
    if (b.disruptionsAllowed === undefined) p.warnings.push(`PodDisruptionBudget ${b.name} has no status yet`);
    // The primary's own budget never allows a disruption: the operator switches over instead of evicting it.
    else if (onlyPrimary) continue;
    else if (b.disruptionsAllowed === 0) p.blockers.push(`PodDisruptionBudget ${b.name} allows no disruption now${health}: an instance it covers is already down or not ready; restarting another one would leave too few`);
  }
}

/** The pre-flight of a CloudNativePG action on the state read just before it. Pure. */
export function cnpgPreflight(s: ClusterState, action: CnpgAction, o: CnpgActionOptions = {}): Preflight {
  const p = base(s, action);
  if (!gate(p, s, 'cnpg')) return p;
  const f = factsOf(s);
  if (f.fencedInstances === 'invalid') p.blockers.push('the cnpg.io/fencedInstances annotation is not a JSON list of instances: CloudNativePG rejects it; fix it first');
  for (const split of s.problems.filter((x) => x.code === 'split-brain')) p.blockers.push(split.message);
  switch (action) {
    case 'promote':
      return cnpgPromote(p, s, f, o);
    case 'restart':
      return cnpgRestart(p, s, f);
    default:
      return cnpgFencing(p, s, f, action === 'fence', o.instance === undefined ? '*' : cnpgInstanceName(s, o.instance));
  }
}

function cnpgPromote(p: Preflight, s: ClusterState, f: ActionFacts, o: CnpgActionOptions): Preflight {
  p.blockers.push(...cnpgBusy(s));
  p.candidates = s.members.filter((m) => m.name !== s.leader && m.role !== 'primary').map((m) => promoteVerdict(m, s, f));
  if (o.instance === undefined) {
    p.blockers.push(`name the instance to promote: CloudNativePG does not choose one (safe: ${p.candidates.filter((c) => c.safe).map((c) => c.member).join(', ') || 'none'})`);
    return p;
  }
  const target = cnpgInstanceName(s, o.instance);
  p.target = target;
  if (!s.members.some((m) => m.name === target)) p.blockers.push(`${target} is not an instance of ${s.name} (instances: ${s.members.map((m) => m.name).join(', ') || 'none'})`);
  else if (target === s.leader || target === text(detail(s, 'targetPrimary'))) p.blockers.push(`${target} is already the primary`);
  if (!s.leader) p.warnings.push('no pod is labelled primary: the operator may be failing over by itself');
  const mismatch = s.problems.find((x) => x.code === 'primary-mismatch');
  if (mismatch) p.warnings.push(mismatch.message);
  if (s.leader && s.leader !== target) p.warnings.push(`${s.leader} is shut down cleanly first (switchoverDelay bounds the wait): writes stop until ${target} is promoted`);
  p.ok = p.blockers.length === 0 && p.candidates.some((c) => c.member === target && c.safe);
  return p;
}

function cnpgRestart(p: Preflight, s: ClusterState, f: ActionFacts): Preflight {
  p.blockers.push(...cnpgBusy(s));
  pdbJudgement(p, s, f.pdbs);
  p.candidates = s.members.map((m) => {
    const reasons: string[] = [];
    if (m.health !== 'ok') reasons.push(`it is ${m.state}: the operator waits for every instance to be ready before restarting any, so the restart would stall`);
    const notes = notesOf(m, s);
    if (isFenced(f, m.name)) notes.push('fenced: it stays stopped after its restart');
    return { member: m.name, safe: reasons.length === 0, reasons, notes };
  });
  if (!p.candidates.length) p.blockers.push('there is no instance to restart');
  p.target = s.members.map((m) => m.name).join(',');
  const method = f.primaryUpdateMethod ?? 'restart';
  p.warnings.push(`every instance is restarted, replicas first; then the primary ${method === 'switchover' ? 'hands over to a replica (primaryUpdateMethod: switchover)' : 'restarts in place (primaryUpdateMethod: restart): writes stop until it is back'}`);
  if (f.primaryUpdateStrategy === 'supervised') p.warnings.push('primaryUpdateStrategy is supervised: the operator waits for you to promote a replica or restart the primary (phase "Waiting for user action")');
  p.ok = p.blockers.length === 0 && p.candidates.length > 0 && p.candidates.every((c) => c.safe);
  return p;
}

function cnpgFencing(p: Preflight, s: ClusterState, f: ActionFacts, on: boolean, instance: string): Preflight {
  const fenced = Array.isArray(f.fencedInstances) ? f.fencedInstances : [];
  p.target = instance;
  const all = instance === '*';
  if (!all && !s.members.some((m) => m.name === instance)) p.blockers.push(`${instance} is not an instance of ${s.name} (instances: ${s.members.map((m) => m.name).join(', ') || 'none'})`);
  if (on) {
    if (fenced.includes('*')) p.blockers.push('every instance is already fenced');
    else if (!all && fenced.includes(instance)) p.blockers.push(`${instance} is already fenced`);
    if (all) p.warnings.push('every instance stops PostgreSQL: the cluster serves nothing until it is unfenced');
    else if (instance === s.leader) p.warnings.push(`${instance} is the primary: writes stop, and CloudNativePG does not fail over a fenced primary`);
    else p.warnings.push(`${instance} stops PostgreSQL and leaves the read services`);
  } else {
    if (!fenced.length) p.blockers.push('no instance is fenced');
    else if (!all && fenced.includes('*')) p.blockers.push('the whole cluster is fenced: CloudNativePG unfences it only as a whole (*)');
    else if (!all && !fenced.includes(instance)) p.blockers.push(`${instance} is not fenced (fenced: ${fenced.join(', ')})`);
  }
  const phase = text(detail(s, 'phase'));
  if (phase && phase !== CNPG_HEALTHY) p.warnings.push(`the operator reports "${phase}"`);
  const targets = all ? s.members : s.members.filter((m) => m.name === instance);
  p.candidates = targets.map((m) => ({ member: m.name, safe: true, reasons: [], notes: [...notesOf(m, s), ...(isFenced(f, m.name) ? ['fenced now'] : [])] }));
  p.ok = p.blockers.length === 0;
  return p;
}

/** The instance PGO names as targetInstance for a pod or instance name. */
export function crunchyInstanceOf(s: ClusterState, given: string): string | undefined {
  const of = factsOf(s).instanceOf ?? {};
  if (of[given]) return of[given];
  return Object.values(of).includes(given) ? given : undefined;
}

/** The pre-flight of a PGO switchover (or failover) on the state read just before it. Pure. */
export function crunchySwitchoverPreflight(s: ClusterState, o: CrunchySwitchoverOptions = {}): Preflight {
  const type = o.type ?? 'Switchover';
  const p = base(s, type === 'Failover' ? 'failover' : 'switchover');
  if (!gate(p, s, 'crunchy')) return p;
  const f = factsOf(s);
  if (detail(s, 'phase') === 'Shutdown') p.blockers.push('the cluster is shut down (spec.shutdown): there is nothing to switch over');
  if (s.paused) p.blockers.push('reconciliation is paused (spec.paused): PGO would not act on the request');
  if (s.members.length <= 1) p.blockers.push('PGO needs more than one instance to switch over');
  const sw = f.switchover;
  if (sw?.enabled && sw.trigger && sw.trigger !== sw.completed) p.blockers.push(`a switchover requested at "${sw.trigger}" has not completed (status.patroni.switchover: ${sw.completed ?? 'none'}): see the operator's log, or disable spec.patroni.switchover to reset it`);
  if (!s.leader && type === 'Switchover') p.blockers.push('no pod is labelled primary: a switchover needs a primary to hand over from; use a failover to a named instance');
  for (const split of s.problems.filter((x) => x.code === 'split-brain')) p.blockers.push(split.message);
  if (type === 'Failover' && s.leader) p.warnings.push(`${s.leader} is primary: a failover skips Patroni's switchover checks; prefer a switchover`);
  p.candidates = s.members
    .filter((m) => m.name !== s.leader && m.role !== 'primary')
    .map((m) => {
      const reasons: string[] = [];
      if (m.health !== 'ok') reasons.push(`it is ${m.state}: not ready`);
      if (!f.instanceOf?.[m.name]) reasons.push('its pod has no postgres-operator.crunchydata.com/instance label: PGO cannot name it');
      const notes = notesOf(m, s);
      if (f.instanceOf?.[m.name]) notes.push(`instance ${f.instanceOf[m.name]}`);
      notes.push('lag not in the PostgresCluster status: Patroni refuses a candidate past maximum_lag_on_failover');
      return { member: m.name, safe: reasons.length === 0, reasons, notes };
    });
  if (o.instance === undefined) {
    if (type === 'Failover') p.blockers.push('PGO requires a target instance for a failover');
    const safe = p.candidates.filter((c) => c.safe).map((c) => c.member);
    if (!safe.length) p.blockers.push(p.candidates.length ? 'no instance can take over: each one is refused below' : 'there is no other instance to take over');
    else p.warnings.push(`no instance named: Patroni chooses among ${safe.join(', ')}`);
    p.ok = p.blockers.length === 0;
    return p;
  }
  const instance = crunchyInstanceOf(s, o.instance);
  const pod = Object.entries(f.instanceOf ?? {}).find(([, i]) => i === instance)?.[0] ?? o.instance;
  p.target = pod;
  if (!instance) p.blockers.push(`${o.instance} is not an instance of ${s.name} (instances: ${Object.values(f.instanceOf ?? {}).join(', ') || 'none'})`);
  else if (pod === s.leader) p.blockers.push(`${pod} (${instance}) is already the primary`);
  p.ok = p.blockers.length === 0 && p.candidates.some((c) => c.member === pod && c.safe);
  return p;
}
