import type { Directive, RedisModel } from '../../documents/redis';
import { redisDirective, sentinelDirective } from '../../documents/redis/catalog';
import type { OutlineSymbol } from '../../types';

function directiveSymbol(d: Directive, name: string, detailFrom: number): OutlineSymbol {
  const nameToken = d.name === 'sentinel' && d.tokens.length > 1 ? d.tokens[1] : d.tokens[0];
  return {
    name,
    detail: d.tokens.slice(detailFrom).map((t) => t.value).join(' '),
    kind: 'property',
    start: d.start,
    end: d.end,
    selectionStart: nameToken.start,
    selectionEnd: nameToken.end,
  };
}

interface WrittenMaster {
  monitor: Directive;
  directives: Directive[];
}

/**
 * One symbol per `sentinel monitor` line, with the directives that tune its master as children.
 * The outline shows what is written: a master Sentinel would refuse (quorum 0, a hostname without
 * `resolve-hostnames`, a name monitored twice) is listed too; its errors are the diagnostics' job.
 */
export function sentinelSymbols(model: RedisModel): OutlineSymbol[] {
  const written: WrittenMaster[] = [];
  const byName = new Map<string, WrittenMaster>();
  const lines = model.directives.filter((d) => d.name === 'sentinel' && d.sub !== undefined && d.args.length > 0);
  for (const d of lines) {
    if (d.sub !== 'monitor') continue;
    const m: WrittenMaster = { monitor: d, directives: [] };
    written.push(m);
    // A repeated name is refused by Sentinel: the directives naming it tune the first one.
    if (!byName.has(d.args[0].value)) byName.set(d.args[0].value, m);
  }
  for (const d of lines) {
    if (d.sub !== 'monitor' && sentinelDirective(d.sub!)?.perMaster) byName.get(d.args[0].value)?.directives.push(d);
  }
  return written.map(({ monitor, directives }) => {
    const [name, host, port, quorum] = monitor.args;
    const all = [monitor, ...directives];
    return {
      name: name.value,
      detail: [host && port ? `${host.value}:${port.value}` : host?.value, quorum && `quorum ${quorum.value}`].filter(Boolean).join(' '),
      kind: 'class',
      start: Math.min(...all.map((d) => d.start)),
      end: Math.max(...all.map((d) => d.end)),
      selectionStart: name.start,
      selectionEnd: name.end,
      children: directives.map((d) => directiveSymbol(d, d.sub ?? d.name, 3)),
    };
  });
}

const REPLICATION = /^(replicaof|masterauth|masteruser|replica-|repl-|min-replicas-)/;

/** The replication directives of a redis.conf. */
export function redisSymbols(model: RedisModel): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  for (const d of model.directives) {
    const canonical = redisDirective(d.name)?.name;
    if (!canonical || !REPLICATION.test(canonical)) continue;
    out.push(directiveSymbol(d, d.name, 1));
  }
  return out;
}
