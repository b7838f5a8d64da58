import { shown } from '../../shown';
import { SENTINEL_DIRECTIVES, sentinelDirective } from '../../documents/redis/catalog';
import { didYouMean, NameSuggester } from '../../suggest';
import type { Directive, RedisModel, Token } from '../../documents/redis';
import { atoi, isNumericHost, yesNo } from '../../documents/redis/values';
import type { Fix, RelatedReport } from '../../types';

export type SentinelIssueKind = 'unknown' | 'arity' | 'value' | 'quorum' | 'duplicate-master' | 'unknown-master' | 'hostname' | 'duplicate-known' | 'lenient';

export interface SentinelIssue {
  kind: SentinelIssueKind;
  directive: Directive;
  start: number;
  end: number;
  message: string;
  fixes?: Fix[];
  related?: RelatedReport[];
}

export interface MonitoredMaster {
  name: string;
  monitor: Directive;
  host: string;
  port: number;
  quorum: number;
  /** The per-master directives naming this master, in file order. */
  directives: Directive[];
}

export interface SentinelView {
  masters: Map<string, MonitoredMaster>;
  /** `sentinel resolve-hostnames yes` is in effect (Sentinel reads it before any monitor line). */
  resolveHostnames: boolean;
  /** Names of `sentinel monitor` lines that were refused for another reason (already reported there). */
  refusedMonitors: Set<string>;
  issues: SentinelIssue[];
  /** The names of `masters`, for "did you mean". */
  masterNames: NameSuggester;
}

const cache = new WeakMap<RedisModel, SentinelView>();

const isSentinelLine = (d: Directive): boolean => d.name === 'sentinel' && d.sub !== undefined;

/** Sentinel's view of the file: monitored masters and every statement it refuses at load. */
export function sentinelView(model: RedisModel): SentinelView {
  const cached = cache.get(model);
  if (cached) return cached;
  const view: SentinelView = { masters: new Map(), resolveHostnames: false, refusedMonitors: new Set(), issues: [], masterNames: new NameSuggester() };
  const lines = model.directives.filter(isSentinelLine);
  for (const d of lines) {
    if (d.sub === 'resolve-hostnames' && d.args.length === 1) view.resolveHostnames = yesNo(d.args[0].value) ?? view.resolveHostnames;
  }
  // Sentinel queues its lines and handles all `monitor` lines before the per-master ones.
  for (const d of lines) if (d.sub === 'monitor') monitorLine(view, d);
  const seenKnown = new Map<string, Directive>();
  for (const d of lines) if (d.sub !== 'monitor') otherLine(view, d, seenKnown);
  cache.set(model, view);
  return view;
}

function issue(view: SentinelView, kind: SentinelIssueKind, d: Directive, t: Token | undefined, message: string, fixes?: Fix[], related?: RelatedReport[]): void {
  view.issues.push({ kind, directive: d, start: t?.start ?? d.start, end: t?.end ?? d.end, message, fixes, related });
}

/** The line a repeated entry first appeared on, as a related place. */
function firstHere(d: Directive, message: string): RelatedReport[] {
  return [{ start: d.start, end: d.end, message }];
}

function arityMessage(d: Directive, args: string[]): string {
  return `'sentinel ${d.sub}' takes ${args.length ? args.map((a) => `<${a}>`).join(' ') : 'no arguments'}, got ${d.args.length} argument${d.args.length === 1 ? '' : 's'}: Sentinel refuses it ("Unrecognized sentinel configuration statement.").`;
}

function monitorLine(view: SentinelView, d: Directive): void {
  const spec = sentinelDirective('monitor')!;
  if (d.args.length !== 4) return issue(view, 'arity', d, undefined, arityMessage(d, spec.args));
  const [name, host, port, quorum] = d.args;
  if (!view.masters.has(name.value)) view.refusedMonitors.add(name.value);
  const q = atoi(quorum.value);
  if (q.value <= 0) return issue(view, 'quorum', d, quorum, `Quorum '${shown(quorum.value)}' must be a number of 1 or more ("Quorum must be 1 or greater."): it is how many Sentinels must agree the master is down.`);
  lenient(view, d, quorum, q);
  if (!portOk(view, d, port)) return;
  if (!hostOk(view, d, host)) return;
  const existing = view.masters.get(name.value);
  if (existing) {
    return issue(view, 'duplicate-master', d, name, `Master name '${shown(name.value)}' is already monitored on line ${existing.monitor.line + 1} ("Duplicate master name."): give each master its own name, or delete this line.`, undefined, firstHere(existing.monitor, `master '${shown(name.value)}' first monitored here`));
  }
  view.refusedMonitors.delete(name.value);
  view.masters.set(name.value, { name: name.value, monitor: d, host: host.value, port: atoi(port.value).value, quorum: q.value, directives: [] });
  view.masterNames.add(name.value);
}

function portOk(view: SentinelView, d: Directive, port: Token): boolean {
  const p = atoi(port.value);
  if (p.value < 0 || p.value > 65535) {
    issue(view, 'value', d, port, `Port '${shown(port.value)}' is outside 0-65535 ("Invalid port number.").`);
    return false;
  }
  lenient(view, d, port, p);
  return true;
}

function hostOk(view: SentinelView, d: Directive, host: Token): boolean {
  if (view.resolveHostnames || isNumericHost(host.value)) return true;
  issue(view, 'hostname', d, host, `'${shown(host.value)}' is not an IP address and 'sentinel resolve-hostnames yes' is not set: Sentinel refuses to start ("Can't resolve instance hostname."). Add 'sentinel resolve-hostnames yes' or use an IP address.`);
  return false;
}

