// What each config format says about running clusters: a Patroni member, the masters a Sentinel
// monitors, a Redis server, the servers of HAProxy's backends. Matched against live states.
import { proxies, serverOption } from '../checks/haproxy/proxies';
import { sentinelView } from '../checks/redis/sentinel-rules';
import type { HaproxyModel } from '../documents/haproxy';
import type { RedisModel } from '../documents/redis';
import type { PatroniModel } from '../documents/yaml/patroni';
import { keyRange, valueAt, valueRange } from '../documents/yaml/patroni';
import { LineIndex } from '../line-index';
import type { LiveTargetFact } from '../types';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** The span of a `key: value` pair at `path`, key to value. */
export function pairSpan(model: PatroniModel, path: string[]): { start: number; end: number } | undefined {
  const k = keyRange(model, path);
  if (!k) return undefined;
  const v = valueRange(model, path);
  return { start: k.start, end: Math.max(k.end, v?.end ?? k.end) };
}

/** The one member a patroni.yml configures: scope, name, and both its addresses. */
export function patroniTargets(model: PatroniModel): LiveTargetFact[] {
  if (!model.config) return [];
  const scope = text(valueAt(model, ['scope']));
  const name = text(valueAt(model, ['name']));
  const dataAddress = text(valueAt(model, ['postgresql', 'connect_address']));
  const addresses = [dataAddress, text(valueAt(model, ['restapi', 'connect_address']))].filter((a): a is string => a !== undefined);
  if (!scope && !name && addresses.length === 0) return [];
  const span = pairSpan(model, ['name']) ?? pairSpan(model, ['scope']) ?? { start: 0, end: 0 };
  const range = new LineIndex(model.file.text).rangeOf(span.start, span.end);
  return [{ uri: model.file.uri, kind: 'patroni', role: 'member', ...(scope ? { cluster: scope } : {}), ...(name ? { name } : {}), addresses, ...(dataAddress ? { dataAddress } : {}), range }];
}

/** Where a Redis or Sentinel process listens: each `bind` address (any host when none) with `port`. */
function listenAddresses(model: RedisModel, defaultPort: number): string[] {
  let port = String(defaultPort);
  let binds: string[] = [];
  for (const d of model.directives) {
    if (d.name === 'port' && d.args[0]) port = d.args[0].value;
    if (d.name === 'bind' && d.args.length) binds = d.args.map((t) => t.value.replace(/^-/, ''));
  }
  const hosts = binds.filter((b) => b !== '*' && b !== '0.0.0.0' && b !== '::' && b !== '::*');
  return hosts.length ? hosts.map((h) => (h.includes(':') ? `[${h}]:${port}` : `${h}:${port}`)) : [`*:${port}`];
}

function lineRange(model: RedisModel, start: number, end: number, line: number) {
  const from = model.lineStarts[line] ?? 0;
  return { start: { line, character: start - from }, end: { line, character: end - from } };
}

/** A sentinel.conf: each monitored master (its `sentinel monitor` line), and the Sentinel itself. */
export function sentinelTargets(model: RedisModel): LiveTargetFact[] {
  const uri = model.file.uri;
  const out: LiveTargetFact[] = [];
  for (const m of sentinelView(model).masters.values()) {
    const d = m.monitor;
    out.push({ uri, kind: 'sentinel', role: 'master', cluster: m.name, addresses: [`${m.host}:${m.port}`], range: lineRange(model, d.start, d.end, d.line) });
  }
  const port = model.directives.find((d) => d.name === 'port');
  const at = port ? lineRange(model, port.start, port.end, port.line) : lineRange(model, 0, 0, 0);
  out.push({ uri, kind: 'sentinel', role: 'node', addresses: listenAddresses(model, 26379), range: at });
  return out;
}

/** A redis.conf: the server it configures, found by where it listens. */
export function redisTargets(model: RedisModel): LiveTargetFact[] {
  const port = model.directives.find((d) => d.name === 'port');
  const range = port ? lineRange(model, port.start, port.end, port.line) : lineRange(model, 0, 0, 0);
  return [{ uri: model.file.uri, kind: 'redis', role: 'node', addresses: listenAddresses(model, 6379), range }];
}

/** Every `server` line of a backend or listen section: its address, and the health-check port when another. */
export function haproxyTargets(model: HaproxyModel): LiveTargetFact[] {
  const out: LiveTargetFact[] = [];
  const text = model.file.text;
  for (const info of proxies(model)) {
    if (info.section.type === 'frontend') continue;
    for (const s of info.servers) {
      const address = s.line.keyword === 'server' ? s.line.args[1]?.text : undefined;
      if (!s.name || !address) continue;
      const addresses = [address];
      const checkPort = serverOption(info, s, 'port')?.value?.text;
      const host = address.replace(/:[^:\]]*$/, '');
      if (checkPort && /^\d+$/.test(checkPort)) addresses.push(`${host}:${checkPort}`);
      const first = s.line.tokens[0]?.start ?? s.line.start;
      const lineStart = text.lastIndexOf('\n', first - 1) + 1;
      out.push({
        uri: model.file.uri,
        kind: 'haproxy',
        role: 'server',
        ...(info.section.name ? { cluster: info.section.name.text } : {}),
        name: s.name.text,
        addresses,
        range: { start: { line: s.line.line, character: first - lineStart }, end: { line: s.line.line, character: s.line.end - lineStart } },
      });
    }
  }
  return out;
}
