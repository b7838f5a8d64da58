import { shown } from '../../shown';
import { redisDirective, redisDirectiveNames } from '../../documents/redis/catalog';
import { didYouMean } from '../../suggest';
import type { RedisDirectiveSpec } from '../../documents/redis/catalog';
import type { Directive, RedisModel, Token } from '../../documents/redis';
import { splitArgs } from '../../documents/redis/tokenize';
import { memoryValue, octalValue, string2ll, strtolFull, strtollFull, yesNo } from '../../documents/redis/values';
import type { Fix } from '../../types';

export type ServerIssueKind = 'unknown' | 'arity' | 'value';

export interface ServerIssue {
  kind: ServerIssueKind;
  start: number;
  end: number;
  message: string;
  fixes?: Fix[];
}

const cache = new WeakMap<RedisModel, ServerIssue[]>();

/** Everything Redis's config loader refuses in the non-`sentinel` lines, computed once per model. */
export function serverIssues(model: RedisModel): ServerIssue[] {
  let issues = cache.get(model);
  if (!issues) {
    issues = [];
    for (const d of model.directives) checkDirective(model, d, issues);
    cache.set(model, issues);
  }
  return issues;
}

function lineSpan(d: Directive): { start: number; end: number } {
  return { start: d.start, end: d.end };
}

function checkDirective(model: RedisModel, d: Directive, out: ServerIssue[]): void {
  const head = d.tokens[0];
  if (d.name === 'sentinel') {
    if (model.kind !== 'sentinel' && d.tokens.length > 1) {
      out.push({ kind: 'unknown', start: head.start, end: head.end, message: 'Redis refuses `sentinel` lines unless it runs as Sentinel ("sentinel directive while not in sentinel mode"). Start it with redis-sentinel (or --sentinel), or move these lines to the Sentinel\'s own file.' });
    }
    return;
  }
  const spec = redisDirective(d.name);
  if (!spec) {
    if (d.name.includes('.')) {
      if (d.args.length === 0) out.push({ kind: 'arity', ...lineSpan(d), message: `Module setting '${shown(head.value)}' has no value ("Module config specified without value"): add its value.` });
      return;
    }
    out.push(unknown(d, head));
    return;
  }
  if (spec.type === 'command') {
    const n = d.args.length;
    if (n < (spec.minArgs ?? 0) || (spec.maxArgs !== undefined && n > spec.maxArgs)) {
      out.push({ kind: 'arity', ...lineSpan(d), message: `'${shown(d.name)}' takes ${spec.args}, got ${n} argument${n === 1 ? '' : 's'}: Redis refuses it ("Bad directive or wrong number of arguments").` });
    }
    return;
  }
  if (!spec.multiArg) {
    if (d.args.length !== 1) {
      out.push({ kind: 'arity', ...lineSpan(d), message: `'${shown(d.name)}' takes exactly one argument (${spec.args}), got ${d.args.length}. Quote a value that contains spaces; a trailing # comment counts as arguments.` });
      return;
    }
    const problem = valueProblem(spec, d.args[0].value);
    if (problem) out.push({ kind: 'value', start: d.args[0].start, end: d.args[0].end, message: `'${shown(d.name)} ${shown(d.args[0].value)}': ${problem}`, fixes: yesNoFix(spec, d.args[0]) });
    return;
  }
  let values = d.args.map((t) => t.value);
  if (values.length === 1 && values[0] !== '') {
    // One non-empty argument of a multi-argument setting is split again: `save "900 1"` works.
    const again = splitArgs(values[0], 0, values[0].length);
    values = again.tokens.map((t) => t.value);
  }
  const problem = specialProblem(spec, values);
  if (problem) out.push({ kind: problem.kind, ...lineSpan(d), message: `'${shown(d.name)}': ${problem.message}` });
}

function unknown(d: Directive, head: Token): ServerIssue {
  const guess = didYouMean(d.name, redisDirectiveNames());
  const fixes: Fix[] | undefined = guess ? [{ title: `Change to '${guess}'`, edits: [{ start: head.start, end: head.end, newText: guess }], preferred: true }] : undefined;
  const hint = guess ? ` Did you mean '${guess}'?` : ' Check the spelling against the redis.conf of your Redis version.';
  return { kind: 'unknown', start: head.start, end: head.end, message: `Unknown directive '${shown(head.value)}': Redis refuses to start ("Bad directive or wrong number of arguments").${hint}`, fixes };
}

const YES_NO_GUESS: Record<string, string> = { true: 'yes', on: 'yes', '1': 'yes', y: 'yes', enabled: 'yes', false: 'no', off: 'no', '0': 'no', n: 'no', disabled: 'no' };

function yesNoFix(spec: RedisDirectiveSpec, t: Token): Fix[] | undefined {
  const guess = spec.type === 'yesno' ? YES_NO_GUESS[t.value.toLowerCase()] : undefined;
  return guess ? [{ title: `Change to '${guess}'`, edits: [{ start: t.start, end: t.end, newText: guess }], preferred: true }] : undefined;
}

/** Why Redis refuses `value` for a single-argument setting, or undefined. */
export function valueProblem(spec: RedisDirectiveSpec, value: string): string | undefined {
  switch (spec.type) {
    case 'yesno':
      return yesNo(value) === undefined ? 'the value must be yes or no.' : undefined;
    case 'enum': {
      const ok = spec.values?.some((v) => v.toLowerCase() === value.toLowerCase());
      return ok ? undefined : `the value must be one of ${spec.values?.join(', ')}.`;
    }
    case 'integer':
      return integerProblem(spec, value);
    default:
      return undefined;
  }
}

