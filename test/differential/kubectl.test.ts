import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkStarts } from '../../server/src/core/documents/yaml/kubernetes-regions';
import { corpusFiles, corpusSkip, readCorpus } from '../helpers/corpus';
import type { Input } from './yaml/kubectl-compare';
import { compareWithKubectl } from './yaml/kubectl-compare';
import { findKubectl } from './yaml/kubectl-oracle';
import { TRICKY_KEYS, TRICKY_SCALARS } from '../helpers/tricky-scalars';

/*
 * kubectl reads manifests with go-yaml v2 and sigs.k8s.io/yaml; the engine with the `yaml` library
 * (and its own block reader) and a schema of those rules. Both read the same documents
 * (yaml/kubectl-compare.ts compares them).
 */

function run(t: { diagnostic: (m: string) => void }, what: string, inputs: Input[]): void {
  const found = findKubectl();
  assert.ok(!('missing' in found), 'missing' in found ? found.missing : '');
  const { agree, refusedByBoth, skipped, disagreements } = compareWithKubectl(found.kubectl, inputs);
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
