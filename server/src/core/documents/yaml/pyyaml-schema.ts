import type { Document, Node, ScalarTag } from 'yaml';
import { visit, YAMLParseError } from 'yaml';

/*
 * The scalars of PyYAML's safe loader (yaml.safe_load, how Patroni reads its file), as tags of the
 * `yaml` library: its implicit resolvers (YAML 1.1 as PyYAML implements it, which differs from the
 * library's own 1.1 schema: `y`/`n` are strings, `1e3` is a string, `1:30` is 90, `=` cannot be
 * constructed) and its constructors for explicit tags (`!!int "0755"` is 493).
 */

const TAG = 'tag:yaml.org,2002:';

/** `!!str`: any scalar as it is written. */
const STR: ScalarTag = { tag: `${TAG}str`, resolve: (s) => s };

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT = /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP = /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9]{2})?))?)$/;
/** What the timestamp constructor reads (looser than the resolver: an explicit `!!timestamp` may use one-digit months). */
const TIMESTAMP_PARTS = /^([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)(?:(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9]{2}))?))?)?$/;

/**
 * A date (`2001-12-14`) or date and time that PyYAML turns into a `datetime.date` or
 * `datetime.datetime` object: neither a string nor a number to Patroni. Its fields are private so
 * that schema validation sees no properties.
 */
export class YamlTimestamp {
  readonly #source: string;
  readonly #iso: string;

  constructor(source: string, iso: string) {
    this.#source = source;
    this.#iso = iso;
  }

  /** The text as written. */
  get source(): string {
    return this.#source;
  }

  /** Python's isoformat() of the object: `2001-12-14`, `2001-12-14T21:59:43.100000-05:00`. */
  get iso(): string {
    return this.#iso;
  }

  get hasTime(): boolean {
    return this.#iso.length > 10;
  }

