// Patroni's own actions through its REST API — switchover (now or scheduled, and its cancellation),
// failover, restart, reinitialise, pause and resume — each with a pre-flight that judges every
// member the way Patroni will, but says why in words (Patroni's 412 says only "no good candidates").
import type { HttpResponse } from '../http';
import { httpCall } from '../http';
import type { ClusterState, Member } from '../model';
import type { Provider } from '../provider';
import { DEFAULT_TIMEOUT_MS } from '../provider';
import type { PatroniOptions, PatroniTransport } from '../providers/patroni';
import { patroniProvider, restBase } from '../providers/patroni';
import { formatBytes } from '../format';
import { credentialsOf } from '../secrets';
import type { ActionKind, CandidateVerdict, Preflight } from './model';
import type { ActionSpec } from './run';

export type PatroniAction = Extract<ActionKind, 'switchover' | 'failover' | 'pause' | 'resume' | 'restart' | 'reinit' | 'cancel-switchover'>;

export interface PatroniActionOptions {
  /** The member to promote (switchover, failover) or to act on (restart, reinit). */
  member?: string;
  /** Switchover at this time (ISO 8601 with a zone) instead of now. */
  scheduledAt?: string;
  /** Restart only the members Patroni says need it (pending restart). */
  pendingOnly?: boolean;
  /** Failover of a leaderless cluster to a member the pre-flight would refuse for its lag or timeline. */
  force?: boolean;
}

const RUNNING = ['running', 'streaming'];
const LEADER_ROLES: ReadonlyArray<Member['role']> = ['primary', 'standby-leader'];

const detailOf = (s: ClusterState, key: string): unknown => (s.details ?? {})[key];
const syncModeOn = (s: ClusterState) => {
  const m = detailOf(s, 'synchronousMode');
  return m === true || m === 'on' || m === 'quorum';
};
const maxLag = (s: ClusterState): number => {
  const v = detailOf(s, 'maximumLagOnFailover');
  return typeof v === 'number' ? v : 1024 * 1024;
};
const problemOf = (s: ClusterState, code: string, member: string) => s.problems.find((p) => p.code === code && p.member === member);

/** Facts about a member worth seeing next to its verdict. */
function notesOf(m: Member, s: ClusterState): string[] {
  const notes = [`${m.role}, ${m.state}`];
  if (m.lagBytes !== undefined) notes.push(`lag ${formatBytes(m.lagBytes)}`);
  if (m.timeline !== undefined) notes.push(`timeline ${m.timeline}`);
  if (m.syncState) notes.push(`${m.syncState} standby`);
  for (const [k, v] of Object.entries(m.tags ?? {})) if (v === true || (k !== 'nofailover' && k !== 'noloadbalance')) notes.push(v === true ? k : `${k}=${v}`);
  if (m.failureDomain) notes.push(`in ${m.failureDomain}`);
  const leader = s.members.find((x) => x.name === s.leader);
  if (leader?.failureDomain && m.failureDomain === leader.failureDomain) notes.push('same failure domain as the leader');
  return notes;
}

/**
 * Why `m` cannot become the leader, as Patroni would judge it (is_failover_possible and the
 * member's own checks). `leaderless`: a failover of a cluster without a leader, where lag is
 * measured against the most advanced member rather than the leader.
 */
