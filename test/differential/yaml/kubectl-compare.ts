import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../../server/src/core';
import type { KubeDocument } from '../../../server/src/core/documents/yaml/kubernetes';
import { isRecord, parseKubernetes } from '../../../server/src/core/documents/yaml/kubernetes';
import { diagnose } from '../../helpers/engine';
import type { KubectlRead } from './kubectl-oracle';
import { LABEL_KEY, readWithKubectl } from './kubectl-oracle';

/*
 * kubectl reads manifests with go-yaml v2 and sigs.k8s.io/yaml; the engine with the `yaml` library
 * (and its own block reader) and a schema of those rules. The comparison of both readings: every
 * document kubectl reads must give the object the checks see (kubectl adds the label the oracle asks
 * for; it is removed before comparing), and a document kubectl refuses must be one we report an
 * error for: a YAML problem, or an unquoted value where a string belongs (kubectl decodes metadata
 * with its Go types).
 */

/** Documents kubectl refuses that are out of scope, with the reason. */
const SKIPS: { when: (doc: KubeDocument | undefined, read: KubectlRead) => boolean; reason: string }[] = [
  {
    when: (doc, read) => read.error !== undefined && (!doc || !isRecord(doc.value) || typeof doc.value.kind !== 'string'),
    reason: 'not an object with a kind: kubectl reads nothing else, and the engine does not validate it as a manifest',
  },
  {
    when: (doc) => {
      const meta = isRecord(doc?.value) ? doc.value.metadata : undefined;
      return isRecord(meta) && isRecord(meta.labels) && Object.values(meta.labels).some((v) => v === null);
    },
    reason: 'a label whose value is null: kubectl label rebuilds metadata.labels from its string values and drops it, which says nothing of how it reads the file',
  },
];

/** The objects kubectl prints for our document: none for comments, a List's items, else the object itself. */
function expectedObjects(doc: KubeDocument | undefined): Record<string, unknown>[] {
  const v = doc?.value;
  if (!isRecord(v)) return [];
  if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) return v.items.filter(isRecord);
  return [v];
}

/** kubectl's object without the label it was asked to add, where ours has no labels (or no metadata) at all. */
function withoutLabel(theirs: Record<string, unknown>, mine: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(theirs);
  const meta = out.metadata;
  // kubectl labelled another object than this one: the comparison shows it.
  if (!isRecord(meta) || !isRecord(meta.labels)) return out;
  const labels = meta.labels;
  delete labels[LABEL_KEY];
  const myMeta = mine.metadata as Record<string, unknown> | null | undefined;
  const myLabels = isRecord(myMeta) ? myMeta.labels : undefined;
  if (Object.keys(labels).length === 0 && !isRecord(myLabels)) {
    if (myLabels === null) meta.labels = null;
    else delete meta.labels;
  }
  if (Object.keys(meta).length === 0 && !isRecord(myMeta)) {
    if (myMeta === null) out.metadata = null;
    else delete out.metadata;
  }
  return out;
}

/** Whether we report an error for the document: a YAML problem, or an unquoted value where a string belongs. */
function weRefuse(text: string, doc: KubeDocument | undefined): string | undefined {
  const yaml = doc?.yaml.errors.filter((e) => e.code !== 'DUPLICATE_KEY') ?? [];
  if (yaml.length > 0) return yaml[0].code;
  // Read as a manifest whatever its content says (detection is not what is compared here).
  const d = diagnose('manifest.yaml', text, { associations: { '**': 'kubernetes' } }).find((x) => x.severity === 'error' && (x.code === 'kubernetes/syntax' || x.code === 'kubernetes/unquoted-string'));
  return d?.code;
}

export interface Input {
  label: string;
  text: string;
}

/** How one document was read: alike, refused by both, out of scope (why), or differently (how). */
export type Outcome = { agree: true } | { refusedByBoth: true } | { skipped: string } | { differ: string };

export interface KubectlComparison {
  agree: number;
  refusedByBoth: number;
  /** Documents left out, per reason. */
  skipped: Map<string, number>;
  disagreements: string[];
}

export function summarize(outcomes: readonly Outcome[]): KubectlComparison {
  const out: KubectlComparison = { agree: 0, refusedByBoth: 0, skipped: new Map(), disagreements: [] };
  for (const o of outcomes) {
    if ('agree' in o) out.agree++;
    else if ('refusedByBoth' in o) out.refusedByBoth++;
    else if ('skipped' in o) out.skipped.set(o.skipped, (out.skipped.get(o.skipped) ?? 0) + 1);
    else out.disagreements.push(o.differ);
  }
  return out;
}

/** Reads every input (one document each) with kubectl, in one run, and with the engine; compares each. */
export function compareEach(kubectl: string, inputs: readonly Input[]): Outcome[] {
  const docs = inputs.map((i) => parseKubernetes({ uri: 'file:///differential/manifest.yaml', text: i.text, kind: 'kubernetes' }, DEFAULT_SETTINGS).documents[0]);
  const reads = readWithKubectl(kubectl, inputs.map((i) => i.text), (i) => expectedObjects(docs[i]).length);
  return inputs.map((input, i): Outcome => {
    const doc = docs[i];
    const read = reads[i];
    const differ = (why: string): Outcome => ({ differ: `${input.label}: ${why}\n${input.text.length > 500 ? input.text.slice(0, 500) + '…' : input.text}` });
    const skip = SKIPS.find((s) => s.when(doc, read));
    if (skip) return { skipped: skip.reason };
    if (read.error !== undefined) return weRefuse(input.text, doc) ? { refusedByBoth: true } : differ(`kubectl refuses it (${read.error}); we report no error`);
    const problems = doc?.yaml.errors.filter((e) => e.code !== 'DUPLICATE_KEY') ?? [];
    if (problems.length > 0) return differ(`we report ${problems.map((e) => `${e.code} ${e.message}`).join('; ')}; kubectl reads it`);
    const mine = expectedObjects(doc);
    const theirs = read.objects!.map((o, k) => withoutLabel(o, mine[k]));
    try {
      assert.deepStrictEqual(mine, theirs);
      return { agree: true };
    } catch {
      return differ(`we read ${JSON.stringify(mine)}, kubectl ${JSON.stringify(theirs)}`);
    }
  });
}

/** Reads every input with kubectl and with the engine; the tally. */
export function compareWithKubectl(kubectl: string, inputs: readonly Input[]): KubectlComparison {
  return summarize(compareEach(kubectl, inputs));
}