  toString(): string {
    return this.#source;
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** construct_yaml_timestamp: a date or datetime, or a message when Python's datetime refuses the fields. */
export function pyTimestamp(source: string): YamlTimestamp | string {
  const m = TIMESTAMP_PARTS.exec(source);
  if (!m) return `"${source}" is not a timestamp`;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return `${source} is not a valid date`;
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (m[4] === undefined) return new YamlTimestamp(source, date);
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hour > 23 || minute > 59 || second > 59) return `${source} is not a valid time of day`;
  const fraction = m[7] ? m[7].slice(0, 6).padEnd(6, '0') : '';
  let iso = `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction && Number(fraction) > 0 ? `.${fraction}` : ''}`;
  if (m[9]) {
    const minutes = Number(m[10]) * 60 + Number(m[11] ?? 0);
    if (minutes >= 24 * 60) return `${source} has a time zone offset of 24 hours or more`;
    iso += `${minutes === 0 ? '+' : m[9]}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  } else if (m[8] === 'Z') {
    iso += '+00:00';
  }
  return new YamlTimestamp(source, iso);
}

/** Python's int(text, base): spaces around, a sign, the base's own prefix (0b, 0o, 0x) allowed; undefined when it raises. */
function pythonInt(text: string, base: 2 | 8 | 10 | 16): bigint | undefined {
  const m = /^\s*([-+]?)(0[bBoOxX])?([0-9a-fA-F]+)\s*$/.exec(text);
  if (!m) return undefined;
  const prefix = m[2]?.[1].toLowerCase();
  if (prefix && prefix !== { 2: 'b', 8: 'o', 10: '', 16: 'x' }[base]) return undefined;
  const digits = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base];
  if (!digits.test(m[3])) return undefined;
  const n = BigInt({ 2: '0b', 8: '0o', 10: '', 16: '0x' }[base] + m[3]);
  return m[1] === '-' ? -n : n;
}

/** construct_yaml_int: underscores dropped, then 0b, 0x, a leading 0 (octal), base 60 (`1:30`) or decimal; undefined when Python's int() refuses it. */
export function pyInt(source: string): number | undefined {
  let v = source.replace(/_/g, '');
  if (v === '') return undefined;
  const negative = v[0] === '-';
  if (v[0] === '-' || v[0] === '+') v = v.slice(1);
  let n: bigint | undefined;
  if (v === '0') return 0;
  if (v.startsWith('0b')) n = pythonInt(v.slice(2), 2);
  else if (v.startsWith('0x')) n = pythonInt(v.slice(2), 16);
  else if (v[0] === '0') n = pythonInt(v, 8);
  else if (v.includes(':')) {
    const parts = v.split(':').map((p) => pythonInt(p, 10));
    n = parts.some((p) => p === undefined) ? undefined : (parts as bigint[]).reduce((sum, part) => sum * 60n + part, 0n);
  } else n = pythonInt(v, 10);
  if (n === undefined) return undefined;
  // Python's ints are unbounded; past 2^53 the nearest double stands for them.
  return Number(negative ? -n : n);
}

/** Python's float() of a string: decimal, `inf`, `infinity` or `nan` in any case, spaces around. */
function pythonFloat(s: string): number | undefined {
  const t = s.trim();
  if (/^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?$/.test(t)) return Number(t);
  const special = /^([-+]?)(inf|infinity|nan)$/.exec(t);
  if (!special) return undefined;
  if (special[2] === 'nan') return NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

/** construct_yaml_float: underscores dropped, case folded, `.inf`, `.nan`, base 60 (`1:30.5`), else Python's float(). */
export function pyFloat(source: string): number | undefined {
  let v = source.replace(/_/g, '').toLowerCase();
  const sign = v[0] === '-' ? -1 : 1;
  if (v[0] === '-' || v[0] === '+') v = v.slice(1);
  if (v === '.inf') return sign * Infinity;
  if (v === '.nan') return NaN;
  if (v.includes(':')) {
    const parts = v.split(':').map(pythonFloat);
    if (parts.some((p) => p === undefined)) return undefined;
    // The same order of operations as PyYAML, so the rounding is the same.
    let value = 0;
    let base = 1;
    for (const digit of (parts as number[]).reverse()) {
      value += digit * base;
      base *= 60;
    }
    return sign * value;
  }
  const f = pythonFloat(v);
  return f === undefined ? undefined : sign * f;
}

const BOOLS: Record<string, boolean> = { yes: true, no: false, true: true, false: false, on: true, off: false };

/** A scalar tag: resolved implicitly when `test` is given (plain scalars), else only by an explicit `!!tag`. */
function tag(name: string, construct: (s: string) => unknown, test?: RegExp, at: boolean | 'key' = true): ScalarTag {
  return {
    tag: TAG + name,
    default: test ? at : false,
    test,
    resolve(source, onError) {
      const v = construct(source);
      if (v instanceof Error) {
        onError(v.message);
        return source;
      }
      return v;
    },
  };
}

const refused = (what: string) => new Error(`PyYAML cannot construct ${what}; quote it if it is meant as text`);
const reserved = (s: string) => refused(`an unquoted ${s} (YAML 1.1 reserves it as the ${s === '=' ? 'default-value' : 'merge'} key)`);

const intOf = (s: string) => pyInt(s) ?? refused(`the integer ${JSON.stringify(s)}`);
const floatOf = (s: string) => pyFloat(s) ?? refused(`the float ${JSON.stringify(s)}`);
const boolOf = (s: string) => BOOLS[s.toLowerCase()] ?? refused(`the boolean ${JSON.stringify(s)}`);
function timestampOf(s: string): YamlTimestamp | Error {
  const t = pyTimestamp(s);
  return typeof t === 'string' ? refused(`a date: ${t}`) : t;
}

/** `=` and `<<` as keys are a string and a merge key; as values PyYAML's safe loader has no constructor for them. */
const EQUALS_KEY = tag('str', (s) => s, /^=$/, 'key');
const NO_CONSTRUCTOR = tag('value', reserved, /^(?:=|<<)$/);

/** The tags, in the order they are tried; the library's merge key comes first so that `<<` as a key merges. */
export const PYYAML_TAGS = [
  'map',
  'seq',
  STR,
  'merge',
  EQUALS_KEY,
  tag('null', () => null, NULL),
  tag('bool', boolOf, BOOL),
  tag('int', intOf, INT),
  tag('float', floatOf, FLOAT),
  tag('timestamp', timestampOf, TIMESTAMP),
  NO_CONSTRUCTOR,
  // Explicit tags construct whatever scalar they are given, quoted or not.
  tag('null', () => null),
  tag('bool', boolOf),
  tag('int', intOf),
  tag('float', floatOf),
  tag('timestamp', timestampOf),
  'binary',
  'omap',
  'pairs',
  'set',
] as const;

/** The `yaml` options that read scalars as PyYAML's safe loader does. */
export const PYYAML_OPTIONS = { schema: 'pyyaml', customTags: [...PYYAML_TAGS], merge: true } as const;

export type PyYamlType = 'null' | 'bool' | 'int' | 'float' | 'timestamp' | 'value' | 'merge' | 'str';

/** What PyYAML makes of a plain (unquoted, untagged) scalar: its type, or 'str'. */
export function pyyamlTypeOf(source: string): PyYamlType {
  if (source === '=') return 'value';
  if (source === '<<') return 'merge';
  if (NULL.test(source)) return 'null';
  if (BOOL.test(source)) return 'bool';
  if (INT.test(source)) return 'int';
  if (FLOAT.test(source)) return 'float';
  if (TIMESTAMP.test(source)) return 'timestamp';
  return 'str';
}

/**
 * What the tags cannot say: PyYAML resolves a scalar with the non-specific tag `!` (`! 12`, even
 * `! "12"`) as if it were plain, where the `yaml` library makes it a string; and its safe loader
 * refuses a tag it does not know, where the library only warns. Applied to a document once composed.
 */
export function asPyYamlReadsIt(doc: Document.Parsed, text: string, end = text.length): void {
  // A block scalar that ends the stream without a line break: PyYAML keeps no final line break
  // there (`post_init: |` then `  script` at the end of the file is "script"); the library adds one.
  const unbroken = end > 0 && end === text.length && !/[\n\r\u0085\u2028\u2029]/.test(text[end - 1]) ? end : -1;
  for (let i = doc.warnings.length - 1; i >= 0; i--) {
    const w = doc.warnings[i];
    if (w.code !== 'TAG_RESOLVE_FAILED') continue;
    doc.warnings.splice(i, 1);
    doc.errors.push(new YAMLParseError(w.pos, w.code, `PyYAML's safe loader refuses this tag (${w.message.replace(/^Unresolved tag: /, '')}); Patroni cannot read the file`));
  }
  if (!doc.contents) return;
  // PyYAML's composer refuses an anchor defined twice in one document; YAML lets the second win.
  const anchors = new Set<string>();
  const anchored = (node: Node): void => {
    if (!node.anchor) return;
    if (anchors.has(node.anchor)) {
      const at: [number, number] = node.range ? [node.range[0], node.range[1]] : [0, 0];
      doc.errors.push(new YAMLParseError(at, 'BAD_ALIAS', `PyYAML refuses a second anchor &${node.anchor} in one document ("found duplicate anchor"); Patroni cannot read the file. Rename one of them`));
    }
    anchors.add(node.anchor);
  };
  visit(doc, {
    Map(_, node) {
      anchored(node);
    },
    Seq(_, node) {
      anchored(node);
    },
    Scalar(key, node) {
      anchored(node);
      if (
        unbroken !== -1 &&
        (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') &&
        node.range?.[1] === unbroken &&
        typeof node.value === 'string' &&
        node.value.endsWith('\n')
      ) {
        node.value = node.value.slice(0, -1);
      }
      if (node.tag !== '!' || typeof node.source !== 'string') return;
      const type = pyyamlTypeOf(node.source);
      // As keys, `=` is a string and `<<` a merge key; as values PyYAML has no constructor for them.
      if (key === 'key' && (type === 'value' || type === 'merge')) return;
      const construct = { null: () => null, bool: boolOf, int: intOf, float: floatOf, timestamp: timestampOf, value: reserved, merge: reserved, str: (s: string) => s }[type];
      const v = construct(node.source);
      if (v instanceof Error) doc.errors.push(new YAMLParseError(node.range ? [node.range[0], node.range[1]] : [0, 0], 'TAG_RESOLVE_FAILED', v.message));
      else node.value = v;
    },
  });
}
