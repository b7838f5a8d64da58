import type { Directive } from '../../documents/redis';
import { atoi } from '../../documents/redis/values';
import type { MonitoredMaster } from './sentinel-rules';

/** The directive that sets `sub` for a master (the last one wins), and its value read as Sentinel reads it. */
export function masterSetting(m: MonitoredMaster, sub: string): { directive: Directive; value: number } | undefined {
  for (let i = m.directives.length - 1; i >= 0; i--) {
    const d = m.directives[i];
    if (d.sub === sub && d.args.length === 2) return { directive: d, value: atoi(d.args[1].value).value };
  }
  return undefined;
}

export const DEFAULT_DOWN_AFTER_MS = 30000;