function promotionBlockers(m: Member, s: ClusterState, action: 'switchover' | 'failover'): { hard: string[]; soft: string[] } {
  const hard: string[] = [];
  const soft: string[] = [];
  if (!RUNNING.includes(m.state)) hard.push(`it is ${m.state}, not running`);
  if (m.tags?.nofailover === true || m.tags?.nofailover === 'true') hard.push('it is tagged nofailover: Patroni never promotes it');
  if (problemOf(s, 'member-unreachable', m.name)) hard.push('its Patroni REST API does not answer');
  if (problemOf(s, 'split-brain', m.name) || problemOf(s, 'writable-replica', m.name)) hard.push('its PostgreSQL already accepts writes outside Patroni (split brain): settle that first');
  if (problemOf(s, 'replay-paused', m.name)) soft.push('WAL replay is paused on it: what it received is not applied yet');
  const notStreaming = problemOf(s, 'not-streaming', m.name);
  if (notStreaming && s.leader) soft.push(notStreaming.message.replace(`${m.name} is `, 'it is '));
  const limit = maxLag(s);
  if (m.lagBytes !== undefined && m.lagBytes > limit) soft.push(`it is ${formatBytes(m.lagBytes)} behind, more than maximum_lag_on_failover (${formatBytes(limit)}): commits not yet on it would be lost`);
  else if (m.lagBytes === undefined && RUNNING.includes(m.state)) soft.push('its lag is unknown');
  const leader = s.members.find((x) => x.name === s.leader);
  const newest = Math.max(0, ...s.members.map((x) => x.timeline ?? 0));
  const reference = leader?.timeline ?? newest;
  if (m.timeline !== undefined && reference && m.timeline < reference) soft.push(`it is on timeline ${m.timeline}, the ${leader ? 'leader' : 'newest member'} on ${reference}: it has not followed the last promotion`);
  if (action === 'switchover' && syncModeOn(s) && m.role !== 'sync-standby' && m.syncState !== 'sync' && m.syncState !== 'quorum') {
    hard.push('synchronous_mode is on and it is not a synchronous standby: Patroni promotes only a synchronous standby, the one sure to have every commit');
  }
  return { hard, soft };
}

function candidateVerdicts(s: ClusterState, action: 'switchover' | 'failover', force: boolean): CandidateVerdict[] {
  return s.members
    .filter((m) => m.name !== s.leader && !LEADER_ROLES.includes(m.role) && m.state !== 'not in cluster')
    .map((m) => {
      const { hard, soft } = promotionBlockers(m, s, action);
      const forced = force && !s.leader;
      const reasons = forced ? hard : [...hard, ...soft];
      const notes = notesOf(m, s);
      if (forced) notes.push(...soft.map((w) => `forced past: ${w}`));
      return { member: m.name, safe: reasons.length === 0, reasons, notes };
    });
}

/** Cluster-wide reasons to refuse any change of leader. */
function leadershipBlockers(s: ClusterState, action: 'switchover' | 'failover'): string[] {
  const out: string[] = [];
  const split = s.problems.find((p) => p.code === 'split-brain');
  if (split) out.push(`${split.message}`);
  if (action === 'switchover') {
    if (!s.leader) out.push('no member holds the leader lock: a switchover needs a leader to hand over from; use failover');
    if (s.paused) out.push('the cluster is paused (maintenance mode): Patroni does not hand over leadership then; resume it first');
  }
  return out;
}

function base(s: ClusterState, action: PatroniAction): Preflight {
  return { action, kind: 'patroni', cluster: s.name, primary: s.leader, ok: false, blockers: [], warnings: [], candidates: [] };
}

function chooseTarget(p: Preflight, asked: string | undefined, s: ClusterState): Preflight {
  if (asked !== undefined) {
    if (!s.members.some((m) => m.name === asked)) p.blockers.push(`${asked} is not a member of ${s.name} (members: ${s.members.map((m) => m.name).join(', ') || 'none'})`);
    else if (asked === s.leader) p.blockers.push(`${asked} is already the leader`);
    p.target = asked;
    const v = p.candidates.find((c) => c.member === asked);
    p.ok = p.blockers.length === 0 && v?.safe === true;
  } else {
    const safe = p.candidates.filter((c) => c.safe);
    if (!safe.length) p.blockers.push(p.candidates.length ? 'no member can take over: each one is refused below' : 'there is no other member to take over');
    else p.warnings.push(`no candidate named: Patroni chooses among ${safe.map((c) => c.member).join(', ')}`);
    p.ok = p.blockers.length === 0;
  }
  return p;
}

