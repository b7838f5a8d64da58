import type { ScalarTag } from 'yaml';

/*
 * The scalars of a manifest as kubectl reads them: go-yaml v2 resolves each plain scalar (YAML 1.1
 * as that library implements it: `y`, `on` and `off` are booleans, `0755` is octal, `1e3` a float,
 * no base 60, a timestamp stays its text), then sigs.k8s.io/yaml turns the result into JSON (keys
 * become strings; JSON has no infinity, no NaN and no null key, so those make kubectl refuse the file).
 */

export type GoType = 'null' | 'bool' | 'int' | 'uint' | 'float' | 'str';

export interface GoScalar {
  type: GoType;
  value: unknown;
}

const WORDS: Record<string, GoScalar> = {};
const word = (type: GoType, value: unknown, list: string) => list.split(' ').forEach((w) => (WORDS[w] = { type, value }));
word('bool', true, 'y Y yes Yes YES true True TRUE on On ON');
word('bool', false, 'n N no No NO false False FALSE off Off OFF');
word('null', null, '~ null Null NULL');
word('float', NaN, '.nan .NaN .NAN');
word('float', Infinity, '.inf .Inf .INF +.inf +.Inf +.INF');
word('float', -Infinity, '-.inf -.Inf -.INF');

/** First characters that may make a plain scalar something else than a string (go-yaml's hint table). */
export const KUBECTL_PLAIN_STARTS = '-+0123456789.yYnNtTfFoO~';
/** The scalars go-yaml may resolve to something else than a string: a number-like start, or one of its words. */
const HINTED = /^(?:$|[-+0-9.~]|(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$)/;
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INT64 = 1n << 63n;
const UINT64 = 1n << 64n;

/** strconv.ParseUint(s, base, 64) without underscores; base 0 reads the 0x, 0o, 0b and 0 prefixes. */
function parseUint(s: string, base: number): bigint | undefined {
  if (s === '') return undefined;
  let digits = s;
  if (base === 0) {
    base = 10;
    if (s[0] === '0') {
      const p = s.length >= 3 ? s[1].toLowerCase() : '';
      base = p === 'x' ? 16 : p === 'b' ? 2 : 8;
      digits = p === 'x' || p === 'b' || p === 'o' ? s.slice(2) : s.slice(1);
    }
  }
  const valid = { 2: /^[01]*$/, 8: /^[0-7]*$/, 10: /^[0-9]*$/, 16: /^[0-9a-fA-F]*$/ }[base as 2 | 8 | 10 | 16];
  if (!valid.test(digits)) return undefined;
  if (digits === '') return 0n;
  const prefix = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[base as 2 | 8 | 10 | 16];
  const n = BigInt(prefix + digits);
  return n < UINT64 ? n : undefined;
}

/** strconv.ParseInt(s, base, 64): an optional sign, then ParseUint within the int64 range. */
function parseInt64(s: string, base: number): bigint | undefined {
  const negative = s[0] === '-';
  const u = parseUint(s[0] === '-' || s[0] === '+' ? s.slice(1) : s, base);
  if (u === undefined || (negative ? u > INT64 : u >= INT64)) return undefined;
  return negative ? -u : u;
}

/** Underscores only between digits (strconv's underscoreOK, for decimal numbers). */
function underscoresOk(s: string): boolean {
  return !/(^|[^0-9])_|_($|[^0-9])/.test(s.replace(/^[-+]/, ''));
}

/** strconv.ParseFloat of a scalar starting with `.`: Go's decimal float syntax; out of range is an error. */
function parseDotFloat(s: string): number | undefined {
  if (!/^\.[0-9_]*[0-9][0-9_]*(?:[eE][-+]?[0-9][0-9_]*)?$/.test(s)) return undefined;
  if (s.includes('_') && !underscoresOk(s)) return undefined;
  const f = Number(s.replace(/_/g, ''));
  return Number.isFinite(f) ? f : undefined;
}

const SMALL_DECIMAL = /^[-+]?(?:0|[1-9][0-9]{0,14})$/;
/** A character no integer or float syntax of go-yaml allows (hex digits, base prefixes, exponents, signs, dots and underscores do). */
const NOT_A_NUMBER = /[^0-9a-fA-FxXoO_.+-]/;

const int = (n: bigint): GoScalar => (n < INT64 && n >= -INT64 ? { type: 'int', value: n } : { type: 'uint', value: n });

/** go-yaml v2's resolve() of an untagged plain scalar: the type and value kubectl sees. */
export function goResolve(source: string): GoScalar {
  if (source === '') return { type: 'null', value: null };
  if (!HINTED.test(source)) return { type: 'str', value: source };
  const known = WORDS[source];
  if (known) return known;
  const c = source[0];
  if (c === '.') {
    const f = parseDotFloat(source);
    return f === undefined ? { type: 'str', value: source } : { type: 'float', value: f };
  }
  if (c !== '-' && c !== '+' && (c < '0' || c > '9')) return { type: 'str', value: source };
  // Most scalars here are small decimal integers, or text that no number syntax allows.
  if (SMALL_DECIMAL.test(source)) return { type: 'int', value: BigInt(source) };
  if (NOT_A_NUMBER.test(source)) return { type: 'str', value: source };
  // A timestamp is tried first, but decoded into an untyped value it stays its text.
  const plain = source.replace(/_/g, '');
  const i = parseInt64(plain, 0);
  if (i !== undefined) return int(i);
  const u = plain[0] === '+' || plain[0] === '-' ? undefined : parseUint(plain, 0);
  if (u !== undefined) return int(u);
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return { type: 'float', value: f };
  }
  if (plain.startsWith('0b')) {
    const b = parseInt64(plain.slice(2), 2) ?? (/^[+-]/.test(plain.slice(2)) ? undefined : parseUint(plain.slice(2), 2));
    if (b !== undefined) return int(b);
  }
  return { type: 'str', value: source };
}