function lenient(view: SentinelView, d: Directive, t: Token, n: { value: number; exact: boolean }): void {
  if (!n.exact) issue(view, 'lenient', d, t, `Sentinel reads '${shown(t.value)}' as ${n.value} (it keeps only the leading digits). Write the number alone.`);
}

function otherLine(view: SentinelView, d: Directive, seenKnown: Map<string, Directive>): void {
  const spec = sentinelDirective(d.sub!);
  if (!spec) {
    const guess = didYouMean(d.sub!, SENTINEL_DIRECTIVES.map((s) => s.name));
    const subToken = d.tokens[1];
    const fixes: Fix[] | undefined = guess ? [{ title: `Change to 'sentinel ${guess}'`, edits: [{ start: subToken.start, end: subToken.end, newText: guess }], preferred: true }] : undefined;
    return issue(view, 'unknown', d, subToken, `Unknown Sentinel directive 'sentinel ${shown(subToken.value)}' ("Unrecognized sentinel configuration statement.").${guess ? ` Did you mean 'sentinel ${shown(guess)}'?` : ''}`, fixes);
  }
  const n = d.args.length;
  if (n < spec.minArgs || n > spec.maxArgs) return issue(view, 'arity', d, undefined, arityMessage(d, spec.args));
  // The old three-argument known-sentinel form (without run id) is skipped by Sentinel unchecked.
  if (spec.name === 'known-sentinel' && n === 3) return;
  if (spec.perMaster) {
    const master = view.masters.get(d.args[0].value);
    // Its monitor line is there but refused: that line carries the error, not every line naming it.
    if (!master && view.refusedMonitors.has(d.args[0].value)) return;
    if (!master) {
      const guess = view.masterNames.suggest(d.args[0].value);
      const fixes: Fix[] | undefined = guess ? [{ title: `Change to '${guess}'`, edits: [{ start: d.args[0].start, end: d.args[0].end, newText: guess }], preferred: true }] : undefined;
      return issue(view, 'unknown-master', d, d.args[0], `No 'sentinel monitor' line defines master '${shown(d.args[0].value)}' ("No such master with specified name.").${guess ? ` Did you mean '${shown(guess)}'?` : ' Add the monitor line or fix the name.'}`, fixes);
    }
    master.directives.push(d);
    if (spec.name === 'known-replica' || spec.name === 'known-slave' || spec.name === 'known-sentinel') return knownLine(view, d, master, seenKnown);
    if (spec.name === 'rename-command') {
      const key = `rename\0${master.name}\0${d.args[1].value.toLowerCase()}`;
      const prev = seenKnown.get(key);
      if (prev) return issue(view, 'duplicate-known', d, d.args[1], `Command '${shown(d.args[1].value)}' of master '${shown(master.name)}' is already renamed on line ${prev.line + 1} ("Same command renamed multiple times with rename-command."). Keep one line.`, undefined, firstHere(prev, 'first renamed here'));
      seenKnown.set(key, d);
      return;
    }
  }
  valueOf(view, d, spec.type, d.args[spec.perMaster ? 1 : 0]);
}

function valueOf(view: SentinelView, d: Directive, type: string | undefined, t: Token | undefined): void {
  if (!t) return;
  const n = atoi(t.value);
  switch (type) {
    case 'positive-ms':
      if (n.value <= 0) return issue(view, 'value', d, t, `'${shown(t.value)}' must be a number of milliseconds greater than 0 ("negative or zero time parameter.").`);
      return lenient(view, d, t, n);
    case 'nonnegative-ms':
      if (n.value < 0) return issue(view, 'value', d, t, `'${shown(t.value)}' must be a number of milliseconds, 0 or more ("negative time parameter.").`);
      return lenient(view, d, t, n);
    case 'atoi':
      return lenient(view, d, t, n);
    case 'yesno':
      if (yesNo(t.value) === undefined) return issue(view, 'value', d, t, `'sentinel ${d.sub}' takes yes or no, not '${shown(t.value)}'.`);
      return;
    case 'runid':
      if (t.value.length !== 40) return issue(view, 'value', d, t, `A Sentinel id has exactly 40 characters, '${shown(t.value)}' has ${t.value.length} ("Malformed Sentinel id in myid option."). Delete the line and Sentinel writes a new id.`);
      return;
    default:
      return;
  }
}

function knownLine(view: SentinelView, d: Directive, master: MonitoredMaster, seen: Map<string, Directive>): void {
  const [, host, port, runid] = d.args;
  if (!portOk(view, d, port) || !hostOk(view, d, host)) return;
  const key = runid ? `sentinel\0${master.name}\0${runid.value}` : `replica\0${master.name}\0${host.value}:${atoi(port.value).value}`;
  const prev = seen.get(key);
  if (prev) {
    const what = runid ? `Sentinel id ${shown(runid.value)}` : `replica ${shown(host.value)}:${shown(port.value)}`;
    const said = runid ? 'Duplicate runid for sentinel.' : 'Duplicate hostname and port for replica.';
    return issue(view, 'duplicate-known', d, undefined, `The ${what} of master '${shown(master.name)}' is already listed on line ${prev.line + 1}: Sentinel refuses to start ("${said}"). Delete this line.`, [deleteLine(d)], firstHere(prev, 'first listed here'));
  }
  seen.set(key, d);
}

function deleteLine(d: Directive): Fix {
  return { title: 'Delete the duplicate line', edits: [{ start: d.lineStart, end: d.lineEnd, newText: '' }], preferred: true };
}