/** The pre-flight of one Patroni action on the state read just before it. Pure. */
export function patroniPreflight(s: ClusterState, action: PatroniAction, o: PatroniActionOptions = {}): Preflight {
  const p = base(s, action);
  if (s.error) {
    p.blockers.push(`the cluster could not be read: ${s.error}`);
    return p;
  }
  switch (action) {
    case 'switchover':
    case 'failover': {
      p.blockers.push(...leadershipBlockers(s, action));
      p.candidates = candidateVerdicts(s, action, o.force === true);
      if (action === 'failover') {
        if (o.member === undefined) p.blockers.push('a failover needs a candidate: Patroni does not choose one for it');
        if (s.leader) p.warnings.push(`${s.leader} leads: a failover with a leader is a switchover without its checks; prefer switchover`);
        if (s.leader && o.force) p.blockers.push(`force is only for a cluster without a leader, and ${s.leader} leads`);
        if (!s.leader) {
          const forceable = p.candidates.find((c) => c.member === o.member && !c.safe);
          if (forceable && !o.force) p.force = `force the failover to ${o.member} despite: ${forceable.reasons.join('; ')}`;
        }
      }
      if (action === 'switchover' && o.scheduledAt !== undefined) {
        const at = Date.parse(o.scheduledAt);
        if (Number.isNaN(at) || !/[zZ]|[+-]\d\d:?\d\d$/.test(o.scheduledAt)) p.blockers.push(`'${o.scheduledAt}' is not a time with a zone (2026-12-03T02:00:00+00:00)`);
        const pending = detailOf(s, 'scheduledSwitchover') as { at?: string } | undefined;
        if (pending?.at) p.blockers.push(`a switchover is already scheduled at ${pending.at}: cancel it first`);
      }
      return chooseTarget(p, o.member, s);
    }
    case 'cancel-switchover': {
      const pending = detailOf(s, 'scheduledSwitchover') as { at?: string; to?: string } | undefined;
      if (!pending?.at) p.blockers.push('no switchover is scheduled');
      else p.warnings.push(`the switchover scheduled at ${pending.at}${pending.to ? ` to ${pending.to}` : ''} will not happen`);
      p.ok = p.blockers.length === 0;
      return p;
    }
    case 'pause':
    case 'resume': {
      if (action === 'pause' && s.paused) p.blockers.push('the cluster is already paused (maintenance mode)');
      if (action === 'resume' && !s.paused) p.blockers.push('the cluster is not paused');
      if (action === 'pause') p.warnings.push('while paused Patroni neither fails over nor restarts anything: a dead leader stays dead');
      p.ok = p.blockers.length === 0;
      return p;
    }
    case 'restart':
    case 'reinit': {
      const pending = (m: Member) => /pending restart/.test(m.detail ?? '');
      const targets = o.member !== undefined ? s.members.filter((m) => m.name === o.member) : o.pendingOnly ? s.members.filter(pending) : [];
      if (o.member === undefined && !o.pendingOnly) p.blockers.push(`name the member to ${action === 'reinit' ? 'reinitialise' : 'restart'}${action === 'restart' ? ', or restart only those with a pending restart' : ''}`);
      else if (o.member !== undefined && !targets.length) p.blockers.push(`${o.member} is not a member of ${s.name} (members: ${s.members.map((m) => m.name).join(', ')})`);
      else if (!targets.length) p.blockers.push('no member has a pending restart');
      p.candidates = targets.map((m) => {
        const reasons: string[] = [];
        if (action === 'reinit' && m.name === s.leader) reasons.push('it is the leader: reinitialising wipes its data directory and clones it from… itself; Patroni refuses');
        if (action === 'reinit' && m.state === 'not in cluster') reasons.push('Patroni no longer lists it');
        if (problemOf(s, 'member-unreachable', m.name) || !m.apiUrl) reasons.push('its Patroni REST API does not answer');
        if (action === 'restart' && o.pendingOnly && !pending(m)) reasons.push('it has no pending restart');
        return { member: m.name, safe: reasons.length === 0, reasons, notes: notesOf(m, s) };
      });
      const leaderHit = targets.some((m) => m.name === s.leader);
      if (action === 'restart' && leaderHit) p.warnings.push(`restarting ${s.leader}, the leader: writes stop until PostgreSQL is back; Patroni does not fail over for a restart`);
      if (action === 'reinit') p.warnings.push(`${o.member}'s data directory is deleted and copied again from the leader: it serves nothing until that is done`);
      if (s.paused && action === 'restart') p.warnings.push('the cluster is paused: Patroni restarts PostgreSQL all the same when asked');
      p.target = o.member ?? targets.map((t) => t.name).join(',');
      p.ok = p.blockers.length === 0 && p.candidates.length > 0 && p.candidates.every((c) => c.safe);
      return p;
    }
  }
}

