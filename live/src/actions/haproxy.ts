// HAProxy's own server actions through the runtime API — drain, maintenance, ready and weight — with
// a pre-flight that judges every server of the backend: who would still take the traffic, and the
// sessions on the server touched. HAProxy itself would happily take a backend's last server away.
import type { ClusterState, Member } from '../model';
import { DEFAULT_TIMEOUT_MS } from '../provider';
import type { Provider } from '../provider';
import { haproxyProvider, parseEndpoint, statsSocketCommand } from '../providers/haproxy';
import type { HaproxyOptions } from '../providers/haproxy';
import { serverTakesTraffic } from '../providers/haproxy-state';
import type { ActionKind, CandidateVerdict, Preflight } from './model';
import type { ActionSpec } from './run';

export type HaproxyAction = Extract<ActionKind, 'drain' | 'maint' | 'ready' | 'weight'>;

export interface HaproxyActionOptions {
  /** The server, as `backend/server`. */
  server: string;
  /** For `weight`: 0 to 256. */
  weight?: number;
}

const MAX_WEIGHT = 256;
/** What HAProxy accepts in a proxy or server name: nothing that could end or chain a command. */
const NAME = /^[A-Za-z0-9_.:-]+$/;

export const STATS_PAGE_REFUSAL =
  'the stats page only shows servers; changing one needs the runtime API on a stats socket declared with `stats socket <path or ip:port> level admin` in the global section';

const ADMIN_WORDS = { maint: 'maintenance set through the runtime API', drain: 'drain set through the runtime API' };
const detailHas = (m: Member, words: string) => (m.detail ?? '').split('; ').includes(words);
const isBackup = (m: Member) => m.tags?.backup === 1;
const weightOf = (m: Member) => (typeof m.tags?.weight === 'number' ? m.tags.weight : undefined);
const sessionsOf = (m: Member) => (typeof m.tags?.sessions === 'number' ? m.tags.sessions : 0);
/** Whether new connections may go to it now: up (or unchecked) and not weighed down to zero. */
const takesTraffic = (m: Member) => serverTakesTraffic(m.state) && weightOf(m) !== 0;
const inMaint = (m: Member) => m.state.startsWith('MAINT') || detailHas(m, ADMIN_WORDS.maint);
const draining = (m: Member) => m.state.startsWith('DRAIN') || detailHas(m, ADMIN_WORDS.drain);

/** `backend/server` split at its first slash; undefined when either half is missing. */
export function splitServer(name: string): { backend: string; server: string } | undefined {
  const i = name.indexOf('/');
  if (i <= 0 || i === name.length - 1) return undefined;
  return { backend: name.slice(0, i), server: name.slice(i + 1) };
}

/** Whether the action takes the server out of new traffic. */
const removes = (action: HaproxyAction, weight: number | undefined) => action === 'drain' || action === 'maint' || (action === 'weight' && weight === 0);

/** Who takes the traffic when `m` stops: the other active servers up, else the backups HAProxy falls back to. */
function successors(m: Member, servers: Member[]): Member[] {
  const others = servers.filter((x) => x !== m && takesTraffic(x));
  const active = others.filter((x) => !isBackup(x));
  return active.length ? active : others;
}

function verdict(m: Member, servers: Member[], action: HaproxyAction, weight: number | undefined): CandidateVerdict {
  const reasons: string[] = [];
  const notes: string[] = [m.state];
  const w = weightOf(m);
  if (w !== undefined) notes.push(`weight ${w}`);
  if (isBackup(m)) notes.push('backup server');
  const sessions = sessionsOf(m);
  if (removes(action, weight)) {
    const next = successors(m, servers);
    if (!takesTraffic(m)) notes.push(`it takes no new traffic now (${w === 0 ? 'weight 0' : m.state})`);
    else if (!next.length) reasons.push(`it is the last server of ${m.group} that takes traffic: backend ${m.group} would have no server left`);
    else notes.push(`${next.map((x) => x.name).join(', ')} take${next.length === 1 ? 's' : ''} over${next.every(isBackup) ? ' (backup)' : ''}`);
    if (sessions) notes.push(action === 'drain' ? `${sessions} session(s) on it now: they carry on until they end, no new ones come` : `${sessions} session(s) on it now: no new ones come to it`);
  } else if (sessions) notes.push(`${sessions} session(s) on it now`);
  if (action === 'ready' && detailHas(m, 'maintenance inherited from a tracked server')) notes.push('its maintenance comes from the server it tracks: ready does not lift that');
  return { member: `${m.group}/${m.name}`, safe: reasons.length === 0, reasons, notes };
}

/** A warning when the action would change nothing. */
function noOp(m: Member, action: HaproxyAction, weight: number | undefined): string | undefined {
  const name = `${m.group}/${m.name}`;
  if (action === 'ready' && !inMaint(m) && !draining(m)) return `${name} is already ready (${m.state}, no maintenance or drain set): nothing will change`;
  if (action === 'maint' && inMaint(m)) return `${name} is already in maintenance (${m.state}): nothing will change`;
  if (action === 'drain' && draining(m) && !inMaint(m)) return `${name} is already draining (${m.state}): nothing will change`;
  if (action === 'weight' && weight !== undefined && weightOf(m) === weight) return `${name} already has weight ${weight}: nothing will change`;
  return undefined;
}

