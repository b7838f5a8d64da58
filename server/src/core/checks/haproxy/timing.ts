import type { Token } from '../../documents/haproxy';
import type { ProxyInfo, ServerEntry } from './proxies';
import { serverOption } from './proxies';
import { parseInteger, parseTime } from './values';

/** HAProxy's defaults when a server does not set them. */
export const DEFAULT_INTER_MS = 2000;
export const DEFAULT_FALL = 3;
export const DEFAULT_RISE = 2;

export interface Timing {
  interMs: number;
  fall: number;
  rise: number;
  /** Where each value was set (undefined: HAProxy's default). */
  interToken?: Token;
  fallToken?: Token;
  riseToken?: Token;
}

/** A server's inter, fall and rise after default-server is applied; undefined when a value is unreadable. */
export function timingOf(info: ProxyInfo, server: ServerEntry): Timing | undefined {
  const inter = serverOption(info, server, 'inter')?.value;
  const fall = serverOption(info, server, 'fall')?.value;
  const rise = serverOption(info, server, 'rise')?.value;
  const t: Timing = { interMs: DEFAULT_INTER_MS, fall: DEFAULT_FALL, rise: DEFAULT_RISE, interToken: inter, fallToken: fall, riseToken: rise };
  if (inter) {
    const r = parseTime(inter.text);
    if ('error' in r) return undefined;
    t.interMs = r.ms;
  }
  for (const [tok, key] of [[fall, 'fall'], [rise, 'rise']] as const) {
    if (!tok) continue;
    const r = parseInteger(tok.text);
    if ('error' in r) return undefined;
    t[key] = r.value;
  }
  return t;
}