/**
 * Basic auth for Patroni's unsafe methods, as the provider reads it: options first, else a URL's
 * userinfo; none through a relay that cannot carry it.
 */
function authOf(o: PatroniOptions): { username?: string; password?: string } {
  if (o.via && !o.via.carriesBasicAuth) return {};
  const fromUrl = o.urls.map(credentialsOf).find((c) => c.username !== undefined || c.password !== undefined) ?? {};
  return { username: o.username ?? fromUrl.username, password: o.password ?? fromUrl.password };
}

/** What Patroni answered, in a sentence: its text body (it answers in plain text) with the status. */
function said(r: HttpResponse): string {
  let body = r.body.trim();
  if (body.startsWith('{') || (body.startsWith('"') && body.endsWith('"') && body.length > 1)) {
    try {
      const parsed = JSON.parse(body) as unknown;
      if (typeof parsed === 'string') body = parsed;
    } catch {
      /* plain text */
    }
  }
  return body ? body : `HTTP ${r.status}`;
}

export interface PatroniActionSpecOptions extends PatroniActionOptions {
  patroni: PatroniOptions;
  /** Deadline of each call (reads and the action's own request); a synchronous switchover may take longer. */
  timeoutMs?: number;
}

/** Wraps a provider read as an action's read: the one state of the cluster. */
function reader(provider: Provider, timeoutMs: number): (signal?: AbortSignal) => Promise<ClusterState> {
  return async (signal) => (await provider.read({ timeoutMs, signal }))[0];
}

/** Where a member's REST API is asked: its api_url, or its base through the relay. */
const apiOf = (s: ClusterState, name: string | undefined, via: PatroniTransport | undefined): string | undefined => {
  const m = s.members.find((x) => x.name === name);
  if (!m) return undefined;
  if (via) return via.base(m.name, m.apiUrl);
  return m.apiUrl ? restBase(m.apiUrl) : undefined;
};

/** Why Patroni answered 401, and what to do, for the way it was reached. */
function unauthorized(r: HttpResponse, via: PatroniTransport | undefined): string {
  if (via && !via.carriesBasicAuth) {
    return `${said(r)} (401): this Patroni wants a username and password (restapi.authentication), and ${via.label} cannot pass them on (the Kubernetes API server removes the Authorization header it authenticated); use kubectl port-forward to the pod and --patroni http://127.0.0.1:PORT`;
  }
  return `${said(r)} (401): the REST API wants a username and password (restapi.authentication)`;
}

