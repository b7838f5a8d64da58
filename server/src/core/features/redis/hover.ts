import { redisDirective, sentinelDirective } from '../../documents/redis/catalog';
import type { Directive, RedisModel } from '../../documents/redis';
import { lineOf } from '../../documents/redis';
import { sentinelView } from '../../checks/redis/sentinel-rules';
import type { HoverInfo } from '../../types';
import { SENTINEL_KEYWORD_DOC, redisDirectiveDoc, sentinelDirectiveDoc } from './docs';

export function hoverRedis(model: RedisModel, offset: number): HoverInfo | undefined {
  const line = lineOf(model, offset);
  const d = model.directives.find((x) => x.line === line);
  if (!d) return undefined;
  const index = d.tokens.findIndex((t) => t.start <= offset && offset <= t.end);
  if (index < 0) return undefined;
  const token = d.tokens[index];
  const contents = d.name === 'sentinel' && model.kind === 'sentinel' ? sentinelHover(model, d, index) : serverHover(d, index);
  return contents ? { contents, start: token.start, end: token.end } : undefined;
}

function serverHover(d: Directive, index: number): string | undefined {
  const spec = redisDirective(d.name);
  if (!spec) return undefined;
  const doc = redisDirectiveDoc(spec);
  return index === 0 ? doc : `Argument ${index} of \`${spec.name}\`\n\n${doc}`;
}

function sentinelHover(model: RedisModel, d: Directive, index: number): string | undefined {
  if (index === 0) return SENTINEL_KEYWORD_DOC;
  const spec = sentinelDirective(d.sub ?? '');
  if (!spec) return undefined;
  const doc = sentinelDirectiveDoc(spec);
  if (index === 1) return doc;
  const argName = spec.args[index - 2];
  if (spec.perMaster && index === 2) {
    const m = sentinelView(model).masters.get(d.tokens[2].value);
    const about = m ? `Master \`${m.name}\`: ${m.host}:${m.port}, quorum ${m.quorum} (line ${m.monitor.line + 1})` : `No \`sentinel monitor\` line defines \`${d.tokens[2].value}\`.`;
    return `${about}\n\n---\n\n${doc}`;
  }
  return argName ? `\`<${argName}>\` of \`sentinel ${spec.name}\`\n\n${doc}` : doc;
}