function integerProblem(spec: RedisDirectiveSpec, value: string): string | undefined {
  let n: bigint | undefined;
  if (spec.memory) n = memoryValue(value);
  if (n === undefined && spec.percent && value.length > 1 && value.endsWith('%')) {
    const p = string2ll(value.slice(0, -1));
    if (p !== undefined && p >= 0n) return p > -BigInt(spec.min ?? '0') ? `a percentage must be at most ${-BigInt(spec.min ?? '0')}%.` : undefined;
  }
  if (n === undefined && spec.octal) n = octalValue(value);
  if (n === undefined && !spec.memory && !spec.percent && !spec.octal) n = string2ll(value);
  if (n === undefined) {
    if (spec.memory) return `expected a size such as 512mb or 1gb${spec.percent ? ' or a percentage' : ''} (units b, k, kb, m, mb, g, gb).`;
    if (spec.octal) return 'expected an octal number such as 700.';
    return 'expected a whole number (no sign other than -, no leading zeros, no unit).';
  }
  const min = BigInt(spec.min ?? '-9223372036854775808');
  const max = BigInt(spec.max ?? '18446744073709551615');
  // Unsigned settings see a negative number as a huge one, as Redis does.
  const v = spec.unsigned && n < 0n ? n + 18446744073709551616n : n;
  if (v < min || v > max) return `the value must be between ${spec.octal ? min.toString(8) : min} and ${spec.octal ? max.toString(8) : max}.`;
  return undefined;
}

function asInt32(n: bigint): number {
  return Number(BigInt.asIntN(32, n));
}

function specialProblem(spec: RedisDirectiveSpec, v: string[]): { kind: ServerIssueKind; message: string } | undefined {
  if (spec.type === 'enum') {
    // A multi-argument option is a set of flags: at least one, each from the list, not both save and nosave.
    const words = v.map((x) => x.toLowerCase());
    const bad = words.find((w) => !spec.values?.includes(w));
    if (words.length === 0 || bad !== undefined) return { kind: 'value', message: `takes one or more of ${spec.values?.join(', ')}${bad !== undefined ? `, not '${shown(bad)}'` : ''}.` };
    if (words.includes('save') && words.includes('nosave')) return { kind: 'value', message: 'save and nosave cannot be combined.' };
    return undefined;
  }
  switch (spec.name) {
    case 'replicaof': {
      if (v.length !== 2) return { kind: 'arity', message: 'takes <host> <port> (or `no one`).' };
      if (v[0].toLowerCase() === 'no' && v[1].toLowerCase() === 'one') return undefined;
      const port = strtolFull(v[1]);
      return port === undefined || port < 0 || port > 65535 ? { kind: 'value', message: `'${shown(v[1])}' is not a port between 0 and 65535 ("Invalid master port").` } : undefined;
    }
    case 'save': {
      // `save ""` and a bare `save` both turn snapshots off.
      if (v.length === 0 || (v.length === 1 && v[0] === '')) return undefined;
      if (v.length % 2) return { kind: 'value', message: 'takes <seconds> <changes> pairs; one number is missing ("Invalid save parameters").' };
      const bad = v.findIndex((x, i) => {
        const n = strtollFull(x);
        return n === undefined || (i % 2 === 0 ? n < 1n : n < 0n);
      });
      return bad >= 0 ? { kind: 'value', message: `'${shown(v[bad])}' is not a valid ${bad % 2 ? 'change count (0 or more)' : 'number of seconds (1 or more)'} ("Invalid save parameters").` } : undefined;
    }
    case 'bind':
      return v.length > 16 ? { kind: 'arity', message: 'takes at most 16 addresses ("Too many bind addresses specified.").' } : undefined;
    case 'oom-score-adj-values': {
      if (v.length !== 3) return { kind: 'arity', message: 'takes three values: <master> <replica> <bgchild>.' };
      const bad = v.find((x) => !/^[+-]?[0-9]+$/.test(x) || Math.abs(Number(x)) > 2000);
      return bad !== undefined ? { kind: 'value', message: `'${shown(bad)}' is not a number between -2000 and 2000.` } : undefined;
    }
    case 'client-output-buffer-limit': {
      if (v.length % 4) return { kind: 'arity', message: 'takes groups of four: <class> <hard-limit> <soft-limit> <soft-seconds>.' };
      for (let i = 0; i < v.length; i += 4) {
        if (!['normal', 'slave', 'replica', 'pubsub'].includes(v[i].toLowerCase())) return { kind: 'value', message: `'${shown(v[i])}' is not a client class (normal, replica, pubsub).` };
        // Redis keeps the seconds in an int: a huge number wraps to a negative one.
        const secs = strtollFull(v[i + 3]);
        if (memoryValue(v[i + 1]) === undefined || memoryValue(v[i + 2]) === undefined || secs === undefined || asInt32(secs) < 0) {
          return { kind: 'value', message: `limits of class '${shown(v[i])}' must be sizes and the seconds a number of 0 or more.` };
        }
      }
      return undefined;
    }
    case 'latency-tracking-info-percentiles': {
      if (v.length === 1 && v[0] === '') return undefined;
      const bad = v.find((x) => !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(x) || Number(x) < 0 || Number(x) > 100);
      return bad !== undefined ? { kind: 'value', message: `'${shown(bad)}' is not a percentile between 0.0 and 100.0.` } : undefined;
    }
    default:
      return undefined;
  }
}
