/** Value readers that accept exactly what Redis's config loader accepts. */

const LONG_STR_SIZE = 21;
const LLONG_MAX = 9223372036854775807n;

/** Past the range of every 64-bit integer: what a number with more digits than fit reads as. */
const OUT_OF_RANGE = 1n << 64n;

/**
 * A run of digits in `radix` (10 or 8) as a bigint, reading at most the digits a 64-bit number
 * has: more (leading zeros aside) is out of range, as it is for Redis's parsers, whatever follows.
 */
export function digitsValue(digits: string, radix: 8 | 10 = 10): bigint {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  if (digits.length - i > (radix === 8 ? 22 : 20)) return OUT_OF_RANGE;
  return BigInt(`${radix === 8 ? '0o' : ''}${digits.slice(i)}`);
}

/** An octal number with an optional sign, as strtoll(s, &end, 8) reads it whole; undefined when it is not one. */
export function octalValue(s: string): bigint | undefined {
  const m = /^([+-]?)([0-7]+)$/.exec(s);
  if (!m) return undefined;
  const v = digitsValue(m[2], 8);
  return m[1] === '-' ? -v : v;
}

/** Redis's strict integer parser: no sign but '-', no leading zeros, no blanks. */
export function string2ll(s: string): bigint | undefined {
  if (s.length === 0 || s.length >= LONG_STR_SIZE) return undefined;
  if (s === '0') return 0n;
  const m = /^(-?)([1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const v = BigInt(m[2]);
  if (m[1]) return v > LLONG_MAX + 1n ? undefined : -v;
  return v > LLONG_MAX ? undefined : v;
}

const UNITS: Record<string, bigint> = { '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n };

/** A memory size such as 100mb or 1gb (units are case-insensitive; k = 1000, kb = 1024). */
export function memoryValue(s: string): bigint | undefined {
  const m = /^([0-9]*)([a-zA-Z]*)$/.exec(s);
  if (!m) return undefined;
  const unit = UNITS[m[2].toLowerCase()];
  if (unit === undefined || m[1].length >= 128) return undefined;
  return digitsValue(m[1] || '0') * unit;
}

/**
 * glibc's atoi: leading blanks, an optional sign, then digits (anything else reads as 0). It is
 * (int)strtol(): the long saturates at 64 bits and the cast keeps the low 32 bits, so
 * 99999999999999999999 reads as -1 and 4294967297 as 1.
 */
export function atoi(s: string): { value: number; exact: boolean } {
  if (s.length > 0 && s.length < 10 && /^[0-9]+$/.test(s)) return { value: Number(s), exact: true };
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/.exec(s);
  if (!m) return { value: 0, exact: false };
  const digits = digitsValue(m[2]);
  let v = digits;
  if (m[1] === '-') v = v > LLONG_MAX + 1n ? -(LLONG_MAX + 1n) : -v;
  else if (v > LLONG_MAX) v = LLONG_MAX;
  const value = Number(BigInt.asIntN(32, v));
  // "Exact": the whole text is the number and it survived the conversion unchanged.
  return { value, exact: m[0] === m[1] + m[2] && m[0].length === s.length && m[1] !== '+' && BigInt(value) === (m[1] === '-' ? -digits : digits) };
}

/** strtol(s, &end, 10) with the whole string consumed, as replicaof reads its port. */
export function strtolFull(s: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]*)$/.exec(s);
  if (!m) return undefined;
  if (!/[0-9]/.test(m[1])) return m[1] === '' ? 0 : undefined;
  return Number(m[1]);
}

/** strtoll base 10 requiring the whole string to be read, saturating at 64 bits like glibc. */
export function strtollFull(s: string): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(s);
  if (!m) return s === '' ? 0n : undefined;
  const v = digitsValue(m[2]);
  if (m[1] === '-') return v > LLONG_MAX + 1n ? -(LLONG_MAX + 1n) : -v;
  return v > LLONG_MAX ? LLONG_MAX : v;
}

export function yesNo(s: string): boolean | undefined {
  const v = s.toLowerCase();
  return v === 'yes' ? true : v === 'no' ? false : undefined;
}

/**
 * Whether Sentinel accepts `host` without `resolve-hostnames yes`: a numeric IPv4 address in
 * any form inet_aton takes (1 to 4 parts, decimal, octal or hex) or an IPv6 literal.
 */
export function isNumericHost(host: string): boolean {
  return isInetAton(host) || isIPv6(host);
}

function isInetAton(s: string): boolean {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(s)) return true;
  const parts = s.split('.');
  if (parts.length > 4) return false;
  const values: number[] = [];
  for (const p of parts) {
    let v: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(p)) v = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) v = p.length === 1 ? 0 : parseInt(p.slice(1), 8);
    else if (/^[1-9][0-9]*$/.test(p)) v = Number(p);
    else return false;
    values.push(v);
  }
  const last = values[values.length - 1];
  const head = values.slice(0, -1);
  if (head.some((v) => v > 255)) return false;
  return last < 256 ** (5 - values.length);
}

function isIPv6(s: string): boolean {
  const addr = s.replace(/%[\w.-]+$/, '');
  if (!/^[0-9a-fA-F:.]+$/.test(addr) || !addr.includes(':')) return false;
  let body = addr;
  let groupsFromV4 = 0;
  const lastColon = addr.lastIndexOf(':');
  if (addr.slice(lastColon + 1).includes('.')) {
    if (!/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(addr.slice(lastColon + 1))) return false;
    body = addr.slice(0, lastColon + 1) + '0';
    groupsFromV4 = 1;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string): string[] | undefined => (h === '' ? [] : h.split(':'));
  const parts = halves.map(groups);
  if (parts.some((g) => g === undefined || g.some((x) => !/^[0-9a-fA-F]{1,4}$/.test(x)))) return false;
  const count = parts.reduce((n, g) => n + (g?.length ?? 0), 0) + groupsFromV4;
  return halves.length === 2 ? count <= 7 : count === 8;
}
