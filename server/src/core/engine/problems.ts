// Running the checks of a document: severity from each check's default and the user's overrides,
// a failing check logged, reported as an internal error and skipped, region-scoped checks
// incrementally, then suppressions; last, what the engine did not analyse.
import { boundedMessage } from '../shown';
import { applySuppressions } from '../suppressions';
import type { Check, EngineSettings, FormatSupport, Logger, Problem, Report, Severity, SourceFile, WorkspaceView } from '../types';
import type { Analysis } from './documents';
import { internalErrorProblem, notValidatedProblem } from './engine-diagnostics';
import { describeError, errorSummary, guarded } from './guard';
import { capPerCheck } from './problem-cap';
import { append, checkRegions } from './regions';

export interface CheckEnvironment {
  support(kind: NonNullable<Analysis['kind']>): FormatSupport<unknown>;
  workspace: WorkspaceView;
  logger: Logger;
}

function severityOf(check: Check<unknown>, settings: EngineSettings): Severity | undefined {
  const override = settings.checks[check.id];
  if (override === 'off') return undefined;
  return override ?? check.defaultSeverity;
}

function runChecks(env: CheckEnvironment, checks: readonly Check<unknown>[], file: SourceFile, model: unknown, settings: EngineSettings, failures: string[]): Problem[] {
  const out: Problem[] = [];
  for (const check of checks) {
    const severity = severityOf(check, settings);
    if (!severity) continue;
    const found: Report[] = [];
    try {
      check.check({ file, model, settings, workspace: env.workspace, report: (r) => found.push(r) });
    } catch (err) {
      // A broken check must never take the others (or the server) down with it, nor pass unnoticed.
      env.logger.error(`hatopo: check ${check.id} failed on ${file.uri}: ${describeError(err)}`);
      failures.push(`the check ${check.id} failed (${errorSummary(err)})`);
      continue;
    }
    for (const r of found) {
      // Only the report's own fields: checks may hand over richer objects.
      const p: Problem = { start: r.start, end: r.end, message: boundedMessage(r.message), code: check.id, severity };
      if (r.fixes) p.fixes = r.fixes;
      if (r.related?.length) p.related = r.related;
      out.push(p);
    }
  }
  return out;
}

/** The problems of an analysis, computed once and kept on it. */
export function problemsOf(env: CheckEnvironment, a: Analysis, uri: string, settings: EngineSettings): Problem[] {
  if (a.problems) return a.problems;
  const previous = a.previous;
  a.previous = undefined;
  // A file whose reading failed has no model: its only problem is that failure.
  if (!a.kind || !a.confirmed) return (a.problems = a.confirmed ? a.failures.map((f) => internalErrorProblem(f, a.lines)) : []);
  const fmt = env.support(a.kind);
  const file: SourceFile = { uri, text: a.text, kind: a.kind, encoding: a.encoding };
  const failures: string[] = [];
  const incremental = fmt.incremental;
  const regionChecks = incremental ? fmt.checks.filter((c) => c.scope === 'region') : [];
  const documentChecks = incremental ? fmt.checks.filter((c) => c.scope !== 'region') : fmt.checks;
  const out = runChecks(env, documentChecks, file, a.model, settings, failures);

  const regions =
    incremental && regionChecks.length > 0
      ? guarded(
          env.logger,
          'splitting into regions',
          uri,
          undefined,
          () => {
            const r = incremental.regions(a.model);
            return r && r.length > 0 ? r : undefined;
          },
          failures,
        )
      : undefined;
  if (!regions) {
    append(out, runChecks(env, regionChecks, file, a.model, settings, failures));
  } else {
    const { problems, memory } = checkRegions({
      model: a.model,
      regions,
      previous,
      run: (model) => runChecks(env, regionChecks, file, model, settings, failures),
      restrict: (keep) => guarded(env.logger, 'restricting the model', uri, undefined, () => incremental!.restrict(a.model, keep), failures),
    });
    append(out, problems);
    // Results of a run where something failed are not worth reusing: the next edit checks everything.
    a.regions = failures.length === 0 ? memory : undefined;
  }
  out.sort(byPlace);
  const unvalidated = fmt.unvalidated ? guarded(env.logger, 'listing what was not validated', uri, [], () => fmt.unvalidated!(a.model), failures) : [];
  // What the engine did not analyse is never turned off nor silenced.
  const engine = [...unvalidated.map(notValidatedProblem), ...[...a.failures, ...failures].map((f) => internalErrorProblem(f, a.lines))];
  return (a.problems = [...capPerCheck(applySuppressions(out, a.text, a.lines)), ...engine].sort(byPlace));
}

function byPlace(x: Problem, y: Problem): number {
  return x.start - y.start || x.end - y.end || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0);
}