/** The pre-flight of one server action on the HAProxy state read just before it. Pure. */
export function haproxyPreflight(s: ClusterState, action: HaproxyAction, o: HaproxyActionOptions): Preflight {
  const p: Preflight = { action, kind: 'haproxy', cluster: s.name, ok: false, blockers: [], warnings: [], candidates: [], target: o.server };
  if (s.error) {
    p.blockers.push(`the cluster could not be read: ${s.error}`);
    return p;
  }
  if (/^https?:/i.test(s.source)) p.blockers.push(`${s.source} is a stats page: ${STATS_PAGE_REFUSAL}`);
  if (action === 'weight' && (o.weight === undefined || !Number.isInteger(o.weight) || o.weight < 0 || o.weight > MAX_WEIGHT)) {
    p.blockers.push(`a weight is a whole number from 0 to ${MAX_WEIGHT}${o.weight === undefined ? '; none was given' : `, not ${o.weight}`}`);
  }
  const named = splitServer(o.server);
  const all = s.members.filter((m) => m.role === 'server');
  if (!named) {
    p.blockers.push(`name the server as backend/server, not '${o.server}' (servers: ${all.map((m) => `${m.group}/${m.name}`).join(', ') || 'none'})`);
    return p;
  }
  const servers = all.filter((m) => m.group === named.backend);
  const me = servers.find((m) => m.name === named.server);
  if (!servers.length) {
    const backends = [...new Set(all.map((m) => m.group))].join(', ') || 'none';
    p.blockers.push(`there is no backend ${named.backend} with servers (backends: ${backends})`);
  } else if (!me) p.blockers.push(`backend ${named.backend} has no server ${named.server} (servers: ${servers.map((m) => m.name).join(', ')})`);
  p.candidates = servers.map((m) => verdict(m, servers, action, o.weight));
  if (me) {
    const same = noOp(me, action, o.weight);
    if (same) p.warnings.push(same);
    if (action === 'weight' && o.weight === 0 && takesTraffic(me)) p.warnings.push('weight 0 takes it out of the balancing like a drain');
  }
  const target = p.candidates.find((c) => c.member === o.server);
  p.ok = p.blockers.length === 0 && target?.safe === true;
  return p;
}

/** HAProxy's answer to a `set server` command: empty on success, else its own words, explained where they need it. */
export function setServerAnswer(answer: string, where: string): string | undefined {
  const text = answer.trim();
  if (!text) return undefined;
  if (/permission denied/i.test(text)) return `the stats socket ${where} is not at level admin (HAProxy answered 'Permission denied'): changing a server needs \`stats socket … level admin\``;
  return `HAProxy answered: ${text}`;
}

/** Whether `after` shows the server in the state (or with the weight) asked for; else what is awaited. */
function serverVerdict(after: ClusterState, action: HaproxyAction, o: HaproxyActionOptions): true | string {
  const named = splitServer(o.server);
  const m = after.members.find((x) => x.role === 'server' && x.group === named?.backend && x.name === named?.server);
  if (!m) return `${o.server} is not listed`;
  switch (action) {
    case 'drain':
      return m.state.startsWith('DRAIN') || detailHas(m, ADMIN_WORDS.drain) ? true : `${o.server} is ${m.state}, not DRAIN yet`;
    case 'maint':
      return m.state.startsWith('MAINT') ? true : `${o.server} is ${m.state}, not MAINT yet`;
    case 'ready':
      if (inMaint(m) || draining(m)) return `${o.server} is still ${m.state}`;
      // Out of maintenance HAProxy checks it again (`UP 1/2`): done once its checks settle, UP or DOWN.
      return /\d+\/\d+$/.test(m.state) ? `${o.server} is ${m.state}: its health checks have not settled yet` : true;
    case 'weight':
      return weightOf(m) === o.weight ? true : `${o.server} has weight ${weightOf(m) ?? 'unknown'}, not ${o.weight} yet`;
  }
}

export interface HaproxyActionSpecOptions extends HaproxyOptions, HaproxyActionOptions {
  action: HaproxyAction;
  /** Deadline of each call (reads and the command itself). */
  timeoutMs?: number;
}

/** One server action, ready for runAction. */
export function haproxyActionSpec(o: HaproxyActionSpecOptions): ActionSpec & { provider: Provider } {
  const provider = haproxyProvider(o);
  const endpoint = parseEndpoint(o.endpoint);
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const options: Record<string, string | number> = { server: o.server };
  if (o.action === 'weight' && o.weight !== undefined) options.weight = o.weight;
  return {
    provider,
    action: o.action,
    kind: 'haproxy',
    source: provider.source,
    options,
    read: async (signal) => (await provider.read({ timeoutMs, signal }))[0],
    preflight: (s) => haproxyPreflight(s, o.action, o),
    async perform(_s, _p, signal) {
      if (endpoint.kind === 'http') throw new Error(`${provider.source} is a stats page: ${STATS_PAGE_REFUSAL}`);
      const named = splitServer(o.server);
      if (!named || !NAME.test(named.backend) || !NAME.test(named.server)) throw new Error(`'${o.server}' is not a backend/server name HAProxy accepts`);
      const change = o.action === 'weight' ? `weight ${o.weight}` : `state ${o.action}`;
      const where = endpoint.kind === 'unix' ? { path: endpoint.path } : { host: endpoint.host, port: endpoint.port };
      const answer = await statsSocketCommand(where, `set server ${named.backend}/${named.server} ${change}`, Date.now() + timeoutMs, signal);
      const refused = setServerAnswer(answer, provider.source);
      if (refused) throw new Error(refused);
      return `HAProxy set ${o.server} to ${o.action === 'weight' ? `weight ${o.weight}` : o.action}`;
    },
    verify: (_before, after) => serverVerdict(after, o.action, o),
  };
}
