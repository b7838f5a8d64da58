import type { Directive, RedisModel } from '../../documents/redis';
import { sentinelView } from '../../checks/redis/sentinel-rules';
import { redisDirective } from '../../documents/redis/catalog';
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

/** One symbol per monitored master, with the directives that tune it as children. */
export function sentinelSymbols(model: RedisModel): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  for (const m of sentinelView(model).masters.values()) {
    const all = [m.monitor, ...m.directives];
    const nameToken = m.monitor.args[0];
    out.push({
      name: m.name,
      detail: `${m.host}:${m.port} quorum ${m.quorum}`,
      kind: 'class',
      start: Math.min(...all.map((d) => d.start)),
      end: Math.max(...all.map((d) => d.end)),
      selectionStart: nameToken.start,
      selectionEnd: nameToken.end,
      children: m.directives.map((d) => directiveSymbol(d, d.sub ?? d.name, 3)),
    });
  }
  return out;
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
