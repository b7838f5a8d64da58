import type { RedisDirectiveSpec, SentinelDirectiveSpec } from '../../documents/redis/catalog';

/** Markdown describing a redis.conf directive. */
export function redisDirectiveDoc(spec: RedisDirectiveSpec): string {
  const lines = [`**${spec.name}** \`${spec.args}\``, '', spec.description];
  const facts: string[] = [];
  if (spec.default !== undefined) facts.push(`Default: \`${spec.default === '' ? '""' : spec.default}\``);
  if (spec.type === 'integer' && spec.min !== undefined && spec.max !== undefined && !spec.memory) facts.push(`Range: ${spec.min} to ${spec.max}`);
  if (spec.memory) facts.push('Units: b, k, kb, m, mb, g, gb');
  if (spec.alias) facts.push(`Alias: \`${spec.alias}\``);
  if (spec.since) facts.push(`Since Redis ${spec.since}`);
  if (facts.length) lines.push('', facts.join(' · '));
  return lines.join('\n');
}

/** Markdown describing a `sentinel <sub>` directive. */
export function sentinelDirectiveDoc(spec: SentinelDirectiveSpec): string {
  const lines = [`**sentinel ${spec.name}** ${spec.args.map((a) => `\`<${a}>\``).join(' ')}`, '', spec.description];
  const facts: string[] = [];
  if (spec.default !== undefined) facts.push(`Default: \`${spec.default}\``);
  if (spec.generated) facts.push('Written by Sentinel itself');
  facts.push(`Since Redis ${spec.since}`);
  lines.push('', facts.join(' · '));
  return lines.join('\n');
}

export const SENTINEL_KEYWORD_DOC =
  '**sentinel** `<directive> ...`\n\nA Sentinel statement: `sentinel monitor` declares a master to watch, the other `sentinel` directives tune it ' +
  'or hold the state Sentinel writes back into this file.';
