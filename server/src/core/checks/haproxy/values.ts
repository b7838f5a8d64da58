import type { ValueType } from '../../documents/haproxy/catalog';

const TIME_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const MAX_TIMER_MS = 2_147_483_647;

/**
 * HAProxy time as its parser reads it: digits, then an optional unit (us, ms, s, m, h, d;
 * milliseconds when absent). Characters after a valid unit are only warned about by HAProxy
 * (2.6 to 3.2), so they come back as `trailing` rather than as an error.
 */
export function parseTime(text: string): { ms: number; trailing?: string } | { error: string } {
  // An escaped line break (`"\n"`) is part of a word: the rest is everything, line breaks included.
  const m = /^(\d*)([\s\S]*)$/.exec(text)!;
  const rest = m[2];
  let unit = '';
  if (rest === '') unit = 'ms';
  else if (rest.startsWith('us')) unit = 'us';
  else if (rest.startsWith('ms')) unit = 'ms';
  else if ('smhd'.includes(rest[0])) unit = rest[0];
  if (!unit) return { error: `"${text}" is not a valid time: unexpected "${rest[0]}"; write digits followed by an optional unit (us, ms, s, m, h, d), e.g. 5s.` };
  const ms = Number(m[1] || '0') * TIME_UNITS[unit];
  if (ms > MAX_TIMER_MS) return { error: `"${text}" is too large: HAProxy timers are limited to about 24.8 days (2147483647 ms).` };
  const trailing = rest === '' ? '' : rest.slice(unit.length);
  return trailing ? { ms, trailing } : { ms };
}

/** C atoi(): the leading optional sign and digits; 0 when there are none. */
export function leadingInteger(text: string): number {
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** HAProxy size: digits with an optional k, m or g suffix. */
export function parseSize(text: string): { bytes: number } | { error: string } {
  const m = /^(\d+)([kmgKMG]?)$/.exec(text);
  if (!m) return { error: `"${text}" is not a size: write digits followed by an optional k, m or g suffix, e.g. 16k.` };
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return { bytes: Number(m[1]) * mult };
}

export function parseInteger(text: string): { value: number } | { error: string } {
  if (!/^-?\d+$/.test(text)) return { error: `"${text}" is not an integer: write a whole number.` };
  return { value: Number(text) };
}

/** An error message for a value of the given type, or undefined when it is valid. */
export function valueError(type: ValueType, text: string): string | undefined {
  if (type === 'positive') return leadingInteger(text) > 0 ? undefined : `"${text}" must be a number greater than 0.`;
  const r = type === 'time' ? parseTime(text) : type === 'size' ? parseSize(text) : parseInteger(text);
  return 'error' in r ? r.error : undefined;
}

/** Milliseconds as a short human duration: 2500 → "2.5 s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 120 ? `${Number(s.toFixed(1))} s` : `${Number((s / 60).toFixed(1))} min`;
}
