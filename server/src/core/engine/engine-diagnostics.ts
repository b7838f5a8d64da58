// The diagnostics the engine itself gives, besides the checks': a file (or part of one) that was
// not analysed. They cannot be turned off or silenced: a result that misses a file must say so.
import type { LineIndex } from '../line-index';
import type { Problem, Report, Severity } from '../types';

export const INTERNAL_ERROR = 'hatopo/internal-error';
export const NOT_VALIDATED = 'hatopo/not-validated';

/** What a page of docs/checks/ says about an engine diagnostic (the shape of a check's docs). */
export interface EngineDiagnosticInfo {
  id: string;
  defaultSeverity: Severity;
  title: string;
  summary: string;
}

export const ENGINE_DIAGNOSTICS: readonly EngineDiagnosticInfo[] = [
  {
    id: INTERNAL_ERROR,
    defaultSeverity: 'error',
    title: 'hatopo failed while analysing the file',
    summary:
      'A step of the analysis (reading the file, one of the checks, the facts other files use) stopped with an unexpected error, so the file\'s problems may be incomplete. This is a bug in hatopo, not a problem of the file: the message names the step and the error. The other checks still ran.\n\n`hatopo check` exits with status 2 when a file has this diagnostic. In VS Code the error is also written to the **HA Topology** output channel. Please report it with the file, or the smallest part of it that still shows the error.',
  },
  {
    id: NOT_VALIDATED,
    defaultSeverity: 'error',
    title: 'A document hatopo did not validate',
    summary:
      'The program that reads the file reads this document, but it goes past a limit of hatopo\'s, so no check saw it:\n\n- collections nested deeper than 256 levels (kubectl reads up to 10,000 levels; PyYAML, and so Patroni, stops near 490, which is a `patroni/syntax` error past 480);\n- aliases that expand to more than 400,000 nodes in a Patroni file, or a value that contains itself through an alias (PyYAML reads both, sharing the aliased values; kubectl refuses them, which is a `kubernetes/syntax` error);\n- a manifest document longer than 4 MB (the API server stores objects of at most 1.5 MB by default), or the documents of a manifest past its 100,000th.\n\nThe other documents of the file are validated. `hatopo check` exits with status 2 when a file has this diagnostic. Write the repeated values out, or flatten the nesting, if the file should be checked.',
  },
];

/** Whether a diagnostic code says a file, or part of it, was not analysed (`hatopo check` exits 2). */
export function isAnalysisFailure(code: string): boolean {
  return code === INTERNAL_ERROR || code === NOT_VALIDATED;
}

/** The problem of a step that threw: on the file's first line. */
export function internalErrorProblem(failure: string, lines: LineIndex): Problem {
  return {
    start: 0,
    end: lines.lineEnd(0),
    code: INTERNAL_ERROR,
    severity: 'error',
    message: `hatopo could not finish analysing this file: ${failure}. Its other results may be incomplete; this is a bug in hatopo.`,
  };
}

export function notValidatedProblem(r: Report): Problem {
  return { start: r.start, end: r.end, message: r.message, code: NOT_VALIDATED, severity: 'error' };
}
