import redisCatalog from '../../../../../schemas/redis/redis-directives.json';
import sentinelCatalog from '../../../../../schemas/redis/sentinel-directives.json';

export type RedisValueType = 'yesno' | 'string' | 'enum' | 'integer' | 'special' | 'command';

/** A redis.conf directive (also valid at the top level of sentinel.conf). */
export interface RedisDirectiveSpec {
  name: string;
  alias?: string;
  type: RedisValueType;
  values?: string[];
  memory?: boolean;
  percent?: boolean;
  octal?: boolean;
  /** Decimal bounds as strings: some exceed a double's precision. */
  min?: string;
  max?: string;
  unsigned?: boolean;
  multiArg?: boolean;
  default?: string;
  args: string;
  since?: string;
  description: string;
  hidden?: boolean;
  deprecated?: boolean;
  /** For `command` directives: bounds on the number of arguments. */
  minArgs?: number;
  maxArgs?: number;
}

export type SentinelValueType = 'positive-ms' | 'nonnegative-ms' | 'atoi' | 'yesno' | 'epoch' | 'runid';

/** A `sentinel <sub>` directive. */
export interface SentinelDirectiveSpec {
  name: string;
  args: string[];
  minArgs: number;
  maxArgs: number;
  perMaster?: boolean;
  /** Normally written by Sentinel itself (state), not by hand. */
  generated?: boolean;
  type?: SentinelValueType;
  default?: string;
  description: string;
  since: string;
}

export const REDIS_DIRECTIVES: readonly RedisDirectiveSpec[] = (redisCatalog as { directives: RedisDirectiveSpec[] }).directives;
export const SENTINEL_DIRECTIVES: readonly SentinelDirectiveSpec[] = (sentinelCatalog as { directives: SentinelDirectiveSpec[] }).directives;

const byName = new Map<string, RedisDirectiveSpec>();
for (const d of REDIS_DIRECTIVES) {
  byName.set(d.name, d);
  if (d.alias) byName.set(d.alias, d);
}
const sentinelByName = new Map(SENTINEL_DIRECTIVES.map((d) => [d.name, d]));

/** The spec of a (lower-cased) directive name or alias. */
export function redisDirective(name: string): RedisDirectiveSpec | undefined {
  return byName.get(name);
}

export function sentinelDirective(sub: string): SentinelDirectiveSpec | undefined {
  return sentinelByName.get(sub);
}

/** Every name a user may write at the top level (aliases included). */
export function redisDirectiveNames(): string[] {
  return [...byName.keys()];
}