/** One Patroni action, ready for runAction. Close `provider` when done (it keeps PostgreSQL sessions). */
export function patroniActionSpec(action: PatroniAction, o: PatroniActionSpecOptions): ActionSpec & { provider: Provider } {
  const provider = patroniProvider(o.patroni);
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const auth = authOf(o.patroni);
  const via = o.patroni.via;
  const send = via?.send ?? httpCall;
  const call = async (url: string, method: 'POST' | 'PATCH' | 'DELETE', body: unknown, signal?: AbortSignal, ms = timeoutMs): Promise<string> => {
    const r = await send(url, { method, timeoutMs: ms, signal, username: auth.username, password: auth.password, tls: o.patroni.tls, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    if (r.status === 401) throw new Error(unauthorized(r, via));
    if (r.status >= 300) throw new Error(`${said(r)} (HTTP ${r.status})`);
    return said(r);
  };
  const options: Record<string, string | number | boolean> = {};
  if (o.member !== undefined) options.member = o.member;
  if (o.scheduledAt !== undefined) options.scheduledAt = o.scheduledAt;
  if (o.pendingOnly) options.pendingOnly = true;
  if (o.force) options.force = true;
  // Restart and reinitialise are seen through the member going away and coming back.
  const seenDown = new Set<string>();
  const spec: ActionSpec & { provider: Provider } = {
    provider,
    action,
    kind: 'patroni',
    source: provider.source,
    options,
    noWait: (action === 'switchover' && o.scheduledAt !== undefined) || action === 'cancel-switchover',
    read: reader(provider, timeoutMs),
    preflight: (s) => patroniPreflight(s, action, o),
    async perform(s, p, signal) {
      const leaderApi = apiOf(s, s.leader, via);
      const anyApi = leaderApi ?? s.members.map((m) => apiOf(s, m.name, via)).find((u) => u) ?? restBase(o.patroni.urls[0]);
      switch (action) {
        case 'switchover': {
          const body: Record<string, string> = { leader: s.leader as string };
          if (p.target) body.candidate = p.target;
          if (o.scheduledAt) body.scheduled_at = o.scheduledAt;
          // Patroni answers once the new leader is elected; give it the time a demotion takes.
          return call(`${leaderApi ?? anyApi}/switchover`, 'POST', body, signal, Math.max(timeoutMs, 60_000));
        }
        case 'failover':
          return call(`${leaderApi ?? apiOf(s, p.target, via) ?? anyApi}/failover`, 'POST', { candidate: p.target, ...(s.leader ? { leader: s.leader } : {}) }, signal, Math.max(timeoutMs, 60_000));
        case 'cancel-switchover':
          return call(`${anyApi}/switchover`, 'DELETE', undefined, signal);
        case 'pause':
        case 'resume':
          await call(`${anyApi}/config`, 'PATCH', { pause: action === 'pause' }, signal);
          return action === 'pause' ? 'maintenance mode requested' : 'maintenance mode ended';
        case 'restart':
        case 'reinit': {
          const names = p.candidates.map((c) => c.member);
          const answers: string[] = [];
          for (const name of names) {
            const api = apiOf(s, name, via);
            if (!api) throw new Error(`${name} has no REST API address`);
            const path = action === 'restart' ? '/restart' : '/reinitialize';
            const body = action === 'restart' ? (o.pendingOnly ? { restart_pending: true } : {}) : {};
            answers.push(`${name}: ${await call(`${api}${path}`, 'POST', body, signal, Math.max(timeoutMs, 60_000))}`);
          }
          return answers.join('; ');
        }
      }
    },
    verify(before, after, p) {
      switch (action) {
        case 'switchover':
        case 'failover': {
          const leader = after.members.find((m) => m.name === after.leader);
          if (!after.leader || after.leader === before.leader) return `${before.leader ?? 'no member'} still leads`;
          if (p.target && after.leader !== p.target) return `${after.leader} leads, not ${p.target}`;
          const was = before.members.find((m) => m.name === after.leader)?.timeline;
          if (leader?.timeline !== undefined && was !== undefined && leader.timeline <= was) return `${after.leader} leads but is still on timeline ${leader.timeline}`;
          if (leader && !RUNNING.includes(leader.state)) return `${after.leader} leads but is ${leader.state}`;
          if (before.leader) {
            const old = after.members.find((m) => m.name === before.leader);
            if (!old) return `${before.leader}, the old leader, is not listed yet`;
            if (!RUNNING.includes(old.state) || LEADER_ROLES.includes(old.role)) return `${before.leader}, the old leader, is ${old.state}: not yet back as a replica`;
            if (old.writable) return `${before.leader}'s PostgreSQL still accepts writes`;
          }
          return true;
        }
        case 'cancel-switchover':
          return (detailOf(after, 'scheduledSwitchover') as { at?: string } | undefined)?.at ? 'the switchover is still scheduled' : true;
        case 'pause':
          return after.paused ? true : 'not paused yet';
        case 'resume':
          return after.paused ? 'still paused' : true;
        case 'restart':
        case 'reinit': {
          for (const c of p.candidates) {
            const m = after.members.find((x) => x.name === c.member);
            if (!m || !RUNNING.includes(m.state)) {
              seenDown.add(c.member);
              return `${c.member} is ${m?.state ?? 'not listed'}`;
            }
            if (action === 'restart' && o.pendingOnly && /pending restart/.test(m.detail ?? '')) return `${c.member} still has a pending restart`;
            // Patroni answers a restart once PostgreSQL is back; a reinit only once it has started: wait to see it go through.
            if (action === 'reinit' && !seenDown.has(c.member)) return `${c.member} has not started reinitialising yet`;
            if (m.role !== 'primary' && m.state !== 'streaming' && after.leader) return `${c.member} is ${m.state}, not streaming yet`;
          }
          return true;
        }
      }
    },
  };
  return spec;
}