/** strconv.FormatFloat(f, 'g', -1, 32), as sigs.k8s.io/yaml writes a float mapping key. */
export function formatFloat32(f: number): string {
  const x = Math.fround(f);
  if (Number.isNaN(x)) return '.nan';
  if (!Number.isFinite(x)) return x > 0 ? '.inf' : '-.inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let e = '';
  for (let p = 1; p <= 9; p++) {
    e = Math.abs(x).toExponential(p - 1);
    if (Math.fround(Number(e)) === Math.abs(x)) break;
  }
  const [mantissa, exponent] = e.split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(exponent);
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    return `${sign}${digits[0]}${digits.length > 1 ? '.' + digits.slice(1) : ''}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fraction = digits.slice(exp + 1);
  return `${sign}${whole}${fraction ? '.' + fraction : ''}`;
}

const TAG = 'tag:yaml.org,2002:';

/** `!!str`: any scalar as it is written. */
const STR: ScalarTag = { tag: `${TAG}str`, resolve: (s) => s };

/** The value kubectl puts in the JSON object for a resolved scalar; an Error when it refuses it. */
function jsonValue(r: GoScalar, source: string): unknown {
  if (r.type === 'int' || r.type === 'uint') return Number(r.value);
  if (r.type === 'float') {
    const f = r.value as number;
    if (!Number.isFinite(f)) return new Error(`kubectl cannot convert ${source} to JSON (it has no infinity or NaN) and refuses the file; quote it if it is text`);
    // JSON has one zero: kubectl reads the -0 it wrote back as the integer 0.
    return f === 0 ? 0 : f;
  }
  return r.value;
}

/** The property name sigs.k8s.io/yaml makes of a resolved mapping key; an Error for the keys it refuses. */
function jsonKey(r: GoScalar, source: string): unknown {
  switch (r.type) {
    case 'null':
      return new Error(`kubectl refuses a null mapping key (${source || 'an empty key'}); quote it if it is text`);
    case 'uint':
      return new Error(`kubectl refuses the mapping key ${source} (an integer beyond the 64-bit signed range); quote it`);
    case 'int':
      return String(r.value);
    case 'float':
      return formatFloat32(r.value as number);
    default:
      return r.value;
  }
}

function implicit(name: string, at: true | 'key', convert: (r: GoScalar, source: string) => unknown): ScalarTag {
  return {
    tag: `!kubectl/${name}`,
    default: at,
    test: HINTED,
    resolve(source, onError) {
      const v = convert(goResolve(source), source);
      if (!(v instanceof Error)) return v;
      onError(v.message);
      return source;
    },
  };
}

/** A timestamp as go-yaml's time.Parse formats accept it (dates with 1- or 2-digit month and day, optional time). */
const GO_TIMESTAMP = /^[0-9]{4}-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2}))|(?: [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?))?$/;

/** `!!int`, `!!float`, `!!bool`, `!!null`, `!!timestamp`, `!!binary`: resolved as go-yaml does, refused when they do not fit. */
function explicit(name: string, accepts: (r: GoScalar, source: string) => boolean, convert?: (source: string) => unknown): ScalarTag {
  return {
    tag: TAG + name,
    default: false,
    resolve(source, onError) {
      const r = goResolve(source);
      if (!accepts(r, source)) {
        onError(`kubectl cannot decode ${source} as a !!${name} and refuses the file`);
        return source;
      }
      if (convert) return convert(source);
      const v = jsonValue(name === 'float' && r.type !== 'float' ? { type: 'float', value: Number(r.value) } : r, source);
      if (v instanceof Error) onError(v.message);
      return v instanceof Error ? source : v;
    },
  };
}

/** The tags, in the order they are tried: keys first (`default: 'key'` applies at keys only). */
export const KUBECTL_TAGS = [
  'map',
  'seq',
  STR,
  'merge',
  implicit('key', 'key', jsonKey),
  implicit('value', true, jsonValue),
  explicit('null', (r) => r.type === 'null'),
  explicit('bool', (r) => r.type === 'bool'),
  explicit('int', (r) => r.type === 'int' || r.type === 'uint'),
  // go-yaml turns an int into a float for !!float, but not an unsigned 64-bit one.
  explicit('float', (r) => r.type === 'float' || r.type === 'int'),
  explicit('timestamp', (_r, s) => GO_TIMESTAMP.test(s), (s) => s),
  explicit('binary', () => true, (s) => Buffer.from(s, 'base64').toString('utf8')),
] as const;

/** The `yaml` options that read scalars as kubectl does (the library's other known tags left unresolved, as go-yaml leaves them). */
export const KUBECTL_OPTIONS = { schema: 'kubectl', customTags: [...KUBECTL_TAGS], merge: true, resolveKnownTags: false } as const;

/** What kubectl makes of a plain (unquoted, untagged) scalar value. */
export function kubectlValueOf(source: string): unknown {
  const v = jsonValue(goResolve(source), source);
  return v instanceof Error ? source : v;
}
