import { redisDirective } from '../../documents/redis/catalog';
import type { Directive, RedisModel } from '../../documents/redis';

const cache = new WeakMap<RedisModel, Map<string, Directive>>();

/** The line that sets `name` (or its alias) last: the one Redis keeps. */
export function lastSetting(model: RedisModel, name: string): Directive | undefined {
  let last = cache.get(model);
  if (!last) {
    last = new Map();
    for (const d of model.directives) last.set(redisDirective(d.name)?.name ?? d.name, d);
    cache.set(model, last);
  }
  return last.get(name);
}

/** Whether `replicaof <host> <port>` (not `no one`) is set. */
export function replicaOf(model: RedisModel): Directive | undefined {
  const d = lastSetting(model, 'replicaof');
  if (!d || d.args.length !== 2) return undefined;
  return d.args[0].value.toLowerCase() === 'no' && d.args[1].value.toLowerCase() === 'one' ? undefined : d;
}

/** A value written so that Redis reads it back unchanged. */
export function quoteArg(value: string): string {
  return /^[^\s"'\\]+$/.test(value) ? value : `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}
