import type { RegExpEngine } from 'ajv/dist/types';
import type { RE2JS } from 're2js';

/*
 * Schemas' `pattern`s are evaluated as the Kubernetes API server evaluates them: with RE2 (re2js,
 * a JavaScript port of Go's regexp), whose matching time is linear in the length of the value
 * whatever the pattern. JavaScript's backtracking RegExp takes exponential time on patterns such
 * as `^(a+)+$`, and a CRD in the workspace is enough to bring one in. RE2 reads Go's syntax
 * (`\z`, `(?P<name>…)`, `\Q…\E`, `[[:alpha:]]`, `(?i:…)`) and refuses what Go refuses
 * (lookaround, backreferences), as the API server does when the CRD is created.
 */

/** The id under which the validators compiled at build time require this module (supplied by the engine, never resolved from disk). */
export const REGEXP_MODULE = 'hatopo:regexp';

let re2: typeof RE2JS | undefined;

/** re2js, loaded when a value first meets a pattern: runs that check only Patroni, HAProxy or Redis files never load it. */
function engine(): typeof RE2JS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, to keep it off every start
  return (re2 ??= (require('re2js') as { RE2JS: typeof RE2JS }).RE2JS);
}

/** RE2's syntax error for `pattern`, or undefined when RE2 reads it. */
export function re2Error(pattern: string): string | undefined {
  try {
    engine().compile(pattern);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
  }
}

/** A pattern that ajv tests values against (as a RegExp: unanchored), compiled on its first test. */
class Re2Pattern {
  private compiled: RE2JS | undefined;
  constructor(readonly source: string) {}

  compile(): this {
    this.compiled ??= engine().compile(this.source);
    return this;
  }

  test(value: string): boolean {
    return this.compile().compiled!.test(value);
  }

  /** ajv shares one object between the uses of the same pattern, keyed by this. */
  toString(): string {
    return `/${this.source}/`;
  }
}

/** What the validators compiled at build time call for each pattern: the build checked that RE2 reads it. */
export function pattern(source: string): Re2Pattern {
  return new Re2Pattern(source);
}

/**
 * The engine given to ajv: compiling a schema compiles its patterns, so that one RE2 refuses makes
 * the compile fail (and the schema is compiled again without it); generated code calls `pattern`.
 */
export const re2Engine: RegExpEngine = Object.assign((source: string) => new Re2Pattern(source).compile(), {
  code: `require(${JSON.stringify(REGEXP_MODULE)}).pattern`,
});

/** The modules the generated validators require, for loadWithCodeCache. */
export const PROVIDED_MODULES: Record<string, unknown> = { [REGEXP_MODULE]: { pattern } };
