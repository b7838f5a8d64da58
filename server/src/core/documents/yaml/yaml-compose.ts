// Composing a YAML stream with the `yaml` library as the reading program would: its line breaks,
// its limits on nesting and on aliases. A document past a limit keeps its range and a problem
// saying why, but no contents and no value: nothing downstream walks it.
import type { Document, YAMLParseError } from 'yaml';
import { Composer, Parser } from 'yaml';
import type { CstShape } from './yaml-limits';
import { KUBECTL_MAX_DEPTH, MAX_EXPANDED_ALIAS_NODES, MAX_VALIDATED_DEPTH, PYYAML_MAX_DEPTH, cstShape, measureAliases } from './yaml-limits';
import { withLineFeeds } from './yaml-text';

/** The program whose reading is mirrored: PyYAML's safe loader (Patroni) or go-yaml v2 (kubectl). */
export type Reader = 'pyyaml' | 'kubectl';

/**
 * Why a document's value was not built (its message whole sentences). `refused`: the reading
 * program refuses the document too, a syntax error. Otherwise a limit of hatopo's own: the program
 * reads the document but hatopo did not validate it.
 */
export interface LimitProblem {
  start: number;
  end: number;
  message: string;
  code: string;
  refused: boolean;
  sentence: true;
}

/** The `yaml` documents of a stream, and per document the nesting limit it went past, and whether it has aliases. */
export interface Composed {
  docs: Document.Parsed[];
  limits: Array<LimitProblem | undefined>;
  aliases: boolean[];
  /** Problems outside any document. */
  streamErrors: YAMLParseError[];
}

const NOT_VALIDATED = 'NOT_VALIDATED';
const LIMITS = [PYYAML_MAX_DEPTH, KUBECTL_MAX_DEPTH, MAX_VALIDATED_DEPTH];

function nestingProblem(deeper: CstShape['deeper'], reader: Reader | undefined): LimitProblem | undefined {
  const [pyyaml, kubectl, ours] = deeper;
  const problem = (start: number, code: string, message: string, refused: boolean): LimitProblem => ({ start, end: start + 1, code, message, refused, sentence: true });
  if (reader === 'pyyaml' && pyyaml !== undefined) {
    return problem(pyyaml, 'TOO_DEEP', `This is nested deeper than ${PYYAML_MAX_DEPTH} levels: PyYAML stops with a RecursionError near 490 (Python's recursion limit), so Patroni cannot read the file.`, true);
  }
  if (reader === 'kubectl' && kubectl !== undefined) {
    return problem(kubectl, 'TOO_DEEP', `This is nested deeper than ${KUBECTL_MAX_DEPTH.toLocaleString('en')} levels: kubectl refuses the document ("exceeded max depth").`, true);
  }
  if (ours === undefined) return undefined;
  return problem(ours, NOT_VALIDATED, `This document nests collections deeper than ${MAX_VALIDATED_DEPTH} levels, more than hatopo validates: it was not validated.`, false);
}

/**
 * Parses `text.slice(start, end)` (offsets counted in `text`) and composes its documents with
 * `options`, as `reader` reads them: lone CR, NEL, LS and PS break lines (one character for one,
 * so offsets hold), and a document nested deeper than the reader (or hatopo) goes is composed empty.
 */
export function composeStream(text: string, start: number, end: number, options: object, reader: Reader | undefined): Composed {
  const parser = new Parser();
  // The parser counts offsets from this value, so the composed nodes get absolute ranges.
  parser.offset = start;
  const composer = new Composer(options);
  const out: Composed = { docs: [], limits: [], aliases: [], streamErrors: [] };
  for (const token of parser.parse(withLineFeeds(text.slice(start, end)))) {
    if (token.type === 'document') {
      const shape = cstShape(token, LIMITS);
      const problem = nestingProblem(shape.deeper, reader);
      out.limits.push(problem);
      out.aliases.push(shape.aliases);
      // Composing, building the value and every walk after them recurse: past the limit, nothing is read.
      if (problem) token.value = undefined;
    }
    for (const doc of composer.next(token)) out.docs.push(doc as Document.Parsed);
  }
  for (const doc of composer.end()) out.docs.push(doc as Document.Parsed);
  out.streamErrors = composer.streamInfo().errors;
  return out;
}

/** What a document's aliases mean to `reader`: a problem when it refuses them or hatopo does not expand them. */
export function aliasProblem(doc: Document.Parsed, reader: Reader | undefined): LimitProblem | undefined {
  const m = measureAliases(doc);
  const at = (node: { range?: [number, number, number] | null }) => {
    const r = node.range ?? doc.range;
    return { start: r[0], end: Math.max(r[1], r[0] + 1) };
  };
  if (m.cycle) {
    return reader === 'pyyaml'
      ? { ...at(m.cycle), code: NOT_VALIDATED, refused: false, sentence: true, message: 'This alias stands inside the value its anchor names, so the value contains itself; PyYAML reads that, but hatopo does not validate such a value: the document was not validated.' }
      : { ...at(m.cycle), code: 'ALIAS_CYCLE', refused: true, sentence: true, message: 'This alias stands inside the value its anchor names, so the value would contain itself: kubectl refuses the document ("anchor value contains itself").' };
  }
  if (reader === 'kubectl' && m.goYamlRefuses) {
    return { ...at(m.goYamlRefuses), code: 'EXCESSIVE_ALIASING', refused: true, sentence: true, message: 'The aliases expand to far more nodes than the document holds: kubectl refuses it ("document contains excessive aliasing"). Write the repeated values out, or alias less.' };
  }
  if (reader !== 'kubectl' && m.overBudget) {
    const limit = MAX_EXPANDED_ALIAS_NODES.toLocaleString('en');
    const pyyaml = reader === 'pyyaml' ? 'PyYAML reads it, sharing the aliased values, but ' : '';
    return { ...at(m.overBudget), code: NOT_VALIDATED, refused: false, sentence: true, message: `The aliases of this document expand to more than ${limit} nodes; ${pyyaml}hatopo does not expand that many: it was not validated.` };
  }
  return undefined;
}
