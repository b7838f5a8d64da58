import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../server/src/core';
import type { KubeDocument } from '../../server/src/core/documents/yaml/kubernetes';
import { isRecord, parseKubernetes } from '../../server/src/core/documents/yaml/kubernetes';
import { chunkStarts } from '../../server/src/core/documents/yaml/kubernetes-regions';
import { corpusFiles, corpusSkip, readCorpus } from '../helpers/corpus';
import { diagnose } from '../helpers/engine';
import type { KubectlRead } from './yaml/kubectl-oracle';
import { findKubectl, LABEL_KEY, readWithKubectl } from './yaml/kubectl-oracle';
import { TRICKY_KEYS, TRICKY_SCALARS } from '../helpers/tricky-scalars';

/*
 * kubectl reads manifests with go-yaml v2 and sigs.k8s.io/yaml; the engine with the `yaml` library
 * (and its own block reader) and a schema of those rules. Every document kubectl reads must give the
 * object the checks see (kubectl adds the label the oracle asks for; it is removed before comparing),
 * and a document kubectl refuses must be one we report an error for: a YAML problem, or an unquoted
 * value where a string belongs (kubectl decodes metadata with its Go types).
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
  const meta = out.metadata as Record<string, unknown>;
  const labels = meta.labels as Record<string, unknown>;
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
  const d = diagnose('manifest.yaml', text).find((x) => x.severity === 'error' && (x.code === 'kubernetes/syntax' || x.code === 'kubernetes/unquoted-string'));
  return d?.code;
}

interface Input {
  label: string;
  text: string;
}

function run(t: { diagnostic: (m: string) => void }, what: string, inputs: Input[]): void {
  const found = findKubectl();
  assert.ok(!('missing' in found), 'missing' in found ? found.missing : '');
  const docs = inputs.map((i) => parseKubernetes({ uri: 'file:///differential/manifest.yaml', text: i.text, kind: 'kubernetes' }, DEFAULT_SETTINGS).documents[0]);
  const reads = readWithKubectl(found.kubectl, inputs.map((i) => i.text), (i) => expectedObjects(docs[i]).length);
  let agree = 0;
  let refusedByBoth = 0;
  const skipped = new Map<string, number>();
  const disagreements: string[] = [];
  inputs.forEach((input, i) => {
    const doc = docs[i];
    const read = reads[i];
    const differ = (why: string) => disagreements.push(`${input.label}: ${why}\n${input.text.length > 500 ? input.text.slice(0, 500) + '…' : input.text}`);
    const skip = SKIPS.find((s) => s.when(doc, read));
    if (skip) {
      skipped.set(skip.reason, (skipped.get(skip.reason) ?? 0) + 1);
      return;
    }
    if (read.error !== undefined) {
      if (weRefuse(input.text, doc)) refusedByBoth++;
      else differ(`kubectl refuses it (${read.error}); we report no error`);
      return;
    }
    const problems = doc?.yaml.errors.filter((e) => e.code !== 'DUPLICATE_KEY') ?? [];
    if (problems.length > 0) {
      differ(`we report ${problems.map((e) => `${e.code} ${e.message}`).join('; ')}; kubectl reads it`);
      return;
    }
    const mine = expectedObjects(doc);
    const theirs = read.objects!.map((o, k) => withoutLabel(o, mine[k]));
    try {
      assert.deepStrictEqual(mine, theirs);
      agree++;
    } catch {
      differ(`we read ${JSON.stringify(mine)}, kubectl ${JSON.stringify(theirs)}`);
    }
  });
  const skips = [...skipped].map(([reason, n]) => `${n}: ${reason}`).join('; ') || 'none';
  t.diagnostic(`kubectl ${found.version}, ${what}: ${inputs.length} documents, ${agree} read the same, ${refusedByBoth} refused by both, ${disagreements.length} disagree, ${[...skipped.values()].reduce((a, b) => a + b, 0)} skipped (${skips})`);
  assert.deepEqual(disagreements.slice(0, 20), [], `${disagreements.length} disagreements`);
  assert.ok(agree > 0);
}

/** Tricky scalars where manifests hold strings and numbers, one document each. */
function generated(): Input[] {
  const out: Input[] = [];
  const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${data}`;
  for (const s of TRICKY_SCALARS) {
    const forms = [
      configMap(`  value: ${s}\n  list:\n    - ${s}\n  flow: [${s}, x]\n`),
      configMap(`  double: "${s}"\n  single: '${s}'\n  str: !!str ${s}\n`),
      configMap(`  int: !!int "${s}"\n`),
      configMap(`  float: !!float "${s}"\n`),
      configMap(`  bool: !!bool "${s}"\n`),
      configMap(`  base: &b {v: ${s}}\n  merged:\n    <<: *b\n    w: ${s}\n`),
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: postgres:16\n      args: [${s}]\n      env:\n        - name: A\n          value: ${s}\n`,
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    a: ${s}\nspec:\n  ports:\n    - port: ${s}\n`,
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  labels:\n    l: ${s}\nstringData:\n  v: ${s}\n`,
      `apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  instances: ${s}\n  postgresql:\n    parameters:\n      wal_log_hints: ${s}\n`,
    ];
    forms.forEach((text, i) => out.push({ label: `${JSON.stringify(s)} form ${i}`, text }));
  }
  for (const k of TRICKY_KEYS) out.push({ label: `key ${JSON.stringify(k)}`, text: configMap(`  ${k}: x\n`) });
  return out;
}

test('kubectl and the engine read every tricky scalar alike, where manifests hold values and keys', (t) => {
  run(t, 'generated documents', generated());
});

test('kubectl and the engine read every corpus manifest alike', { skip: corpusSkip }, (t) => {
  const inputs: Input[] = [];
  for (const f of corpusFiles().filter((p) => /^(kubernetes|crds)\/.*\.ya?ml$/.test(p))) {
    const text = readCorpus(f);
    const starts = chunkStarts(text);
    starts.forEach((s, i) => {
      const chunk = text.slice(s, starts[i + 1] ?? text.length);
      // A chunk of comments holds no document: kubectl prints nothing for it, and neither do we.
      if (/^\s*(#.*)?$/.test(chunk.replace(/^---.*$/m, '').replace(/^\s*#.*$/gm, ''))) return;
      inputs.push({ label: `${f} (document ${i})`, text: chunk });
    });
  }
  assert.ok(inputs.length > 100, `only ${inputs.length} corpus documents`);
  run(t, 'corpus manifests', inputs);
});
